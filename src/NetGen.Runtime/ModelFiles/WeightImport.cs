using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

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
    /// <remarks>
    /// The file is read and checked completely before the network changes: the header's declared sizes are checked
    /// against the file's length before anything is allocated for them, and no more values are read than the network
    /// has parameters. On any exception the network keeps its parameters (docs/reliability.md).
    /// </remarks>
    /// <exception cref="InvalidDataException">The file is malformed or does not fit the network; the message names the
    /// file, the tensor and the sizes that disagree.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static void LoadSafeTensors<T>(INeuralNetwork<T> network, string path) where T : unmanaged => LoadSafeTensors(network, path, out _);

    /// <summary>
    /// As <see cref="LoadSafeTensors{T}(INeuralNetwork{T}, string)"/>, and returns the standardizer the file carries as the
    /// tensors <c>netgen.standardizer.mean</c> and <c>netgen.standardizer.std</c> (shape [InputSize] each), or null.
    /// Nothing changes when the file does not fit.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed or does not fit the network, or its standardizer
    /// tensors are incomplete, of the wrong shape or not usable statistics.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static void LoadSafeTensors<T>(INeuralNetwork<T> network, string path, out Standardizer? standardizer) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = File.OpenRead(path);
        standardizer = LoadWithStandardizer(network, SafeTensorsReader.Read(stream, Budget(network), path));
    }

    /// <summary>As <see cref="LoadSafeTensors{T}(INeuralNetwork{T}, string)"/>, from the rest of <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidDataException">The data is malformed or does not fit the network.</exception>
    public static void LoadSafeTensors<T>(INeuralNetwork<T> network, Stream stream) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        LoadWithStandardizer(network, SafeTensorsReader.Read(stream, Budget(network), "the safetensors data"));
    }

    /// <summary>Loads an <c>.npz</c> archive (from <c>np.savez</c> or <c>np.savez_compressed</c>) into <paramref name="network"/>.</summary>
    /// <remarks>
    /// Every entry's CRC-32 and sizes are checked, no entry is decompressed beyond its declared size or beyond what
    /// the network's parameters need, and the network keeps its parameters on any exception (docs/reliability.md).
    /// </remarks>
    /// <exception cref="InvalidDataException">The archive or an array in it is malformed or damaged, or does not fit the
    /// network; the message names the file, the entry and the sizes that disagree.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static void LoadNpz<T>(INeuralNetwork<T> network, string path) where T : unmanaged => LoadNpz(network, path, out _);

    /// <summary>
    /// As <see cref="LoadNpz{T}(INeuralNetwork{T}, string)"/>, and returns the standardizer the archive carries as the
    /// arrays <c>netgen.standardizer.mean</c> and <c>netgen.standardizer.std</c>, or null. Nothing changes when the
    /// archive does not fit.
    /// </summary>
    /// <exception cref="InvalidDataException">The archive is malformed, damaged or does not fit the network, or its
    /// standardizer arrays are incomplete, of the wrong shape or not usable statistics.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static void LoadNpz<T>(INeuralNetwork<T> network, string path, out Standardizer? standardizer) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream stream = File.OpenRead(path);
        standardizer = LoadWithStandardizer(network, ReadNpz(stream, Budget(network), path));
    }

    /// <summary>As <see cref="LoadNpz{T}(INeuralNetwork{T}, string)"/>, from the rest of <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidDataException">The archive is malformed or damaged, or does not fit the network.</exception>
    public static void LoadNpz<T>(INeuralNetwork<T> network, Stream stream) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        LoadWithStandardizer(network, ReadNpz(stream, Budget(network), "the .npz data"));
    }

    /// <summary>Checks the standardizer tensors, then loads the others; the network changes only when both succeed.</summary>
    private static Standardizer? LoadWithStandardizer<T>(INeuralNetwork<T> network, IReadOnlyList<NamedTensor> tensors) where T : unmanaged
    {
        Standardizer? standardizer = FindStandardizer(tensors, network.InputSize, network.Info.Name);
        Load(network, tensors);
        return standardizer;
    }

    /// <summary>
    /// Copies <paramref name="tensors"/> into <paramref name="network"/>'s parameters. Without <paramref name="order"/>, tensors
    /// are taken in natural order of their names (<c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c> ... or <c>arr_0</c>,
    /// <c>arr_1</c> ...; a module's weight before its bias), leaving out the standardizer tensors
    /// <c>netgen.standardizer.mean</c> and <c>netgen.standardizer.std</c>; with it, in the order the names are listed. The
    /// network keeps its parameters when anything does not fit.
    /// </summary>
    /// <exception cref="InvalidDataException">A tensor is missing, left over, or has the wrong shape; the message names the layer and both shapes.</exception>
    /// <exception cref="ArgumentException"><paramref name="tensors"/> or <paramref name="order"/> holds null.</exception>
    public static void Load<T>(INeuralNetwork<T> network, IReadOnlyList<NamedTensor> tensors, IReadOnlyList<string>? order = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Any(t => t is null) || (order is not null && order.Any(n => n is null)))
        {
            throw new ArgumentException("The tensor list and the order may not hold null.", tensors.Any(t => t is null) ? nameof(tensors) : nameof(order));
        }

        List<NamedTensor> queue = order is null
            ? tensors.Where(t => !IsStandardizerTensor(t)).OrderBy(t => t.Name, global::NetGen.TensorNameComparer.Instance).ToList()
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
    /// <remarks>Declared sizes are checked against the stream's length (when it can seek) before anything is allocated;
    /// a stream that cannot seek is read as far as its data goes, never further than declared.</remarks>
    /// <exception cref="InvalidDataException">The data is malformed; the message names the tensor and both sizes.</exception>
    public static IReadOnlyList<NamedTensor> ReadSafeTensors(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return SafeTensorsReader.Read(stream, ImportBudget.Unlimited, "the safetensors data");
    }

    /// <summary>Reads every array of an <c>.npz</c> archive; names drop the <c>.npy</c> suffix.</summary>
    /// <remarks>Every entry's CRC-32 and sizes are checked. Without a network to bound it, an entry may decompress to
    /// what it declares, which the reader limits to what deflate can produce from the entry's compressed bytes.</remarks>
    /// <exception cref="InvalidDataException">The archive or an array in it is malformed or damaged.</exception>
    public static IReadOnlyList<NamedTensor> ReadNpz(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadNpz(stream, ImportBudget.Unlimited, "the .npz data");
    }

    /// <summary>Reads one <c>.npy</c> array (format versions 1-3; little-endian f2, f4 or f8; C or Fortran order).</summary>
    /// <exception cref="InvalidDataException">The data is malformed; the message names <paramref name="name"/> and the sizes.</exception>
    public static NamedTensor ReadNpy(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        return NpyReader.Read(stream, name, ImportBudget.Unlimited, $"'{name}'");
    }

    private static List<NamedTensor> ReadNpz(Stream stream, ImportBudget budget, string source)
    {
        long length = StreamBytes.Remaining(stream);
        byte[] archive = length >= 0 ? StreamBytes.Read(stream, length, "the archive", source) : StreamBytes.ReadToEnd(stream);
        var tensors = new List<NamedTensor>();
        foreach (ZipReader.Entry entry in ZipReader.ReadDirectory(archive, source))
        {
            string name = entry.Name.EndsWith(".npy", StringComparison.Ordinal) ? entry.Name[..^4] : entry.Name;
            long maxSize = budget.IsLimited ? (budget.Remaining * 8) + NpyReader.MaxHeaderBytes + 16 : long.MaxValue;
            var content = new MemoryStream(ZipReader.Extract(archive, entry, maxSize, budget.Describe(), source), writable: false);
            tensors.Add(NpyReader.Read(content, name, budget, source));
            if (content.Position != content.Length)
            {
                throw new InvalidDataException($"{source}: entry '{entry.Name}' holds {content.Length - content.Position} bytes after its array; the archive is damaged.");
            }
        }

        return tensors;
    }

    private static ImportBudget Budget<T>(INeuralNetwork<T> network) where T : unmanaged =>
        ImportBudget.For(network.Info.Name, network.ParameterCount, network.InputSize);

    /// <summary>The name of the optional tensor that holds a standardizer's means, one per input feature (docs/shipping.md).</summary>
    public const string StandardizerMeanTensor = "netgen.standardizer.mean";

    /// <summary>The name of the optional tensor that holds a standardizer's deviations, one per input feature.</summary>
    public const string StandardizerStdTensor = "netgen.standardizer.std";

    /// <summary>
    /// The standardizer that <paramref name="tensors"/> carry as <see cref="StandardizerMeanTensor"/> and
    /// <see cref="StandardizerStdTensor"/>, or null when they carry neither.
    /// </summary>
    /// <exception cref="InvalidDataException">Only one of the two is there, a shape is not [<paramref name="inputSize"/>],
    /// a mean is not finite or a deviation not finite and positive.</exception>
    internal static Standardizer? FindStandardizer(IReadOnlyList<NamedTensor> tensors, int inputSize, string networkName)
    {
        NamedTensor? mean = tensors.FirstOrDefault(t => t.Name == StandardizerMeanTensor);
        NamedTensor? std = tensors.FirstOrDefault(t => t.Name == StandardizerStdTensor);
        if (mean is null && std is null)
        {
            return null;
        }

        if (mean is null || std is null)
        {
            throw new InvalidDataException(
                $"The file has '{(mean ?? std)!.Name}' but not '{(mean is null ? StandardizerMeanTensor : StandardizerStdTensor)}'; a standardizer needs both.");
        }

        foreach (NamedTensor tensor in new[] { mean, std })
        {
            if (tensor.Shape.Length != 1 || tensor.Shape[0] != inputSize)
            {
                throw new InvalidDataException(
                    $"'{networkName}' takes {inputSize} inputs, so '{tensor.Name}' needs shape [{inputSize}]; it has shape {NamedTensor.FormatShape(tensor.Shape)}.");
            }
        }

        string? problem = Standardizer.Check(mean.Values, std.Values);
        return problem is null ? Standardizer.FromStatistics(mean.Values, std.Values) : throw new InvalidDataException("The file's standardizer cannot be used: " + problem);
    }

    private static bool IsStandardizerTensor(NamedTensor tensor) => tensor.Name is StandardizerMeanTensor or StandardizerStdTensor;

    private static string Names(IReadOnlyList<NamedTensor> tensors) =>
        tensors.Count == 0 ? "no tensors" : string.Join(", ", tensors.Select(t => $"'{t.Name}'"));
}
