using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace NetGen.Runtime.Tests.ModelFiles;

/// <summary>
/// Writes weight files byte by byte from their published descriptions (safetensors: u64 header length, JSON, data;
/// .npy: NumPy's format description; .npz: a zip of .npy entries, written by System.IO.Compression), so that tests can
/// forge every field.
/// </summary>
internal static class WeightFiles
{
    /// <summary>SavedNet's state_dict: (name, shape), in NetGen's parameter order.</summary>
    public static readonly (string Name, int[] Shape)[] SavedNetStateDict =
    {
        ("0.weight", new[] { 4, 5 }), ("0.bias", new[] { 4 }), ("1.weight", new[] { 1 }), ("2.weight", new[] { 3, 4 }), ("2.bias", new[] { 3 }),
    };

    /// <summary>Parameter i holds 0.25 * i - 3 (exact in every float type).</summary>
    public static float Value(int index) => (0.25f * index) - 3;

    public static byte[] SafeTensors(string headerJson, byte[] data, ulong? declaredLength = null)
    {
        byte[] json = Encoding.UTF8.GetBytes(headerJson);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredLength ?? (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    /// <summary>A valid F32 safetensors file of SavedNet's state_dict with <see cref="Value"/>.</summary>
    public static byte[] SavedNetSafeTensors()
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        var data = new MemoryStream();
        int next = 0;
        foreach ((string name, int[] shape) in SavedNetStateDict)
        {
            long begin = data.Length;
            for (int i = 0; i < shape.Aggregate(1, (a, b) => a * b); i++)
            {
                data.Write(BitConverter.GetBytes(Value(next++)));
            }

            header.Append($",\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Length}]}}");
        }

        return SafeTensors(header.Append('}').ToString(), data.ToArray());
    }

    public static byte[] Npy(string descr, string shape, byte[] data, int major = 1, uint? declaredHeaderLength = null)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int prefix = major == 1 ? 10 : 12;
        int padded = ((prefix + dict.Length + 1 + 63) / 64 * 64) - prefix;
        byte[] header = Encoding.ASCII.GetBytes(dict.PadRight(padded - 1) + "\n");
        var file = new MemoryStream();
        file.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 });
        if (major == 1)
        {
            file.Write(BitConverter.GetBytes((ushort)(declaredHeaderLength ?? (uint)header.Length)));
        }
        else
        {
            file.Write(BitConverter.GetBytes(declaredHeaderLength ?? (uint)header.Length));
        }

        file.Write(header);
        file.Write(data);
        return file.ToArray();
    }

    public static string ShapeText(int[] shape) => shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    /// <summary>The .npy arrays of SavedNet's state_dict (float32), by name.</summary>
    public static List<(string Name, byte[] Npy)> SavedNetArrays()
    {
        var arrays = new List<(string, byte[])>();
        int next = 0;
        foreach ((string name, int[] shape) in SavedNetStateDict)
        {
            var data = new MemoryStream();
            for (int i = 0; i < shape.Aggregate(1, (a, b) => a * b); i++)
            {
                data.Write(BitConverter.GetBytes(Value(next++)));
            }

            arrays.Add((name, Npy("<f4", ShapeText(shape), data.ToArray())));
        }

        return arrays;
    }

    public static byte[] Npz(IEnumerable<(string Name, byte[] Npy)> arrays, bool compressed)
    {
        var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] npy) in arrays)
            {
                ZipArchiveEntry entry = zip.CreateEntry(name + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using Stream stream = entry.Open();
                stream.Write(npy);
            }
        }

        return file.ToArray();
    }

    /// <summary>
    /// An .npz whose one entry is an honest .npy of <paramref name="floats"/> zero floats: a deflate bomb, about 1 kB
    /// per MB of output.
    /// </summary>
    public static byte[] DeflateBomb(long floats)
    {
        var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            ZipArchiveEntry entry = zip.CreateEntry("0.weight.npy", CompressionLevel.Optimal);
            using Stream stream = entry.Open();
            stream.Write(Npy("<f4", $"({floats},)", Array.Empty<byte>()));
            var zeros = new byte[1 << 20];
            for (long left = floats * 4; left > 0; left -= zeros.Length)
            {
                stream.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
            }
        }

        return file.ToArray();
    }
}

/// <summary>A stream that hides its length and cannot seek, as a network or pipe would.</summary>
internal sealed class ForwardOnlyStream : Stream
{
    private readonly Stream _inner;

    public ForwardOnlyStream(byte[] bytes) => _inner = new MemoryStream(bytes, writable: false);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 4096));
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
