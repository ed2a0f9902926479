// Protobuf wire-format reading for the ONNX subset NetGen uses. This file and the other files of
// src/NetGen.Runtime/Onnx/ except Onnx*.cs of the public API are kept free of runtime-only types and of APIs
// missing from netstandard2.0 (no Span, no BinaryPrimitives, no Index/Range), so that a netstandard2.0 project (the
// generator, reading .onnx files at build time) can compile them as they are. See docs/shipping.md.
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen.OnnxFormat;

/// <summary>The four protobuf wire types ONNX files use (the group types 3 and 4 are refused).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// Reads one protobuf message from a byte range. Every length is checked against the bytes that remain before
/// anything is allocated, so a damaged or hostile file ends in an <see cref="InvalidDataException"/> that says which
/// field of which message is wrong, never in an out-of-memory or index error.
/// </summary>
internal sealed class ProtoReader
{
    /// <summary>Messages nest at most this deep (a model, its graph, a node, an attribute, a tensor ... and subgraphs).</summary>
    public const int MaxDepth = 32;

    private readonly byte[] _buffer;
    private readonly int _end;
    private int _position;

    public ProtoReader(byte[] buffer, int start, int end, string where, int depth)
    {
        _buffer = buffer;
        _position = start;
        _end = end;
        Where = where;
        Depth = depth;
        if (depth > MaxDepth)
        {
            throw new InvalidDataException($"{where}: messages nest more than {MaxDepth} deep; the file is damaged or not an ONNX model.");
        }
    }

    /// <summary>The message being read, e.g. <c>ModelProto.graph.node[3]</c>, for error messages.</summary>
    public string Where { get; }

    /// <summary>How many messages enclose this one.</summary>
    public int Depth { get; }

    /// <summary>Whether the message has no more fields.</summary>
    public bool AtEnd => _position >= _end;

    /// <summary>The number of unread bytes of the message.</summary>
    public int Remaining => _end - _position;

    /// <summary>The underlying buffer, for zero-copy views of bytes fields.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Reads the next field key. Returns false at the end of the message.</summary>
    public bool ReadTag(out int field, out WireType wireType)
    {
        field = 0;
        wireType = WireType.Varint;
        if (AtEnd)
        {
            return false;
        }

        ulong key = ReadVarint("a field key");
        ulong number = key >> 3;
        int type = (int)(key & 7);
        if (number == 0 || number > 536_870_911)
        {
            throw new InvalidDataException($"{Where}: field number {number} is not valid protobuf; the file is damaged or not an ONNX model.");
        }

        if (type is not (0 or 1 or 2 or 5))
        {
            throw new InvalidDataException(
                $"{Where}: field {number} has wire type {type}, which ONNX does not use (3 and 4 are protobuf groups, 6 and 7 do not exist); the file is damaged or not an ONNX model.");
        }

        field = (int)number;
        wireType = (WireType)type;
        return true;
    }

