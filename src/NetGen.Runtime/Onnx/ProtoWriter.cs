// Protobuf wire-format writing for the ONNX subset NetGen uses; netstandard2.0-compatible like ProtoReader.cs.
using System;
using System.Collections.Generic;
using System.Text;

namespace NetGen.OnnxFormat;

/// <summary>
/// Appends protobuf fields to a growing buffer. An embedded message is written into its own writer and then copied
/// in behind its length, which is simple and cheap for the small graphs NetGen writes. Fields are written in field
/// number order within each message and repeated scalars packed, as protoc does, so output is deterministic.
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The number of bytes written.</summary>
    public int Length => _length;

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray()
    {
        var result = new byte[_length];
        Array.Copy(_buffer, result, _length);
        return result;
    }

    public void WriteTag(int field, WireType wireType) => WriteVarint(((ulong)field << 3) | (uint)wireType);

    public void WriteVarint(ulong value)
    {
        Reserve(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    /// <summary>An int64 or int32 field (negative values as 10-byte varints, as protobuf does for both).</summary>
    public void WriteInt64(int field, long value)
    {
        WriteTag(field, WireType.Varint);
        WriteVarint(unchecked((ulong)value));
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, WireType.Fixed32);
        WriteFixed32(Bits.FromSingle(value));
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteBytes(int field, byte[] value)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)value.Length);
        Append(value, value.Length);
    }

    public void WriteMessage(int field, ProtoWriter message)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)message._length);
        Append(message._buffer, message._length);
    }

    public void WritePackedInt64(int field, IReadOnlyList<long> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var packed = new ProtoWriter();
        foreach (long value in values)
        {
            packed.WriteVarint(unchecked((ulong)value));
        }

        WriteMessage(field, packed);
    }

    public void WritePackedFloat(int field, IReadOnlyList<float> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)values.Count * 4);
        foreach (float value in values)
        {
            WriteFixed32(Bits.FromSingle(value));
        }
    }

    public void WritePackedDouble(int field, IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)values.Count * 8);
        foreach (double value in values)
        {
            ulong bits = Bits.FromDouble(value);
            WriteFixed32((uint)bits);
            WriteFixed32((uint)(bits >> 32));
        }
    }

    /// <summary>Little-endian float32 values, the layout of <c>TensorProto.raw_data</c>.</summary>
    public static byte[] RawSingles(IReadOnlyList<double> values)
    {
        var bytes = new byte[values.Count * 4];
        for (int i = 0; i < values.Count; i++)
        {
            uint bits = Bits.FromSingle((float)values[i]);
            for (int b = 0; b < 4; b++)
            {
                bytes[(i * 4) + b] = (byte)(bits >> (8 * b));
            }
        }

        return bytes;
    }

    /// <summary>Little-endian float64 values, the layout of <c>TensorProto.raw_data</c>.</summary>
    public static byte[] RawDoubles(IReadOnlyList<double> values)
    {
        var bytes = new byte[values.Count * 8];
        for (int i = 0; i < values.Count; i++)
        {
            ulong bits = Bits.FromDouble(values[i]);
            for (int b = 0; b < 8; b++)
            {
                bytes[(i * 8) + b] = (byte)(bits >> (8 * b));
            }
        }

        return bytes;
    }

    private void WriteFixed32(uint value)
    {
        Reserve(4);
        _buffer[_length++] = (byte)value;
        _buffer[_length++] = (byte)(value >> 8);
        _buffer[_length++] = (byte)(value >> 16);
        _buffer[_length++] = (byte)(value >> 24);
    }

    private void Append(byte[] source, int count)
    {
        Reserve(count);
        Array.Copy(source, 0, _buffer, _length, count);
        _length += count;
    }

    private void Reserve(int count)
    {
        if (_buffer.Length - _length >= count)
        {
            return;
        }

        int size = Math.Max(_buffer.Length * 2, _length + count);
        Array.Resize(ref _buffer, size);
    }
}
