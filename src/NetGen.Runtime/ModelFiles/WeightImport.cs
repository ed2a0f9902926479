using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace NetGen;

/// <summary>
/// Loads weights exported from PyTorch or NumPy into a generated network: safetensors files, <c>.npz</c> archives and
/// <c>.npy</c> arrays. Tensors are matched to layers in <c>nn.Sequential</c> <c>state_dict</c> order (for each Linear
/// its weight [out, in], then its bias, then a following PReLU's weight [1]), with every shape checked; PyTorch's
/// [out, in] layout is NetGen's, so nothing is transposed.
/// </summary>
/// <example>
/// <code>
/// # Python: torch.save is not read; export with safetensors or NumPy
/// np.savez("digits.npz", **{k: v.numpy() for k, v in model.state_dict().items()})
/// // C#
/// WeightImport.LoadNpz(net, "digits.npz");
/// </code>
/// </example>
public static class WeightImport
{
    /// <summary>Loads a safetensors file (F64, F32, F16 or BF16 tensors) into <paramref name="network"/>.</summary>
    public static void LoadSafeTensors<T>(INeuralNetwork<T> network, string path) where T : unmanaged
    {
        using FileStream stream = File.OpenRead(path);
        Load(network, ReadSafeTensors(stream));
    }

    /// <summary>Loads an <c>.npz</c> archive (from <c>np.savez</c> or <c>np.savez_compressed</c>) into <paramref name="network"/>.</summary>
    public static void LoadNpz<T>(INeuralNetwork<T> network, string path) where T : unmanaged
    {
        using FileStream stream = File.OpenRead(path);
        Load(network, ReadNpz(stream));
    }

    /// <summary>
    /// Copies <paramref name="tensors"/> into <paramref name="network"/>'s parameters. Without <paramref name="order"/>, tensors
    /// are taken in natural order of their names (<c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c> ... or <c>arr_0</c>,
    /// <c>arr_1</c> ...; a module's weight before its bias); with it, in the order the names are listed. The network keeps
    /// its parameters when anything does not fit.
    /// </summary>
    /// <exception cref="InvalidDataException">A tensor is missing, left over, or has the wrong shape; the message names the layer and both shapes.</exception>
    public static void Load<T>(INeuralNetwork<T> network, IReadOnlyList<NamedTensor> tensors, IReadOnlyList<string>? order = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tensors);
        List<NamedTensor> queue = order is null
            ? tensors.OrderBy(t => t.Name, NaturalNameComparer.Instance).ToList()
            : order.Select(name => tensors.FirstOrDefault(t => t.Name == name)
                ?? throw new InvalidDataException($"No tensor named '{name}'; the file has {Names(tensors)}.")).ToList();

        var values = new double[network.ParameterCount];
        int next = 0;
        for (int k = 0; k < network.Info.Layers.Count; k++)
        {
            LayerInfo layer = network.Info.Layers[k];
            if (layer.Kind != LayerKind.Dense)
            {
                continue;
            }

            string what = $"Layer {k + 1} (Dense {layer.InputSize} -> {layer.Units}, {layer.Activation})";
            Take(what, "weight", new[] { layer.Units, layer.InputSize }, layer.WeightOffset);
            if (layer.HasBias)
            {
                Take(what, "bias", new[] { layer.Units }, layer.BiasOffset);
            }

            if (layer.SlopeOffset >= 0)
            {
                Take(what, "PReLU weight", new[] { 1 }, layer.SlopeOffset);
            }
        }

        if (next < queue.Count)
        {
            throw new InvalidDataException(
                $"'{network.Info.Name}' has no place for {queue.Count - next} more tensor(s): {string.Join(", ", queue.Skip(next))}.");
        }

        Span<T> parameters = network.Parameters;
        for (int i = 0; i < values.Length; i++)
        {
            parameters[i] = typeof(T) == typeof(float) ? (T)(object)(float)values[i] : (T)(object)values[i];
        }

