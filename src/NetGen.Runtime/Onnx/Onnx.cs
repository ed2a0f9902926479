using System;
using System.IO;
using NetGen.OnnxFormat;

namespace NetGen;

/// <summary>
/// Reads and writes ONNX models. <see cref="Import{T}(INeuralNetwork{T}, string)"/> loads the weights of a
/// multilayer perceptron exported by PyTorch (<c>torch.onnx.export</c>) or by tf2onnx into a declared network after
/// checking that the graph computes what the declaration says, layer by layer; <see cref="Export{T}(INeuralNetwork{T}, string)"/>
/// writes any NetGen network as an ONNX model (opset 13) that ONNX Runtime and other consumers run. See docs/shipping.md
/// for the supported operators and the export commands.
/// </summary>
/// <example>
/// <code>
/// # Python
/// torch.onnx.export(model.eval(), torch.randn(1, 4), "iris.onnx", input_names=["input"], output_names=["output"],
///                   dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
/// // C#
/// var net = new IrisNet();
/// Onnx.Import(net, "iris.onnx");
/// Onnx.Export(net, "iris-netgen.onnx");
/// </code>
/// </example>
public static class Onnx
{
    /// <summary>The operator set version of exported models (the default <c>ai.onnx</c> domain).</summary>
    public const int ExportOpset = 13;

    /// <summary>
    /// Loads the weights of the ONNX model at <paramref name="path"/> into <paramref name="network"/>. The graph must be
    /// the declared network: one Gemm (or MatMul, with an Add for the bias) per dense layer in order, each followed by
    /// the operators of the declared activation. The network keeps its parameters when anything does not fit.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed ONNX model, uses an operator NetGen does not
    /// support, or differs from the declaration; the message names the node (its name and operator) and what was
    /// expected and found.</exception>
    public static void Import<T>(INeuralNetwork<T> network, string path) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Import(network, File.ReadAllBytes(path));
    }

    /// <summary>Loads the weights of the ONNX model read from <paramref name="stream"/> (see <see cref="Import{T}(INeuralNetwork{T}, string)"/>).</summary>
    /// <exception cref="InvalidDataException">The model is damaged, unsupported or differs from the declaration.</exception>
    public static void Import<T>(INeuralNetwork<T> network, Stream stream) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        Import(network, ReadAll(stream));
    }

    /// <summary>Loads the weights of the ONNX model in <paramref name="model"/> (see <see cref="Import{T}(INeuralNetwork{T}, string)"/>).</summary>
    /// <exception cref="InvalidDataException">The model is damaged, unsupported or differs from the declaration.</exception>
    public static void Import<T>(INeuralNetwork<T> network, byte[] model) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(model);
        CheckElementType<T>(network);
        double[] values = OnnxImporter.Import(network.Info, OnnxModel.Parse(model));
        Span<T> parameters = network.Parameters;
        if (parameters.Length != values.Length)
        {
            throw new ArgumentException(
                $"'{network.Info.Name}' exposes {parameters.Length} parameters but its Info describes {values.Length}.", nameof(network));
        }

        for (int i = 0; i < values.Length; i++)
        {
            parameters[i] = typeof(T) == typeof(float) ? (T)(object)(float)values[i] : (T)(object)values[i];
        }
    }

    /// <summary>
    /// Writes <paramref name="network"/> as an ONNX model: opset <see cref="ExportOpset"/>, one input <c>input</c> of
    /// shape [batch, InputSize] and one output <c>output</c> of shape [batch, OutputSize] (batch is dynamic), a Gemm
    /// with <c>transB=1</c> per dense layer (weights [out, in] as stored) and its activation as ONNX operators. Dropout
    /// layers are left out (inference). The element type is the network's precision.
    /// </summary>
    public static void Export<T>(INeuralNetwork<T> network, string path) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, ExportBytes(network));
    }

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="stream"/> (see <see cref="Export{T}(INeuralNetwork{T}, string)"/>).</summary>
    public static void Export<T>(INeuralNetwork<T> network, Stream stream) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = ExportBytes(network);
        stream.Write(bytes, 0, bytes.Length);
    }

    /// <summary>Returns <paramref name="network"/> as the bytes of an ONNX model (see <see cref="Export{T}(INeuralNetwork{T}, string)"/>).</summary>
    public static byte[] ExportBytes<T>(INeuralNetwork<T> network) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(network);
        CheckElementType<T>(network);
        ReadOnlySpan<T> parameters = network.Parameters;
        var values = new double[parameters.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = typeof(T) == typeof(float) ? (float)(object)parameters[i] : (double)(object)parameters[i];
        }

        return OnnxExporter.Build(network.Info, values).ToBytes();
    }

    private static void CheckElementType<T>(INeuralNetwork<T> network) where T : unmanaged
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new ArgumentException($"NetGen networks compute in float or double, not {typeof(T).Name}.", nameof(network));
        }
    }

    private static byte[] ReadAll(Stream stream)
    {
        if (stream.CanSeek && stream.Length - stream.Position > int.MaxValue)
        {
            throw new InvalidDataException("The stream holds more than 2 GB; protobuf (and so ONNX without external data) is limited to 2 GB.");
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
