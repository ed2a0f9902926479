using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace NetGen.SourceGeneration.Weights;

/// <summary>
/// A small JSON reader for safetensors headers (netstandard2.0 analyzers cannot load System.Text.Json): objects become
/// <see cref="Dictionary{TKey, TValue}"/> in file order, arrays <see cref="List{T}"/>, numbers double, strings string,
/// true/false bool, null null. Malformed text is an <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class MiniJson
{
    private readonly string _text;
    private int _at;

    private MiniJson(string text) => _text = text;

    public static object? Parse(string text)
    {
        var reader = new MiniJson(text);
        object? value = reader.Value(depth: 0);
        reader.SkipSpace();
        if (reader._at != text.Length)
        {
            throw reader.Error("text after the header's JSON value");
        }

        return value;
    }

    private object? Value(int depth)
    {
        if (depth > 64)
        {
            throw Error("JSON nested more than 64 levels");
        }

        SkipSpace();
        if (_at >= _text.Length)
        {
            throw Error("an unfinished JSON header");
        }

        char c = _text[_at];
        switch (c)
        {
            case '{':
                _at++;
                var members = new Dictionary<string, object?>();
                SkipSpace();
                if (Peek('}'))
                {
                    return members;
                }

                do
                {
                    SkipSpace();
                    string key = String();
                    SkipSpace();
                    Expect(':');
                    if (members.ContainsKey(key))
                    {
                        throw Error($"the key '{key}' twice in one object");
                    }

                    members[key] = Value(depth + 1);
                    SkipSpace();
                }
                while (Peek(','));

                Expect('}');
                return members;
            case '[':
                _at++;
                var items = new List<object?>();
                SkipSpace();
                if (Peek(']'))
                {
                    return items;
                }

                do
                {
                    items.Add(Value(depth + 1));
                    SkipSpace();
                }
                while (Peek(','));

                Expect(']');
                return items;
            case '"':
                return String();
            default:
                if (Word("true"))
                {
                    return true;
                }

                if (Word("false"))
                {
                    return false;
                }

                if (Word("null"))
                {
                    return null;
                }

                int start = _at;
                while (_at < _text.Length && "+-0123456789.eE".IndexOf(_text[_at]) >= 0)
                {
                    _at++;
                }

                if (start == _at || !double.TryParse(_text.Substring(start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                {
                    throw Error("a character that starts no JSON value");
                }

                return number;
        }
    }

    private string String()
    {
        Expect('"');
        var text = new StringBuilder();
        while (_at < _text.Length && _text[_at] != '"')
        {
            char c = _text[_at++];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            if (_at >= _text.Length)
            {
                break;
            }

            char e = _text[_at++];
            switch (e)
            {
                case 'n': text.Append('\n'); break;
                case 't': text.Append('\t'); break;
                case 'r': text.Append('\r'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'u' when _at + 4 <= _text.Length
                    && int.TryParse(_text.Substring(_at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code):
                    text.Append((char)code);
                    _at += 4;
                    break;
                default: text.Append(e); break;
            }
        }

        Expect('"');
        return text.ToString();
    }

    private bool Word(string word)
    {
        if (string.CompareOrdinal(_text, _at, word, 0, word.Length) == 0)
        {
            _at += word.Length;
            return true;
        }

        return false;
    }

    private bool Peek(char c)
    {
        if (_at < _text.Length && _text[_at] == c)
        {
            _at++;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        if (!Peek(c))
        {
            throw Error($"'{c}' missing");
        }
    }

    private void SkipSpace()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }

    private InvalidDataException Error(string what) =>
        new($"has a safetensors header that is not valid JSON ({what} at character {_at.ToString(CultureInfo.InvariantCulture)})");
}
