using System;
using System.Text;

namespace NetGen.SourceGeneration;

/// <summary>Writes C# with four-space indentation; <see cref="Block"/> opens a brace block that disposing closes.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(line);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes each line of a multi-line chunk at the current indentation.</summary>
    public SourceWriter Lines(string chunk)
    {
        foreach (string line in chunk.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    /// <summary>Writes <paramref name="header"/>, then <c>{</c>; disposing the result writes <c>}</c> (plus <paramref name="closingSuffix"/>).</summary>
    public IDisposable Block(string header, string closingSuffix = "")
    {
        Line(header);
        Line("{");
        _indent++;
        return new Closer(this, closingSuffix);
    }

    public override string ToString() => _text.ToString();

    private sealed class Closer(SourceWriter writer, string suffix) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            writer._indent--;
            writer.Line("}" + suffix);
        }
    }
}
