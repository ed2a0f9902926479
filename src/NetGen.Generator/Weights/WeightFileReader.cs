using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen.SourceGeneration.Weights;

/// <summary>One array of a weights file, widened to double, in row-major order.</summary>
internal sealed class FileTensor
{
    public FileTensor(string name, string dtype, int[] shape, double[] values)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        Values = values;
    }

    public string Name { get; }

    public string DType { get; }

    public int[] Shape { get; }

    public double[] Values { get; }

    public string ShapeText => FormatShape(Shape);

    public static string FormatShape(IEnumerable<int> shape) => "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}

/// <summary>What a weights file holds: its format and tensors, or, for a NetGen model file, the architecture it records.</summary>
internal sealed class WeightFileContents
{
    public WeightFileContents(string format, IReadOnlyList<FileTensor> tensors, string? fingerprint = null, string? precision = null)
    {
        Format = format;
        Tensors = tensors;
        Fingerprint = fingerprint;
        Precision = precision;
    }

    public WeightFileContents(NetGen.OnnxFormat.OnnxModel onnx)
        : this("ONNX", new FileTensor[0])
    {
        Onnx = onnx;
    }

    /// <summary>The graph of an <c>.onnx</c> file, checked against each network that names it; null for other formats.</summary>
    public NetGen.OnnxFormat.OnnxModel? Onnx { get; }

    public string Format { get; }

    public IReadOnlyList<FileTensor> Tensors { get; }

    /// <summary>The architecture a NetGen model file was saved from (<c>NetworkInfo.Fingerprint</c>); null for other formats.</summary>
    public string? Fingerprint { get; }

    /// <summary>"single" or "double" for a NetGen model file.</summary>
    public string? Precision { get; }
}

