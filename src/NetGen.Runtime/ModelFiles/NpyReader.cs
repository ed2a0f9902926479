using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace NetGen;

/// <summary>
/// Reads one <c>.npy</c> array (NumPy's format versions 1-3): the magic <c>\x93NUMPY</c>, the version, a header
/// length, a Python dict literal with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, then the raw data. The
/// header is parsed completely and its sizes checked against the input before the data is allocated.
/// </summary>
internal static class NpyReader
{
    /// <summary>The longest header read; NumPy writes under 200 bytes for a plain float array (and reads at most 10,000 by default).</summary>
    public const int MaxHeaderBytes = 65_536;

    public static NamedTensor Read(Stream stream, string name, ImportBudget budget, string source)
    {
        byte[] prefix = StreamBytes.Read(stream, 8, $"the .npy preamble of '{name}'", source);
        if (prefix[0] != 0x93 || prefix[1] != (byte)'N' || prefix[2] != (byte)'U' || prefix[3] != (byte)'M' || prefix[4] != (byte)'P' || prefix[5] != (byte)'Y')
        {
            throw new InvalidDataException($"{source}: '{name}' is not a .npy array: it does not start with \\x93NUMPY.");
        }

        int major = prefix[6];
        if (major is < 1 or > 3 || prefix[7] != 0)
        {
            throw new InvalidDataException($"{source}: '{name}' is .npy format version {major}.{prefix[7]}; NetGen reads 1.0, 2.0 and 3.0.");
        }

        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(StreamBytes.Read(stream, 2, $"the .npy header length of '{name}'", source))
            : BinaryPrimitives.ReadUInt32LittleEndian(StreamBytes.Read(stream, 4, $"the .npy header length of '{name}'", source));
        if (headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException($"{source}: the .npy header of '{name}' claims {headerLength} bytes; NetGen reads headers of up to {MaxHeaderBytes}.");
        }

        byte[] headerBytes = StreamBytes.Read(stream, headerLength, $"the .npy header of '{name}'", source);
        string header = major == 3 ? DecodeUtf8(headerBytes, name, source) : Encoding.Latin1.GetString(headerBytes);
        (string descr, bool fortran, long[] shape) = new HeaderParser(header, name, source).Parse();

        string dtype = descr switch
        {
            "<f8" => "F64",
            "<f4" => "F32",
            "<f2" => "F16",
            _ => throw new InvalidDataException($"{source}: '{name}' holds dtype '{descr}'; NetGen reads little-endian float16, float32 and float64 ('<f2', '<f4', '<f8')."),
        };
        if (fortran && shape.Length > 2)
        {
            throw new InvalidDataException($"{source}: '{name}' is a Fortran-ordered array of {shape.Length} dimensions; save it in C order.");
        }

        long count = TensorData.Count(shape, name, source);
        budget.Take(count, name, source);
        long bytes = count * TensorData.Width(dtype);
        double[] values = TensorData.Decode(StreamBytes.Read(stream, bytes, $"the data of '{name}' ({descr}, shape {TensorData.Format(shape)})", source), dtype);
        if (fortran && shape.Length == 2)
        {
            values = Transpose(values, rows: (int)shape[0], columns: (int)shape[1]);
        }

        return new NamedTensor(name, TensorData.ToShape(shape), values);
    }

    private static string DecodeUtf8(byte[] bytes, string name, string source)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{source}: the .npy header of '{name}' is not valid UTF-8.");
        }
    }

    private static double[] Transpose(double[] values, int rows, int columns)
    {
        var result = new double[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[(r * columns) + c] = values[(c * rows) + r];
            }
        }

        return result;
    }

    /// <summary>
    /// The subset of Python literal syntax a .npy header uses: <c>{'descr': '&lt;f4', 'fortran_order': False,
    /// 'shape': (3, 4), }</c>, padded with spaces and ended by a newline.
    /// </summary>
    private ref struct HeaderParser
    {
        private readonly string _text;
        private readonly string _name;
        private readonly string _source;
        private int _at;

        public HeaderParser(string text, string name, string source)
        {
            _text = text;
            _name = name;
            _source = source;
            _at = 0;
        }

        public (string Descr, bool Fortran, long[] Shape) Parse()
        {
            string? descr = null;
            bool? fortran = null;
            long[]? shape = null;
            Expect('{');
            while (!TryTake('}'))
            {
                string key = ReadString();
                Expect(':');
                switch (key)
                {
                    case "descr" when descr is null:
                        descr = ReadString();
                        break;
                    case "fortran_order" when fortran is null:
                        fortran = ReadBoolean();
                        break;
                    case "shape" when shape is null:
                        shape = ReadTuple();
                        break;
                    default:
                        throw Error($"has an unexpected or repeated key '{key}'");
                }

                if (!TryTake(','))
                {
                    Expect('}');
                    break;
                }
            }

            SkipSpaces();
            if (_at != _text.Length)
            {
                throw Error("has text after its closing brace");
            }

            return (descr ?? throw Error("has no 'descr'"), fortran ?? throw Error("has no 'fortran_order'"), shape ?? throw Error("has no 'shape'"));
        }

        private string ReadString()
        {
            SkipSpaces();
            char quote = _at < _text.Length ? _text[_at] : '\0';
            if (quote is not ('\'' or '"'))
            {
                throw Error("expected a quoted string");
            }

            int end = _text.IndexOf(quote, _at + 1);
            if (end < 0)
            {
                throw Error("has an unterminated string");
            }

            string value = _text[(_at + 1)..end];
            _at = end + 1;
            return value;
        }

        private bool ReadBoolean()
        {
            SkipSpaces();
            foreach ((string word, bool value) in new[] { ("True", true), ("False", false) })
            {
                if (string.CompareOrdinal(_text, _at, word, 0, word.Length) == 0)
                {
                    _at += word.Length;
                    return value;
                }
            }

            throw Error("has a 'fortran_order' that is neither True nor False");
        }

        private long[] ReadTuple()
        {
            Expect('(');
            var values = new List<long>();
            while (!TryTake(')'))
            {
                SkipSpaces();
                int start = _at;
                long value = 0;
                while (_at < _text.Length && char.IsAsciiDigit(_text[_at]))
                {
                    int digit = _text[_at++] - '0';
                    value = value > (long.MaxValue - digit) / 10 ? long.MaxValue : (value * 10) + digit; // saturate: Count rejects it
                }

                if (_at == start)
                {
                    throw Error("has a shape entry that is not a non-negative integer");
                }

                if (_at < _text.Length && _text[_at] == 'L')
                {
                    _at++; // Python 2 long literal, as old NumPy wrote it
                }

                values.Add(value);
                if (!TryTake(','))
                {
                    Expect(')');
                    break;
                }
            }

            return values.ToArray();
        }

        private void Expect(char c)
        {
            if (!TryTake(c))
            {
                throw Error($"expected '{c}' at character {_at}");
            }
        }

        private bool TryTake(char c)
        {
            SkipSpaces();
            if (_at < _text.Length && _text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        private void SkipSpaces()
        {
            while (_at < _text.Length && _text[_at] is ' ' or '\t' or '\n' or '\r')
            {
                _at++;
            }
        }

        private readonly InvalidDataException Error(string what)
        {
            string shown = _text.Length > 200 ? _text[..200] + "..." : _text;
            return new InvalidDataException($"{_source}: the .npy header of '{_name}' {what}: {shown.Trim()}");
        }
    }
}
