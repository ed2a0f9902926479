using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace NetGen.SourceGeneration.Weights;

/// <summary>
/// The header dict of an <c>.npy</c> array, parsed completely as the Python literal NumPy writes
/// (<c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>): exactly the keys <c>descr</c>,
/// <c>fortran_order</c> and <c>shape</c>, once each, and nothing but spaces after the dict. Any other text is an
/// <see cref="InvalidDataException"/> (never a parse exception of another type).
/// </summary>
internal sealed class NpyHeader
{
    private readonly string _text;
    private readonly string _name;
    private int _at;

    private NpyHeader(string text, string name)
    {
        _text = text;
        _name = name;
    }

    public static (string Descr, bool Fortran, int[] Shape) Parse(string text, string name)
    {
        var reader = new NpyHeader(text, name);
        string? descr = null;
        bool? fortran = null;
        int[]? shape = null;
        reader.Expect('{');
        while (true)
        {
            reader.Space();
            if (reader.Take('}'))
            {
                break;
            }

            string key = reader.Quoted();
            reader.Space();
            reader.Expect(':');
            reader.Space();
            switch (key)
            {
                case "descr" when descr is null:
                    descr = reader.Quoted();
                    break;
                case "fortran_order" when fortran is null:
                    fortran = reader.Word("True") ? true : reader.Word("False") ? false : throw reader.Error("fortran_order is neither True nor False");
                    break;
                case "shape" when shape is null:
                    shape = reader.Tuple();
                    break;
                default:
                    throw reader.Error($"the key '{key}' is repeated or unknown");
            }

            reader.Space();
            if (!reader.Take(','))
            {
                reader.Space();
                reader.Expect('}');
                break;
            }
        }

        while (reader._at < text.Length && (text[reader._at] == ' ' || text[reader._at] == '\n'))
        {
            reader._at++;
        }

        if (reader._at != text.Length)
        {
            throw reader.Error("text after the dict");
        }

        if (descr is null || fortran is null || shape is null)
        {
            throw reader.Error("descr, fortran_order and shape are not all there");
        }

        return (descr, fortran.Value, shape);
    }

    private int[] Tuple()
    {
        Expect('(');
        var dims = new List<int>();
        while (true)
        {
            Space();
            if (Take(')'))
            {
                return dims.ToArray();
            }

            int start = _at;
            while (_at < _text.Length && _text[_at] >= '0' && _text[_at] <= '9' && _at - start < 12)
            {
                _at++;
            }

            if (_at == start || !long.TryParse(_text.Substring(start, _at - start), NumberStyles.None, CultureInfo.InvariantCulture, out long d) || d > int.MaxValue)
            {
                throw Error($"a dimension of the shape is not an integer from 0 to {int.MaxValue}");
            }

            dims.Add((int)d);
            Space();
            if (!Take(','))
            {
                Space();
                Expect(')');
                return dims.ToArray();
            }
        }
    }

    private string Quoted()
    {
        if (_at >= _text.Length || (_text[_at] != '\'' && _text[_at] != '"'))
        {
            throw Error("a quoted string is missing");
        }

        char quote = _text[_at++];
        int start = _at;
        while (_at < _text.Length && _text[_at] != quote)
        {
            _at++;
        }

        if (_at >= _text.Length)
        {
            throw Error("a string is not closed");
        }

        return _text.Substring(start, _at++ - start);
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

    private bool Take(char c)
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
        if (!Take(c))
        {
            throw Error($"'{c}' is missing");
        }
    }

    private void Space()
    {
        while (_at < _text.Length && _text[_at] == ' ')
        {
            _at++;
        }
    }

    private InvalidDataException Error(string what) =>
        new($"holds '{_name}', whose .npy header is not a dict NetGen reads ({what} at character {_at.ToString(CultureInfo.InvariantCulture)})");
}