    /// <summary>Reads a base-128 varint of at most 10 bytes.</summary>
    public ulong ReadVarint(string what)
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _end)
            {
                throw Truncated(what);
            }

            byte b = _buffer[_position++];
            if (shift == 63 && b > 1)
            {
                throw new InvalidDataException($"{Where}: {what} is a varint that does not fit in 64 bits; the file is damaged.");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException($"{Where}: {what} is a varint longer than 10 bytes; the file is damaged.");
    }

    /// <summary>Reads an int64 field (a varint; negative values take 10 bytes).</summary>
    public long ReadInt64(string what) => unchecked((long)ReadVarint(what));

    /// <summary>Reads an int32 or enum field, refusing values outside the int32 range.</summary>
    public int ReadInt32(string what)
    {
        long value = ReadInt64(what);
        if (value < int.MinValue || value > int.MaxValue)
        {
            throw new InvalidDataException($"{Where}: {what} is {value}, outside the int32 range; the file is damaged.");
        }

        return (int)value;
    }

    /// <summary>Reads 4 little-endian bytes.</summary>
    public uint ReadFixed32(string what)
    {
        if (_end - _position < 4)
        {
            throw Truncated(what);
        }

        uint value = _buffer[_position] | ((uint)_buffer[_position + 1] << 8) | ((uint)_buffer[_position + 2] << 16) | ((uint)_buffer[_position + 3] << 24);
        _position += 4;
        return value;
    }

    /// <summary>Reads 8 little-endian bytes.</summary>
    public ulong ReadFixed64(string what)
    {
        ulong low = ReadFixed32(what);
        ulong high = ReadFixed32(what);
        return low | (high << 32);
    }

    /// <summary>Reads a float (wire type 5).</summary>
    public float ReadFloat(string what) => Bits.ToSingle(ReadFixed32(what));

    /// <summary>Reads a double (wire type 1).</summary>
    public double ReadDouble(string what) => Bits.ToDouble(ReadFixed64(what));

    /// <summary>Reads the length of a length-delimited field and checks it against the bytes left.</summary>
    public int ReadLength(string what)
    {
        ulong length = ReadVarint($"the length of {what}");
        if (length > (ulong)(_end - _position))
        {
            throw new InvalidDataException(
                $"{Where}: {what} claims {length} bytes, but only {_end - _position} remain; the file is truncated or damaged.");
        }

        return (int)length;
    }

    /// <summary>Reads a UTF-8 string field.</summary>
    public string ReadString(string what)
    {
        int length = ReadLength(what);
        string value;
        try
        {
            value = new UTF8Encoding(false, true).GetString(_buffer, _position, length);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{Where}: {what} is not valid UTF-8; the file is damaged.");
        }

        _position += length;
        return value;
    }

    /// <summary>Skips a bytes field and returns where its content starts; <paramref name="length"/> is its size.</summary>
    public int ReadBytesView(string what, out int length)
    {
        length = ReadLength(what);
        int start = _position;
        _position += length;
        return start;
    }

    /// <summary>Opens the embedded message of a length-delimited field one level deeper.</summary>
    public ProtoReader ReadMessage(string where)
    {
        int length = ReadLength(where);
        var nested = new ProtoReader(_buffer, _position, _position + length, where, Depth + 1);
        _position += length;
        return nested;
    }

    /// <summary>Skips the value of a field this reader does not use.</summary>
    public void Skip(int field, WireType wireType)
    {
        string what = $"field {field}";
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint(what);
                break;
            case WireType.Fixed64:
                ReadFixed64(what);
                break;
            case WireType.Fixed32:
                ReadFixed32(what);
                break;
            default:
                int length = ReadLength(what); // read first: ReadLength moves past the length varint
                _position += length;
                break;
        }
    }

    /// <summary>Refuses a field whose wire type is not the one its declaration gives.</summary>
    public void Expect(int field, string name, WireType actual, WireType expected)
    {
        if (actual != expected)
        {
            throw new InvalidDataException(
                $"{Where}: field {field} ({name}) has wire type {(int)actual}, expected {(int)expected}; the file is damaged or not an ONNX model.");
        }
    }

    private InvalidDataException Truncated(string what) =>
        new($"{Where}: the message ends inside {what}; the file is truncated or damaged.");
}

/// <summary>Float and double bit patterns without Span or BitConverter members that netstandard2.0 lacks.</summary>
[StructLayout(LayoutKind.Explicit)]
internal struct Bits
{
    [FieldOffset(0)] private uint _uint;
    [FieldOffset(0)] private float _float;
    [FieldOffset(0)] private ulong _ulong;
    [FieldOffset(0)] private double _double;

    public static float ToSingle(uint bits) => new Bits { _uint = bits }._float;

    public static uint FromSingle(float value) => new Bits { _float = value }._uint;

    public static double ToDouble(ulong bits) => new Bits { _ulong = bits }._double;

    public static ulong FromDouble(double value) => new Bits { _double = value }._ulong;
}
