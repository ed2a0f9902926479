using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NetGen;

namespace NetGen.Runtime.Tests.OnnxFiles;

/// <summary>One layer of a fixture network as make_onnx_reference.py declares it.</summary>
public sealed record FixtureLayer(LayerKind Kind, int Units, Activation Activation, double? Alpha, bool Bias);

/// <summary>One PyTorch export of tests/reference/onnx/ with its batch and PyTorch's outputs for it.</summary>
public sealed record FixtureCase(
    string Name,
    string File,
    int Opset,
    string DType,
    int InputSize,
    int OutputSize,
    int Rows,
    IReadOnlyList<FixtureLayer> Layers,
    double[] Inputs,
    double[] OutputsFloat64,
    double[] OutputsNative)
{
    /// <summary>The .onnx file's path in the test output.</summary>
    public string Path => System.IO.Path.Combine(OnnxFixtures.Folder, File);

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Loads tests/reference/onnx/onnx.json (copied to the test output under <c>reference/onnx/</c>) and runs models in ONNX Runtime.</summary>
public static class OnnxFixtures
{
    private static readonly Lazy<(IReadOnlyList<FixtureCase> Cases, IReadOnlyList<string> Refused)> Data = new(Load);

    /// <summary>Where the fixtures are.</summary>
    public static string Folder => System.IO.Path.Combine(AppContext.BaseDirectory, "reference", "onnx");

    /// <summary>The exports with outputs.</summary>
    public static IReadOnlyList<FixtureCase> Cases => Data.Value.Cases;

    /// <summary>The file names of the exports NetGen refuses.</summary>
    public static IReadOnlyList<string> Refused => Data.Value.Refused;

    /// <summary>The case with this name.</summary>
    public static FixtureCase Case(string name) =>
        Cases.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"No ONNX fixture '{name}' in {Folder}.");

    /// <summary>The bytes of every committed .onnx file, exports and refused ones.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> AllFiles() =>
        Directory.GetFiles(Folder, "*.onnx").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (System.IO.Path.GetFileName(f), System.IO.File.ReadAllBytes(f))).ToList();

    /// <summary>Runs a model with one FLOAT input of shape [rows, features] in ONNX Runtime (one thread) and returns its output.</summary>
    public static float[] RunSingle(byte[] model, float[] inputs, int rows) =>
        Run(model, new DenseTensor<float>(inputs, new[] { rows, inputs.Length / rows }), v => v.AsEnumerable<float>().ToArray());

    /// <summary>Runs a model with one DOUBLE input in ONNX Runtime and returns its output.</summary>
    public static double[] RunDouble(byte[] model, double[] inputs, int rows) =>
        Run(model, new DenseTensor<double>(inputs, new[] { rows, inputs.Length / rows }), v => v.AsEnumerable<double>().ToArray());

    private static TResult Run<TElement, TResult>(byte[] model, DenseTensor<TElement> input, Func<DisposableNamedOnnxValue, TResult> read)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        string inputName = session.InputMetadata.Keys.Single();
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
            session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, input) });
        return read(results.Single());
    }

    private static (IReadOnlyList<FixtureCase>, IReadOnlyList<string>) Load()
    {
        string path = System.IO.Path.Combine(Folder, "onnx.json");
        using JsonDocument document = JsonDocument.Parse(System.IO.File.ReadAllBytes(path));
        JsonElement root = document.RootElement;
        if (root.GetProperty("format").GetString() != "netgen-onnx-reference" || root.GetProperty("version").GetInt32() != 1)
        {
            throw new InvalidDataException($"{path} is not a version 1 netgen-onnx-reference file.");
        }

        static double[] Doubles(JsonElement json, string property) =>
            json.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();

        var cases = root.GetProperty("cases").EnumerateArray().Select(c => new FixtureCase(
            c.GetProperty("name").GetString()!,
            c.GetProperty("file").GetString()!,
            c.GetProperty("opset").GetInt32(),
            c.GetProperty("dtype").GetString()!,
            c.GetProperty("input_size").GetInt32(),
            c.GetProperty("output_size").GetInt32(),
            c.GetProperty("rows").GetInt32(),
            c.GetProperty("layers").EnumerateArray().Select(l => new FixtureLayer(
                Enum.Parse<LayerKind>(l.GetProperty("kind").GetString()!),
                l.GetProperty("units").GetInt32(),
                Enum.Parse<Activation>(l.GetProperty("activation").GetString()!),
                l.GetProperty("alpha").ValueKind == JsonValueKind.Null ? null : l.GetProperty("alpha").GetDouble(),
                l.GetProperty("bias").GetBoolean())).ToArray(),
            Doubles(c, "inputs"),
            Doubles(c, "outputs_float64"),
            Doubles(c, "outputs_native"))).ToList();
        foreach (FixtureCase c in cases)
        {
            if (c.Inputs.Length != c.Rows * c.InputSize || c.OutputsFloat64.Length != c.Rows * c.OutputSize || c.OutputsNative.Length != c.Rows * c.OutputSize)
            {
                throw new InvalidDataException($"{path}, case '{c.Name}': array lengths do not fit rows x sizes.");
            }
        }

        var refused = root.GetProperty("refused").EnumerateArray().Select(r => r.GetProperty("file").GetString()!).ToList();
        return (cases, refused);
    }
}
