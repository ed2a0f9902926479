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

    /// <summary>The standardizer section of a version 2 NetGen model file (means, then deviations); null when there is none.</summary>
    public (double[] Means, double[] Deviations)? Standardizer { get; set; }
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
    /// <summary>The largest header of a safetensors file the format allows.</summary>
    private const long MaxSafeTensorsHeader = 100_000_000;

    /// <summary>The largest <c>.npy</c> header NetGen reads, and the largest model file architecture record (as ModelFile).</summary>
    private const int MaxSmallHeader = 1 << 16;

    /// <summary>
    /// Reads <paramref name="bytes"/>. <paramref name="budget"/> bounds what decompressing an <c>.npz</c> may produce (the
    /// pipeline passes what the largest network naming the file can use); every other size is checked against the
    /// file's own length before anything is allocated for it (docs/reliability.md, "Weights files at build time").
    /// </summary>
    public static WeightFileContents Read(byte[] bytes, string path, long budget)
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
            return new WeightFileContents("npz", ReadNpz(bytes, budget));
        }

        if (bytes.Length >= 6 && bytes[0] == 0x93 && Encoding.ASCII.GetString(bytes, 1, 5) == "NUMPY")
        {
            return new WeightFileContents("npy", new[] { ReadNpy(bytes, "arr_0") });
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
        if (version is not (1 or 2))
        {
            throw new InvalidDataException($"is a NetGen model file of format version {version}; this NetGen reads versions 1 and 2");
        }

        byte precisionByte = bytes[6];
        if (precisionByte > 1)
        {
            throw new InvalidDataException($"is a NetGen model file of unknown precision {precisionByte}");
        }

        if (bytes[7] != 0)
        {
            throw new InvalidDataException($"is a NetGen model file whose reserved byte (offset 7) is {bytes[7]}, not 0");
        }

        int fingerprintLength = Int32(bytes, 8);
        if (fingerprintLength < 0 || fingerprintLength > MaxSmallHeader)
        {
            throw new InvalidDataException($"claims an architecture record of {fingerprintLength} bytes; a NetGen model file has at most {MaxSmallHeader}");
        }

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

        Need(bytes, at, count * width, "the parameters");
        int end = at + (count * width);
        (double[] Means, double[] Deviations)? standardizer = version == 2 ? ReadSections(bytes, ref end) : null;
        Need(bytes, end, 4, "the checksum");
        if (bytes.Length != end + 4)
        {
            throw new InvalidDataException($"has {bytes.Length - (end + 4)} bytes after its checksum (offset {end + 4}); a NetGen model file ends at its checksum");
        }

        uint crc = Crc32.Append(0, new ReadOnlySpan<byte>(bytes, 0, end));
        uint stored = (uint)Int32(bytes, end);
        if (crc != stored)
        {
            throw new InvalidDataException($"is damaged: its checksum is 0x{stored:X8}, its contents give 0x{crc:X8}");
        }

        string dtype = precisionByte == 0 ? "F32" : "F64";
        double[] values = Decode(bytes, at, count * width, dtype, "parameters");
        return new WeightFileContents("NetGen model file", new[] { new FileTensor("parameters", dtype, new[] { count }, values) },
            fingerprint, precisionByte == 0 ? "single" : "double")
        {
            Standardizer = standardizer,
        };
    }

    /// <summary>
    /// A version 2 model file's sections (src/NetGen.Runtime/ModelFiles/ModelFile.cs): a count (0 or 1), then the
    /// <c>STDZ</c> section version 1: tag, version, reserved, length, feature count, means, deviations. Advances
    /// <paramref name="at"/> past them. The values are checked against the network later (<see cref="WeightsEmitter"/>).
    /// </summary>
    private static (double[] Means, double[] Deviations)? ReadSections(byte[] bytes, ref int at)
    {
        int sections = Int32(bytes, at);
        at += 4;
        if (sections is < 0 or > 1)
        {
            throw new InvalidDataException($"is a NetGen model file that claims {sections} sections; format version 2 has at most 1 (a standardizer)");
        }

        if (sections == 0)
        {
            return null;
        }

        Need(bytes, at, 12, "a section header");
        if (bytes[at] != (byte)'S' || bytes[at + 1] != (byte)'T' || bytes[at + 2] != (byte)'D' || bytes[at + 3] != (byte)'Z')
        {
            throw new InvalidDataException("is a NetGen model file with a section that is not 'STDZ' (a standardizer), the only one this NetGen knows");
        }

        int sectionVersion = bytes[at + 4] | (bytes[at + 5] << 8);
        if (sectionVersion != 1 || bytes[at + 6] != 0 || bytes[at + 7] != 0)
        {
            throw new InvalidDataException($"is a NetGen model file whose standardizer section is version {sectionVersion} with reserved bytes {bytes[at + 6]}, {bytes[at + 7]}; this NetGen reads version 1 with 0, 0");
        }

        int length = Int32(bytes, at + 8);
        at += 12;
        int features = length >= 4 && length <= bytes.Length - at ? Int32(bytes, at) : -1;
        if (features < 1 || (long)length != 4 + (16L * features))
        {
            throw new InvalidDataException($"is a NetGen model file whose standardizer section claims {length} bytes for {features} features, which do not agree with each other or with the file's length");
        }

        double[] means = Decode(bytes, at + 4, 8 * features, "F64", "the standardizer's means");
        double[] deviations = Decode(bytes, at + 4 + (8 * features), 8 * features, "F64", "the standardizer's deviations");
        at += length;
        return (means, deviations);
    }

    private static List<FileTensor> ReadSafeTensors(byte[] bytes)
    {
        long headerLength = Int64(bytes, 0);
        if (headerLength <= 0 || headerLength > bytes.Length - 8 || headerLength > MaxSafeTensorsHeader)
        {
            throw new InvalidDataException($"claims a safetensors header of {headerLength} bytes, but only {bytes.Length - 8} follow (the format allows at most {MaxSafeTensorsHeader})");
        }

        string header = Utf8(bytes, 8, (int)headerLength, "the safetensors header");
        int dataStart = 8 + (int)headerLength;
        long dataLength = bytes.Length - dataStart;
        if (MiniJson.Parse(header) is not Dictionary<string, object?> root)
        {
            throw new InvalidDataException("has a safetensors header that is not a JSON object");
        }

        var entries = new List<(string Name, string DType, int[] Shape, long Begin, long End)>();
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

            int width = Width(dtype, entry.Key);
            int[] shape = shapeList.Select(d => d is double v && v >= 0 && v <= int.MaxValue && v == Math.Floor(v) ? (int)v
                : throw new InvalidDataException($"has an impossible dimension in the shape of '{entry.Key}' (dimensions are integers from 0 to {int.MaxValue})")).ToArray();
            long count = Count(shape, entry.Key);
            long begin = Offset(offsets[0], entry.Key), end = Offset(offsets[1], entry.Key);
            if (end < begin || end > dataLength)
            {
                throw new InvalidDataException($"has data offsets [{begin}, {end}] of '{entry.Key}' outside its {dataLength} data bytes");
            }

            if (end - begin != count * width)
            {
                throw new InvalidDataException($"holds '{entry.Key}' of dtype {dtype} and shape {FileTensor.FormatShape(shape)}, which needs {count * width} bytes, but its data_offsets [{begin}, {end}] span {end - begin}");
            }

            entries.Add((entry.Key, dtype, shape, begin, end));
        }

        // The tensors must tile the data section: no gaps, no overlaps (two tensors over the same bytes would multiply
        // what a small file makes the generator decode), nothing after the last.
        long next = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != next)
            {
                throw new InvalidDataException(entry.Begin < next
                    ? $"has tensor '{entry.Name}' at data offset {entry.Begin}, inside the data of another tensor (which ends at {next})"
                    : $"has {entry.Begin - next} data bytes at offset {next} that belong to no tensor");
            }

            next = entry.End;
        }

        if (next != dataLength)
        {
            throw new InvalidDataException($"has {dataLength - next} data bytes after its last tensor (at offset {next}); safetensors data ends with the last tensor");
        }

        return entries.Select(e => new FileTensor(e.Name, e.DType, e.Shape, Decode(bytes, dataStart + (int)e.Begin, (int)(e.End - e.Begin), e.DType, e.Name))).ToList();

        static long Offset(object? value, string name) =>
            value is double v && v >= 0 && v <= long.MaxValue / 2 && v == Math.Floor(v) ? (long)v
                : throw new InvalidDataException($"has a data offset of '{name}' that is not a non-negative integer");
    }

    private static List<FileTensor> ReadNpz(byte[] bytes, long budget)
    {
        var tensors = new List<FileTensor>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long left = budget;
        Dictionary<string, uint> checksums = CentralDirectoryCrcs(bytes);
        try
        {
            using var archive = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            foreach (ZipArchiveEntry entry in archive.Entries)
            {
                string name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName.Substring(0, entry.FullName.Length - 4) : entry.FullName;
                if (!names.Add(name))
                {
                    throw new InvalidDataException($"holds two entries named '{entry.FullName}'");
                }

                // The declared size is checked first, then decompression stops one byte past what is left of the budget,
                // so a deflate bomb or a forged size costs at most the budget.
                if (entry.Length > left)
                {
                    throw new InvalidDataException($"holds '{entry.FullName}', which declares {entry.Length} bytes uncompressed, more than the {left} bytes the network's parameters can use");
                }

                byte[] array = ReadBounded(entry, left);
                left -= array.Length;
                if (!checksums.TryGetValue(entry.FullName, out uint crc) || Crc32.Append(0, array) != crc)
                {
                    throw new InvalidDataException(checksums.ContainsKey(entry.FullName)
                        ? $"holds '{entry.FullName}', whose contents give the CRC-32 0x{Crc32.Append(0, array):X8}, but the archive records 0x{crc:X8}: the file is damaged"
                        : $"holds '{entry.FullName}', which its central directory does not list");
                }

                tensors.Add(ReadNpy(array, name));
            }
        }
        catch (InvalidDataException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"is not a readable .npz (zip) archive: {e.Message}");
        }

        return tensors;
    }

    /// <summary>
    /// Each entry's CRC-32 as the zip central directory records it (netstandard2.0's <see cref="ZipArchiveEntry"/> does
    /// not expose it, and the decompressor does not check it). Zip64 archives keep the directory's place in another
    /// record: read as well.
    /// </summary>
    private static Dictionary<string, uint> CentralDirectoryCrcs(byte[] bytes)
    {
        const uint EndSignature = 0x06054B50, EntrySignature = 0x02014B50, Zip64LocatorSignature = 0x07064B50, Zip64EndSignature = 0x06064B50;
        int end = -1;
        for (int at = bytes.Length - 22; at >= 0 && at >= bytes.Length - 22 - 65535; at--)
        {
            if ((uint)Int32(bytes, at) == EndSignature)
            {
                end = at;
                break;
            }
        }

        if (end < 0)
        {
            throw new InvalidDataException("is not a readable .npz (zip) archive: it has no end of central directory record");
        }

        long entries = bytes[end + 10] | (bytes[end + 11] << 8);
        long offset = (uint)Int32(bytes, end + 16);
        if ((offset == 0xFFFFFFFF || entries == 0xFFFF) && end >= 20 && (uint)Int32(bytes, end - 20) == Zip64LocatorSignature)
        {
            long record = Int64(bytes, end - 12);
            if (record < 0 || record > bytes.Length - 56 || (uint)Int32(bytes, (int)record) != Zip64EndSignature)
            {
                throw new InvalidDataException("is not a readable .npz (zip) archive: its zip64 end record is not where its locator says");
            }

            entries = Int64(bytes, (int)record + 32);
            offset = Int64(bytes, (int)record + 48);
        }

        var crcs = new Dictionary<string, uint>(StringComparer.Ordinal);
        long position = offset;
        for (long i = 0; i < entries; i++)
        {
            if (position < 0 || position > bytes.Length - 46 || (uint)Int32(bytes, (int)position) != EntrySignature)
            {
                throw new InvalidDataException($"is not a readable .npz (zip) archive: central directory entry {i} is not at offset {position}");
            }

            int at = (int)position;
            int nameLength = bytes[at + 28] | (bytes[at + 29] << 8);
            int extraLength = bytes[at + 30] | (bytes[at + 31] << 8);
            int commentLength = bytes[at + 32] | (bytes[at + 33] << 8);
            Need(bytes, at + 46, nameLength, "a central directory entry's name");
            string name = Encoding.UTF8.GetString(bytes, at + 46, nameLength);
            if (crcs.ContainsKey(name))
            {
                throw new InvalidDataException($"holds two entries named '{name}'");
            }

            crcs.Add(name, (uint)Int32(bytes, at + 16));
            position = (long)at + 46 + nameLength + extraLength + commentLength;
        }

        return crcs;
    }

    private static byte[] ReadBounded(ZipArchiveEntry entry, long limit)
    {
        using Stream content = entry.Open();
        using var memory = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            memory.Write(buffer, 0, read);
            if (memory.Length > limit || memory.Length > entry.Length)
            {
                throw new InvalidDataException($"holds '{entry.FullName}', which decompresses to more than the {Math.Min(limit, entry.Length)} bytes it may have (its declared size, or what the network's parameters can use)");
            }
        }

        if (memory.Length != entry.Length)
        {
            throw new InvalidDataException($"holds '{entry.FullName}', which declares {entry.Length} bytes but decompresses to {memory.Length}");
        }

        return memory.ToArray();
    }

    /// <summary>An <c>.npy</c> array that is the whole of <paramref name="bytes"/> (an <c>.npz</c> entry holds exactly one).</summary>
    private static FileTensor ReadNpy(byte[] bytes, string name)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"holds '{name}', which is not an .npy array");
        }

        int major = bytes[6];
        if (major is < 1 or > 3)
        {
            throw new InvalidDataException($"holds '{name}', an .npy array of format version {major}.{bytes[7]}; NetGen reads 1.0, 2.0 and 3.0");
        }

        int headerStart = major == 1 ? 10 : 12;
        long headerLength = major == 1 ? bytes[8] | (bytes[9] << 8) : (uint)Int32(bytes, 8);
        if (headerLength > MaxSmallHeader || headerLength > bytes.Length - headerStart)
        {
            throw new InvalidDataException($"holds '{name}', whose .npy header claims {headerLength} bytes, but {Math.Max(0, bytes.Length - headerStart)} follow (at most {MaxSmallHeader})");
        }

        (string descr, bool fortran, int[] shape) = NpyHeader.Parse(Utf8(bytes, headerStart, (int)headerLength, $"the .npy header of '{name}'"), name);
        string dtype = descr switch
        {
            "<f8" => "F64",
            "<f4" => "F32",
            "<f2" => "F16",
            _ => throw new InvalidDataException($"holds '{name}' of dtype '{descr}'; NetGen reads little-endian float16, float32 and float64 ('<f2', '<f4', '<f8')"),
        };

        long count = Count(shape, name);
        int width = Width(dtype, name);
        int dataStart = headerStart + (int)headerLength;
        if (count * width != bytes.Length - dataStart)
        {
            throw new InvalidDataException($"holds '{name}' ({descr}, shape {FileTensor.FormatShape(shape)}), whose data needs {count * width} bytes, but {bytes.Length - dataStart} follow the header");
        }

        if (fortran && shape.Length > 2)
        {
            throw new InvalidDataException($"holds '{name}', a Fortran-ordered array of {shape.Length} dimensions; save it in C order");
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

        return new FileTensor(name, dtype, shape, values);
    }

    private static int Width(string dtype, string name) => dtype switch
    {
        "F64" => 8,
        "F32" => 4,
        "F16" or "BF16" => 2,
        _ => throw new InvalidDataException($"holds '{name}' of dtype {dtype}; NetGen reads F64, F32, F16 and BF16"),
    };

    /// <summary>The element count of <paramref name="shape"/>, refused when it does not fit one array.</summary>
    private static long Count(int[] shape, string name)
    {
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > int.MaxValue)
            {
                throw new InvalidDataException($"holds '{name}' of shape {FileTensor.FormatShape(shape)}, more values than one array holds");
            }
        }

        return count;
    }

    private static string Utf8(byte[] bytes, int start, int length, string what)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, start, length);
        }
        catch (ArgumentException)
        {
            throw new InvalidDataException($"has {what} that is not valid UTF-8");
        }
    }

    private static double[] Decode(byte[] bytes, int start, int length, string dtype, string name)
    {
        int width = Width(dtype, name);
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