/// <summary>
/// Reads weights files at build time inside the generator (netstandard2.0): NetGen model files, safetensors, <c>.npz</c>
/// and <c>.npy</c>. The format is told by the first bytes, not the extension. The runtime's readers
/// (src/NetGen.Runtime/ModelFiles) use System.Text.Json, <c>Half</c> and other APIs a netstandard2.0 analyzer cannot
/// load, so this is a second, small reader of the same layouts; every error is an <see cref="InvalidDataException"/>
/// whose message ends up in NG0010 (docs/diagnostics/NG0010.md).
/// </summary>
internal static class WeightFileReader
{
    public static WeightFileContents Read(byte[] bytes, string path)
    {
        // ONNX files are protobuf messages, which have no magic number: they are told by their extension.
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new WeightFileContents(NetGen.OnnxFormat.OnnxModel.Parse(bytes));
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException("is not a readable ONNX model: " + e.Message);
            }
        }

        if (bytes.Length >= 4 && bytes[0] == (byte)'N' && bytes[1] == (byte)'G' && bytes[2] == (byte)'M' && bytes[3] == (byte)'F')
        {
            return ReadModelFile(bytes);
        }

        if (bytes.Length >= 4 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K' && bytes[2] == 3 && bytes[3] == 4)
        {
            return new WeightFileContents("npz", ReadNpz(bytes));
        }

        if (bytes.Length >= 6 && bytes[0] == 0x93 && Encoding.ASCII.GetString(bytes, 1, 5) == "NUMPY")
        {
            return new WeightFileContents("npy", new[] { ReadNpy(bytes, 0, bytes.Length, "arr_0") });
        }

        if (bytes.Length >= 9 && bytes[8] == (byte)'{')
        {
            return new WeightFileContents("safetensors", ReadSafeTensors(bytes));
        }

        throw new InvalidDataException("is not a NetGen model file, a safetensors file, an .npz archive or an .npy array (its first bytes say none of these; an ONNX model must be named *.onnx)");
    }

    /// <summary>The layout of <c>ModelFile.Save</c> (src/NetGen.Runtime/ModelFiles/ModelFile.cs), checksum included.</summary>
    private static WeightFileContents ReadModelFile(byte[] bytes)
    {
        Need(bytes, 0, 12, "the model file header");
        int version = bytes[4] | (bytes[5] << 8);
        if (version != 1)
        {
            throw new InvalidDataException($"is a NetGen model file of format version {version}; this NetGen reads version 1");
        }

        byte precisionByte = bytes[6];
        if (precisionByte > 1)
        {
            throw new InvalidDataException($"is a NetGen model file of unknown precision {precisionByte}");
        }

        int fingerprintLength = Int32(bytes, 8);
        Need(bytes, 12, fingerprintLength, "the architecture record");
        string fingerprint = Encoding.UTF8.GetString(bytes, 12, fingerprintLength);
        int at = 12 + fingerprintLength;
        Need(bytes, at, 4, "the parameter count");
        int count = Int32(bytes, at);
        at += 4;
        int width = precisionByte == 0 ? 4 : 8;
        if (count < 0 || (long)count * width > bytes.Length)
        {
            throw new InvalidDataException($"claims {count} parameters, more than the file holds");
        }

        Need(bytes, at, (count * width) + 4, "the parameters and checksum");
        uint crc = Crc32.Append(0, new ReadOnlySpan<byte>(bytes, 0, at + (count * width)));
        uint stored = (uint)Int32(bytes, at + (count * width));
        if (crc != stored)
        {
            throw new InvalidDataException($"is damaged: its checksum is 0x{stored:X8}, its contents give 0x{crc:X8}");
        }

        string dtype = precisionByte == 0 ? "F32" : "F64";
        double[] values = Decode(bytes, at, count * width, dtype, "parameters");
        return new WeightFileContents("NetGen model file", new[] { new FileTensor("parameters", dtype, new[] { count }, values) },
            fingerprint, precisionByte == 0 ? "single" : "double");
    }

    private static List<FileTensor> ReadSafeTensors(byte[] bytes)
    {
        long headerLength = Int64(bytes, 0);
        if (headerLength <= 0 || headerLength > bytes.Length - 8)
        {
            throw new InvalidDataException($"claims a safetensors header of {headerLength} bytes, but only {bytes.Length - 8} follow");
        }

        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        int dataStart = 8 + (int)headerLength;
        if (MiniJson.Parse(header) is not Dictionary<string, object?> root)
        {
            throw new InvalidDataException("has a safetensors header that is not a JSON object");
        }

        var tensors = new List<FileTensor>();
        foreach (KeyValuePair<string, object?> entry in root)
        {
            if (entry.Key == "__metadata__")
            {
                continue;
            }

            if (entry.Value is not Dictionary<string, object?> tensor
                || !tensor.TryGetValue("dtype", out object? dtypeValue) || dtypeValue is not string dtype
                || !tensor.TryGetValue("shape", out object? shapeValue) || shapeValue is not List<object?> shapeList
                || !tensor.TryGetValue("data_offsets", out object? offsetsValue) || offsetsValue is not List<object?> { Count: 2 } offsets)
            {
                throw new InvalidDataException($"has a safetensors entry '{entry.Key}' without dtype, shape and data_offsets");
            }

            int[] shape = shapeList.Select(d => d is double v && v >= 0 && v <= int.MaxValue && v == Math.Floor(v) ? (int)v
                : throw new InvalidDataException($"has an impossible dimension in the shape of '{entry.Key}'")).ToArray();
            long begin = offsets[0] is double b ? (long)b : -1, end = offsets[1] is double e ? (long)e : -1;
            if (begin < 0 || end < begin || end > bytes.Length - dataStart)
            {
                throw new InvalidDataException($"has data offsets of '{entry.Key}' outside its {bytes.Length - dataStart} data bytes");
            }

            double[] values = Decode(bytes, dataStart + (int)begin, (int)(end - begin), dtype, entry.Key);
            CheckCount(entry.Key, shape, values.Length);
            tensors.Add(new FileTensor(entry.Key, dtype, shape, values));
        }

        return tensors;
    }

    private static List<FileTensor> ReadNpz(byte[] bytes)
    {
        var tensors = new List<FileTensor>();
        try
        {
            using var archive = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            foreach (ZipArchiveEntry entry in archive.Entries)
            {
                string name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName.Substring(0, entry.FullName.Length - 4) : entry.FullName;
                using Stream content = entry.Open();
                using var memory = new MemoryStream();
                content.CopyTo(memory);
                byte[] array = memory.ToArray();
                tensors.Add(ReadNpy(array, 0, array.Length, name));
            }
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or NotSupportedException or ArgumentException)
        {
            throw new InvalidDataException($"is not a readable .npz (zip) archive: {e.Message}");
        }

        return tensors;
    }

    private static FileTensor ReadNpy(byte[] bytes, int start, int length, string name)
    {
        Need(bytes, start, Math.Min(length, 10), $"the .npy preamble of '{name}'");
        if (length < 10 || bytes[start] != 0x93 || Encoding.ASCII.GetString(bytes, start + 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"holds '{name}', which is not an .npy array");
        }

        int major = bytes[start + 6];
        int headerLength = major == 1 ? bytes[start + 8] | (bytes[start + 9] << 8) : Int32(bytes, start + 8);
        int headerStart = start + (major == 1 ? 10 : 12);
        Need(bytes, headerStart, headerLength, $"the .npy header of '{name}'");
        string header = Encoding.UTF8.GetString(bytes, headerStart, headerLength);
        string descr = HeaderValue(header, "descr", name).Trim('\'', '"');
        bool fortran = HeaderValue(header, "fortran_order", name) == "True";
        int[] shape = HeaderValue(header, "shape", name).Trim('(', ')')
            .Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => int.Parse(d.Trim(), NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        string dtype = descr switch
        {
            "<f8" => "F64",
            "<f4" => "F32",
            "<f2" => "F16",
            _ => throw new InvalidDataException($"holds '{name}' of dtype '{descr}'; NetGen reads little-endian float16, float32 and float64"),
        };

        long count = shape.Aggregate(1L, (product, d) => product * d);
        int width = dtype == "F64" ? 8 : dtype == "F32" ? 4 : 2;
        int dataStart = headerStart + headerLength;
        if (count * width > start + length - dataStart)
        {
            throw new InvalidDataException($"ends inside the data of '{name}'");
        }

        double[] values = Decode(bytes, dataStart, (int)(count * width), dtype, name);
        if (fortran && shape.Length == 2)
        {
            var transposed = new double[values.Length];
            for (int r = 0; r < shape[0]; r++)
            {
                for (int c = 0; c < shape[1]; c++)
                {
                    transposed[(r * shape[1]) + c] = values[(c * shape[0]) + r];
                }
            }

            values = transposed;
        }
        else if (fortran && shape.Length > 2)
        {
            throw new InvalidDataException($"holds '{name}', a Fortran-ordered array of {shape.Length} dimensions; save it in C order");
        }

        return new FileTensor(name, dtype, shape, values);
    }

    private static double[] Decode(byte[] bytes, int start, int length, string dtype, string name)
    {
        int width = dtype switch
        {
            "F64" => 8,
            "F32" => 4,
            "F16" or "BF16" => 2,
            _ => throw new InvalidDataException($"holds '{name}' of dtype {dtype}; NetGen reads F64, F32, F16 and BF16"),
        };
        if (length % width != 0)
        {
            throw new InvalidDataException($"holds '{name}' in {length} bytes, not a whole number of {dtype} values");
        }

        var values = new double[length / width];
        for (int i = 0; i < values.Length; i++)
        {
            int at = start + (i * width);
            values[i] = dtype switch
            {
                "F64" => BitConverter.Int64BitsToDouble(Int64(bytes, at)),
                "F32" => SingleFromBits(Int32(bytes, at)),
                "F16" => HalfToDouble((ushort)(bytes[at] | (bytes[at + 1] << 8))),
                _ => SingleFromBits((bytes[at] | (bytes[at + 1] << 8)) << 16), // bfloat16: the top half of a float
            };
        }

        return values;
    }

    private static void CheckCount(string name, int[] shape, int count)
    {
        long expected = shape.Aggregate(1L, (product, d) => product * d);
        if (expected != count)
        {
            throw new InvalidDataException($"holds '{name}' of shape {FileTensor.FormatShape(shape)} ({expected} values) in data for {count} values");
        }
    }

    private static double SingleFromBits(int bits) => new SingleBits { Bits = bits }.Value;

    private static double HalfToDouble(ushort bits)
    {
        int sign = (bits & 0x8000) != 0 ? -1 : 1;
        int exponent = (bits >> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        return exponent switch
        {
            0 => sign * mantissa * Math.Pow(2, -24),
            0x1F => mantissa == 0 ? sign * double.PositiveInfinity : double.NaN,
            _ => sign * (1 + (mantissa / 1024.0)) * Math.Pow(2, exponent - 15),
        };
    }

    private static int Int32(byte[] bytes, int at)
    {
        Need(bytes, at, 4, "a 32-bit field");
        return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
    }

    private static long Int64(byte[] bytes, int at)
    {
        Need(bytes, at, 8, "a 64-bit field");
        return (uint)Int32(bytes, at) | ((long)Int32(bytes, at + 4) << 32);
    }

    private static void Need(byte[] bytes, int at, int count, string what)
    {
        if (at < 0 || count < 0 || at > bytes.Length - count)
        {
            throw new InvalidDataException($"ends inside {what}");
        }
    }

    private static string HeaderValue(string header, string key, string name)
    {
        int at = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        int colon = at < 0 ? -1 : header.IndexOf(':', at);
        int start = colon + 1;
        int end = colon < 0 ? -1 : key == "shape" ? header.IndexOf(')', start) + 1 : header.IndexOf(',', start);
        if (colon < 0 || end <= start)
        {
            throw new InvalidDataException($"holds '{name}', whose .npy header has no readable '{key}'");
        }

        return header.Substring(start, end - start).Trim();
    }
}

/// <summary>A float's bits (netstandard2.0 has no <c>BitConverter.Int32BitsToSingle</c>).</summary>
[StructLayout(LayoutKind.Explicit)]
internal struct SingleBits
{
    [FieldOffset(0)]
    public int Bits;

    [FieldOffset(0)]
    public float Value;
}
