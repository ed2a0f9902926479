using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Infrastructure;
using NetGen.SourceGeneration;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// [Network(Weights = "model.onnx")]: the PyTorch exports of tests/reference/onnx (tests/reference/make_onnx_reference.py)
/// read at build time, checked against the declaration by Onnx.Import's graph check, and embedded.
/// </summary>
public sealed class EmbeddedOnnxTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-onnx-" + Guid.NewGuid().ToString("N"));

    public EmbeddedOnnxTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Folder => Path.Combine(AppContext.BaseDirectory, "reference", "onnx");

    private sealed record Case(string Name, string File, int InputSize, int OutputSize, int Rows, string Layers, double[] Inputs, double[] Outputs);

    private static List<Case> Cases()
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "onnx.json")));
        var cases = new List<Case>();
        foreach (JsonElement c in json.RootElement.GetProperty("cases").EnumerateArray())
        {
            var layers = new StringBuilder();
            foreach (JsonElement layer in c.GetProperty("layers").EnumerateArray())
            {
                if (layer.GetProperty("kind").GetString() == "Dropout")
                {
                    layers.Append($"[Dropout({layer.GetProperty("rate").GetDouble().ToString("R", CultureInfo.InvariantCulture)})] ");
                    continue;
                }

                string activation = layer.GetProperty("activation").GetString()!;
                string alpha = activation is "LeakyReLU" or "ELU"
                    ? ", Alpha = " + layer.GetProperty("alpha").GetDouble().ToString("R", CultureInfo.InvariantCulture)
                    : "";
                string bias = layer.GetProperty("bias").GetBoolean() ? "" : ", Bias = false";
                layers.Append($"[Dense({layer.GetProperty("units").GetInt32()}, Activation.{activation}{alpha}{bias})] ");
            }

            cases.Add(new Case(c.GetProperty("name").GetString()!, c.GetProperty("file").GetString()!, c.GetProperty("input_size").GetInt32(),
                c.GetProperty("output_size").GetInt32(), c.GetProperty("rows").GetInt32(), layers.ToString(),
                c.GetProperty("inputs").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                c.GetProperty("outputs_float64").EnumerateArray().Select(v => v.GetDouble()).ToArray()));
        }

        return cases;
    }

    private static string TypeName(string name) =>
        "Onnx" + string.Concat(name.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part.Substring(1)));

    private string Copy(string file)
    {
        string path = Path.Combine(_directory, file);
        File.Copy(Path.Combine(Folder, file), path, overwrite: true);
        return path;
    }

    private GeneratorRun Run(string source, params string[] files) =>
        GeneratorHarness.Run(
            CSharpGeneratorDriver.Create(
                new[] { new NetworkGenerator().AsSourceGenerator() },
                files.Select(f => (AdditionalText)new EmbeddedWeightsTests.FileText(f)).ToArray(),
                GeneratorHarness.ParseOptions,
                new EmbeddedWeightsTests.Options(_directory)),
            GeneratorHarness.Compilation(source));

    [Fact]
    public void EveryPyTorchExportEmbedsAndReproducesPyTorchsFloat64Outputs()
    {
        List<Case> cases = Cases();
        Assert.Equal(11, cases.Count);
        var source = new StringBuilder("using NetGen;\nnamespace Samples;\n");
        foreach (Case c in cases)
        {
            source.Append($"[Network(Precision = Precision.Double, Weights = \"{c.File}\")] [Input({c.InputSize})] {c.Layers}\npublic partial class {TypeName(c.Name)} {{ }}\n");
        }

        GeneratorRun run = Run(source.ToString(), cases.Select(c => Copy(c.File)).ToArray());
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Problems);
        Assert.Contains("// Tensors, in the order they fill the parameters:\n//   graph [8, 4] -> parameters from 0, layer 1 (Dense 4 -> 8, ReLU) weight",
            run.Sources["Samples.OnnxReluTanh.NetGen.Weights.g.cs"]);
        Assert.Contains("(ONNX, SHA-256 ", run.Sources["Samples.OnnxReluTanh.NetGen.Weights.g.cs"]);
        foreach (Case c in cases)
        {
            File.Delete(Path.Combine(_directory, c.File)); // nothing is read at run time
        }

        using var loader = new NetworkLoader(run.Output);
        double worst = 0;
        foreach (Case c in cases)
        {
            var net = loader.Create<INeuralNetwork<double>>("Samples." + TypeName(c.Name));
            var output = new double[c.OutputSize];
            for (int r = 0; r < c.Rows; r++)
            {
                net.Predict(c.Inputs.AsSpan(r * c.InputSize, c.InputSize), output);
                for (int o = 0; o < c.OutputSize; o++)
                {
                    double expected = c.Outputs[(r * c.OutputSize) + o];
                    double relative = Math.Abs(output[o] - expected) / Math.Max(Math.Abs(expected), 1e-12);
                    Assert.True(Math.Abs(output[o] - expected) <= 1e-9 * Math.Abs(expected) + 1e-12,
                        $"{c.Name} row {r} output {o}: NetGen {output[o]:R}, PyTorch float64 {expected:R}");
                    worst = Math.Max(worst, relative);
                }
            }

            // The embedded values are exactly what Onnx.Import reads from the same file at run time.
            var imported = loader.Create<INeuralNetwork<double>>("Samples." + TypeName(c.Name), 5);
            Onnx.Import(imported, Path.Combine(Folder, c.File));
            Assert.Equal(imported.Parameters.ToArray(), net.Parameters.ToArray());
        }

        _output.WriteLine($"{cases.Count} ONNX files embedded; worst relative difference from PyTorch's float64 outputs {worst:E1}");
    }

    [Fact]
    public void AFloatNetworkEmbedsTheFloatWeights()
    {
        Case c = Cases().Single(x => x.Name == "relu_tanh");
        GeneratorRun run = Run($"using NetGen;\nnamespace Samples;\n[Network(Weights = \"{c.File}\")] [Input({c.InputSize})] {c.Layers}\npublic partial class Net {{ }}\n", Copy(c.File));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Problems);
        using var loader = new NetworkLoader(run.Output);
        var net = loader.Create<INeuralNetwork<float>>("Samples.Net");
        var imported = loader.Create<INeuralNetwork<float>>("Samples.Net", 5);
        Onnx.Import(imported, Path.Combine(Folder, c.File));
        Assert.Equal(imported.Parameters.ToArray(), net.Parameters.ToArray());
    }

    [Fact]
    public void AGraphThatDiffersFromTheDeclarationIsNG0010NamingTheNodeAndBothShapes()
    {
        string file = Copy("relu_tanh.onnx");
        Diagnostic error = Assert.Single(Run(
            "using NetGen;\nnamespace Samples;\n[Network(Weights = \"relu_tanh.onnx\")] [Input(4)] [Dense(9, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(3)]\npublic partial class Net { }\n",
            file).GeneratorDiagnostics);
        _output.WriteLine(error.GetMessage());
        Assert.Equal("NG0010", error.Id);
        Assert.StartsWith("The weights file 'relu_tanh.onnx' does not fit 'Samples.Net': Node Gemm '/0/Gemm' (layer 1 of 'Samples.Net', Dense 4 -> 9) needs a weight of shape [9, 4]", error.GetMessage());
        Assert.EndsWith("tensor '0.weight' (FLOAT [8, 4]) has shape [8, 4].", error.GetMessage());

        error = Assert.Single(Run(
            "using NetGen;\nnamespace Samples;\n[Network(Weights = \"relu_tanh.onnx\")] [Input(4)] [Dense(8, Activation.ReLU)] [Dense(6, Activation.Sigmoid)] [Dense(3)]\npublic partial class Net { }\n",
            file).GeneratorDiagnostics);
        _output.WriteLine(error.GetMessage());
        Assert.EndsWith("layer 2 of 'Samples.Net' (Dense 8 -> 6) expects Sigmoid, but the graph computes Tanh (Tanh '/3/Tanh').", error.GetMessage());
    }

    [Theory]
    [InlineData("refused_gelu_exact.onnx", "[Input(5)] [Dense(4, Activation.GELU)] [Dense(3)]", "approximate='tanh'")]
    [InlineData("refused_log_softmax.onnx", "[Input(5)] [Dense(4, Activation.ReLU)] [Dense(3, Activation.Softmax)]", "LogSoftmax '/3/LogSoftmax'")]
    public void UnsupportedOperatorsAreNG0010WithTheFix(string fileName, string layers, string expected)
    {
        string file = Copy(fileName);
        GeneratorRun run = Run($"using NetGen;\nnamespace Samples;\n[Network(Weights = \"{fileName}\")] {layers}\npublic partial class Net {{ }}\n", file);
        Diagnostic error = Assert.Single(run.GeneratorDiagnostics);
        _output.WriteLine(error.GetMessage());
        Assert.Equal("NG0010", error.Id);
        Assert.Contains(expected, error.GetMessage());
        Assert.Empty(run.Problems);
    }

    [Fact]
    public void ADamagedOnnxFileIsNG0010()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, "relu_tanh.onnx"));
        string path = Path.Combine(_directory, "cut.onnx");
        File.WriteAllBytes(path, bytes.Take(bytes.Length / 2).ToArray());
        Diagnostic error = Assert.Single(Run(
            "using NetGen;\nnamespace Samples;\n[Network(Weights = \"cut.onnx\")] [Input(4)] [Dense(8, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(3)]\npublic partial class Net { }\n",
            path).GeneratorDiagnostics);
        _output.WriteLine(error.GetMessage());
        Assert.Equal("NG0010", error.Id);
        Assert.StartsWith("The weights file 'cut.onnx' of 'Samples.Net' is not a readable ONNX model: ", error.GetMessage());
        Assert.Contains("truncated", error.GetMessage());
    }
}
