using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Analyzers.Tests.Harness;

/// <summary>
/// Test source with expected diagnostics marked inline: <c>{|NG1001:[Dense(64, Activation.ReLU, Init = Init.GlorotUniform)]|}</c>.
/// Marks may nest; the text between the markers is the expected span.
/// </summary>
public sealed class MarkedSource
{
    private MarkedSource(string source, ImmutableArray<ExpectedDiagnostic> expected)
    {
        Source = source;
        Expected = expected;
    }

    /// <summary>The source with the marks removed.</summary>
    public string Source { get; }

    public ImmutableArray<ExpectedDiagnostic> Expected { get; }

    public static MarkedSource Parse(string markup)
    {
        var text = new StringBuilder(markup.Length);
        var open = new Stack<(string Id, int Start)>();
        var expected = ImmutableArray.CreateBuilder<ExpectedDiagnostic>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                int colon = markup.IndexOf(':', i + 2);
                if (colon < 0)
                {
                    throw new FormatException($"Mark at {i} has no ':' after its diagnostic ID.");
                }

                open.Push((markup.Substring(i + 2, colon - i - 2), text.Length));
                i = colon;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}')
            {
                if (open.Count == 0)
                {
                    throw new FormatException($"'|}}' at {i} closes no mark.");
                }

                (string id, int start) = open.Pop();
                expected.Add(new ExpectedDiagnostic(id, TextSpan.FromBounds(start, text.Length)));
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException($"Mark {open.Peek().Id} is never closed.");
        }

        return new MarkedSource(text.ToString(), expected.ToImmutable());
    }
}