        void Take(string what, string part, int[] shape, int offset)
        {
            if (next >= queue.Count)
            {
                throw new InvalidDataException($"{what} needs a {part} of shape {NamedTensor.FormatShape(shape)}, but the file has no tensors left.");
            }

            NamedTensor tensor = queue[next++];
            if (!tensor.Shape.SequenceEqual(shape))
            {
                string hint = shape.Length == 2 && tensor.Shape.Length == 2 && tensor.Shape[0] == shape[1] && tensor.Shape[1] == shape[0]
                    ? " It looks transposed: NetGen, like torch.nn.Linear, stores weights as [out, in]."
                    : "";
                throw new InvalidDataException(
                    $"{what} needs a {part} of shape {NamedTensor.FormatShape(shape)}; tensor '{tensor.Name}' has shape {NamedTensor.FormatShape(tensor.Shape)}.{hint}");
            }

            tensor.Values.CopyTo(values, offset);
        }
    }

    /// <summary>Reads every tensor of a safetensors file: an 8-byte header length, a JSON header, then the raw data.</summary>
    public static IReadOnlyList<NamedTensor> ReadSafeTensors(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] lengthBytes = ReadBytes(stream, 8, "the safetensors header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > 100_000_000)
        {
            throw new InvalidDataException($"The safetensors header claims {headerLength} bytes; this is not a safetensors file or it is damaged.");
        }

        byte[] header = ReadBytes(stream, (int)headerLength, "the safetensors header");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        byte[] data = memory.ToArray();

        var tensors = new List<NamedTensor>();
        using JsonDocument document = JsonDocument.Parse(header);
        foreach (JsonProperty entry in document.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }

            string dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
            int[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
            long[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > data.Length)
            {
                throw new InvalidDataException($"Tensor '{entry.Name}' has data offsets outside the file's {data.Length} data bytes.");
            }

            double[] values = Decode(data.AsSpan((int)offsets[0], (int)(offsets[1] - offsets[0])), dtype, entry.Name);
            tensors.Add(new NamedTensor(entry.Name, shape, values));
        }

        return tensors;
    }

    /// <summary>Reads every array of an <c>.npz</c> archive; names drop the <c>.npy</c> suffix.</summary>
    public static IReadOnlyList<NamedTensor> ReadNpz(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var tensors = new List<NamedTensor>();
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            string name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
            using Stream content = entry.Open();
            tensors.Add(ReadNpy(content, name));
        }

        return tensors;
    }

    /// <summary>Reads one <c>.npy</c> array (format versions 1-3; little-endian f2, f4 or f8; C or Fortran order).</summary>
    public static NamedTensor ReadNpy(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] prefix = ReadBytes(stream, 8, $"the .npy preamble of '{name}'");
        if (prefix[0] != 0x93 || Encoding.ASCII.GetString(prefix, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException($"'{name}' is not a .npy array: it does not start with \\x93NUMPY.");
        }

        int major = prefix[6];
        int headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(stream, 2, "the .npy header length"))
            : (int)BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(stream, 4, "the .npy header length"));
        string header = Encoding.Latin1.GetString(ReadBytes(stream, headerLength, "the .npy header"));

        string descr = HeaderValue(header, "descr", name).Trim('\'', '"');
        bool fortran = HeaderValue(header, "fortran_order", name) == "True";
        int[] shape = HeaderValue(header, "shape", name).Trim('(', ')')
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();

        string dtype = descr switch
        {
            "<f8" => "F64",
            "<f4" => "F32",
            "<f2" => "F16",
            _ => throw new InvalidDataException($"'{name}' holds dtype '{descr}'; NetGen reads little-endian float16, float32 and float64."),
        };
        long count = shape.Aggregate(1L, (product, d) => product * d);
        int width = dtype == "F64" ? 8 : dtype == "F32" ? 4 : 2;
        double[] values = Decode(ReadBytes(stream, checked((int)(count * width)), $"the data of '{name}'"), dtype, name);
        if (fortran && shape.Length == 2)
        {
            values = Transpose(values, rows: shape[0], columns: shape[1]);
        }
        else if (fortran && shape.Length > 2)
        {
            throw new InvalidDataException($"'{name}' is a Fortran-ordered array of {shape.Length} dimensions; save it in C order.");
        }

        return new NamedTensor(name, shape, values);
    }

    private static double[] Decode(ReadOnlySpan<byte> bytes, string dtype, string name)
    {
        int width = dtype switch
        {
            "F64" => 8,
            "F32" => 4,
            "F16" or "BF16" => 2,
            _ => throw new InvalidDataException($"Tensor '{name}' has dtype {dtype}; NetGen reads F64, F32, F16 and BF16."),
        };
        if (bytes.Length % width != 0)
        {
            throw new InvalidDataException($"Tensor '{name}' has {bytes.Length} bytes, not a whole number of {dtype} values.");
        }

        var values = new double[bytes.Length / width];
        for (int i = 0; i < values.Length; i++)
        {
            ReadOnlySpan<byte> v = bytes.Slice(i * width, width);
            values[i] = dtype switch
            {
                "F64" => BinaryPrimitives.ReadDoubleLittleEndian(v),
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(v),
                "F16" => (double)BinaryPrimitives.ReadHalfLittleEndian(v),
                _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(v) << 16), // bfloat16: the top half of a float
            };
        }

        return values;
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

    private static string HeaderValue(string header, string key, string name)
    {
        int at = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        int colon = at < 0 ? -1 : header.IndexOf(':', at);
        if (colon < 0)
        {
            throw new InvalidDataException($"The .npy header of '{name}' has no '{key}': {header.Trim()}");
        }

        int start = colon + 1;
        int end = key == "shape" ? header.IndexOf(')', start) + 1 : header.IndexOf(',', start);
        if (end <= start)
        {
            throw new InvalidDataException($"The .npy header of '{name}' has an unreadable '{key}': {header.Trim()}");
        }

        return header[start..end].Trim();
    }

    private static byte[] ReadBytes(Stream stream, int count, string what)
    {
        var buffer = new byte[count];
        int read = stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        if (read < count)
        {
            throw new InvalidDataException($"The file ends inside {what} ({read} of {count} bytes).");
        }

        return buffer;
    }

    private static string Names(IReadOnlyList<NamedTensor> tensors) =>
        tensors.Count == 0 ? "no tensors" : string.Join(", ", tensors.Select(t => $"'{t.Name}'"));

    /// <summary>Orders <c>2.weight</c> before <c>10.weight</c>, <c>arr_2</c> before <c>arr_10</c>, and a module's weight before its bias.</summary>
    private sealed class NaturalNameComparer : IComparer<string>
    {
        public static readonly NaturalNameComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            string[] a = Split(x ?? ""), b = Split(y ?? "");
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                int order = ComparePart(a[i], b[i]);
                if (order != 0)
                {
                    return order;
                }
            }

            return a.Length.CompareTo(b.Length);
        }

        private static string[] Split(string name) => name.Split('.', '_', '/');

        private static int ComparePart(string a, string b)
        {
            if (long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out long m)
                && long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                return m.CompareTo(n);
            }

            int Rank(string part) => part == "weight" ? 0 : part == "bias" ? 1 : 2;
            int rank = Rank(a).CompareTo(Rank(b));
            return rank != 0 ? rank : string.CompareOrdinal(a, b);
        }
    }
}
