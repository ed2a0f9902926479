using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Infrastructure;
using NetGen.SourceGeneration;

namespace NetGen.Generator.Tests;

/// <summary>
/// [Network(StandardizeInputs = true)]: InputStandardizer and PredictRaw, a standardizer embedded from a model file or
/// from safetensors/.npz tensors, NG0013 when the file has none, NG0010 when it does not fit (docs/shipping.md).
/// </summary>
public sealed class EmbeddedStandardizerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-standardizer-" + Guid.NewGuid().ToString("N"));

    public EmbeddedStandardizerTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // Chosen so every scaled value is exact: x = (3, 2, 3.5) scales to (1, 0, 1).
    private static readonly double[] Means = { 1, 2, 3 };
    private static readonly double[] Deviations = { 2, 4, 0.5 };

    /// <summary>The tiny 3-2-1 network of EmbeddedWeightsTests, and wrappers that pass arrays to the span members.</summary>
    private static string Source(string settings, string layers = "[Input(3)]\n[Dense(2, Activation.ReLU)]\n[Dense(1)]") => $$"""
        using NetGen;

        namespace Samples
        {
            [Network({{settings}})]
            {{layers}}
            public partial class TinyNet { }

            public static class Probe
            {
                public static float[] Raw(TinyNet net, float[] features) { var output = new float[TinyNet.OutputSize]; net.PredictRaw(features, output); return output; }
                public static float[] Scaled(TinyNet net, float[] features) { var output = new float[TinyNet.OutputSize]; net.Predict(features, output); return output; }
                public static TinyNet Embedded() => new TinyNet();
                public static TinyNet Seeded() => new TinyNet(1);
                public static Standardizer? Get(TinyNet net) => net.InputStandardizer;
                public static void Set(TinyNet net, Standardizer? s) => net.InputStandardizer = s;
            }
        }
        """;

    private static byte[] SafeTensors(IEnumerable<(string Name, int[] Shape, double[] Values, bool Double)> tensors)
    {
        var header = new StringBuilder("{");
        var data = new List<byte>();
        foreach ((string name, int[] shape, double[] values, bool wide) in tensors)
        {
            int begin = data.Count;
            foreach (double v in values)
            {
                data.AddRange(wide ? BitConverter.GetBytes(v) : BitConverter.GetBytes((float)v));
            }

            header.Append(header.Length > 1 ? "," : "").Append($"\"{name}\":{{\"dtype\":\"{(wide ? "F64" : "F32")}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Count}]}}");
        }

        byte[] json = Encoding.UTF8.GetBytes(header.Append('}').ToString());
        return BitConverter.GetBytes((ulong)json.Length).Concat(json).Concat(data).ToArray();
    }

    private static IEnumerable<(string, int[], double[], bool)> Tiny() =>
        EmbeddedWeightsTests.TinyTensors.Select(t => (t.Name, t.Shape, t.Values.Select(v => (double)v).ToArray(), false));

    private static IEnumerable<(string, int[], double[], bool)> Statistics(double[] means, double[] deviations) => new[]
    {
        ("netgen.standardizer.mean", new[] { means.Length }, means, true),
        ("netgen.standardizer.std", new[] { deviations.Length }, deviations, true),
    };

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
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

    private static void AssertEmbedded(GeneratorRun run, double[] means, double[] deviations)
    {
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Problems);
        using var loader = new NetworkLoader(run.Output);
        object net = loader.Call("Samples.Probe", "Embedded")!;
        var standardizer = (Standardizer)loader.Call("Samples.Probe", "Get", net)!;
        Assert.Equal(means, standardizer.Means);
        Assert.Equal(deviations, standardizer.Deviations);
        Assert.Equal(EmbeddedWeightsTests.TinyParameters, ((INeuralNetwork<float>)net).Parameters.ToArray());

        // x = (3, 2, 3.5) -> (1, 0, 1): z1 = (0.5 + 0.25 + 0.5, 2 - 0.75 - 0.25) = (1.25, 1) -> y = 1.875 - 2 + 0.375 = 0.25.
        Assert.Equal(new[] { 0.25f }, (float[])loader.Call("Samples.Probe", "Raw", net, new float[] { 3, 2, 3.5f })!);

        // The seeded constructor draws random weights and has no standardizer: PredictRaw says so.
        object seeded = loader.Call("Samples.Probe", "Seeded")!;
        Assert.Null(loader.Call("Samples.Probe", "Get", seeded));
        var error = Assert.Throws<TargetInvocationException>(() => loader.Call("Samples.Probe", "Raw", seeded, new float[3]));
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains("'Samples.TinyNet' has no InputStandardizer", error.InnerException!.Message);
    }

    [Fact]
    public void ANetGenModelFileSavedWithAStandardizerEmbedsIt()
    {
        GeneratorRun plain = GeneratorHarness.Run(Source("StandardizeInputs = true"));
        byte[] model;
        using (var loader = new NetworkLoader(plain.Output))
        {
            var source = loader.Create<INeuralNetwork<float>>("Samples.TinyNet", 42);
            EmbeddedWeightsTests.TinyParameters.CopyTo(source.Parameters);
            using var stream = new MemoryStream();
            ModelFile.Save(source, stream, Standardizer.FromStatistics(Means, Deviations));
            model = stream.ToArray();
        }

        string file = Write("tiny.ngm", model);
        GeneratorRun run = Run(Source("Weights = \"tiny.ngm\", StandardizeInputs = true"), file);
        AssertEmbedded(run, Means, Deviations);
        string weights = run.Sources["Samples.TinyNet.NetGen.Weights.g.cs"];
        Assert.Contains("// The input standardizer: 3 means and deviations, as doubles.", weights);
        Assert.Contains("static partial void NetGenLoadEmbeddedStandardizer(ref global::NetGen.Standardizer? standardizer)", weights);
        Assert.Contains("        1d, 2d, 3d,\n", weights);
        Assert.Contains("        2d, 4d, 0.5d,\n", weights);

        // Without StandardizeInputs the same file embeds its weights only, and no standardizer members are generated.
        GeneratorRun without = Run(Source("Weights = \"tiny.ngm\"").Replace("net.PredictRaw(features, output);", "").Replace("net.InputStandardizer = s;", "_ = s;").Replace("net.InputStandardizer", "null"), file);
        Assert.Empty(without.GeneratorDiagnostics);
        Assert.Empty(without.Problems);
        Assert.DoesNotContain(without.Sources.Keys, k => k.Contains("Standardizer"));
        Assert.DoesNotContain("NetGenLoadEmbeddedStandardizer", without.Sources["Samples.TinyNet.NetGen.Weights.g.cs"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SafeTensorsTensorsNamedNetgenStandardizerAreTheStandardizer(bool asFloat)
    {
        var statistics = Statistics(Means, Deviations).Select(t => (t.Item1, t.Item2, t.Item3, !asFloat));
        string file = Write("tiny.safetensors", SafeTensors(Tiny().Concat(statistics)));
        AssertEmbedded(Run(Source("Weights = \"tiny.safetensors\", StandardizeInputs = true"), file), Means, Deviations);

        // They are not layer tensors: without StandardizeInputs the file still fits the layers.
        GeneratorRun weightsOnly = GeneratorHarness.Run(CSharpGeneratorDriver.Create(
                new[] { new NetworkGenerator().AsSourceGenerator() }, new AdditionalText[] { new EmbeddedWeightsTests.FileText(file) },
                GeneratorHarness.ParseOptions, new EmbeddedWeightsTests.Options(_directory)),
            GeneratorHarness.Compilation("using NetGen;\n[Network(Weights = \"tiny.safetensors\")] [Input(3)] [Dense(2, Activation.ReLU)] [Dense(1)] public partial class W { }"));
        Assert.Empty(weightsOnly.GeneratorDiagnostics);
        Assert.Empty(weightsOnly.Problems);
    }

    [Fact]
    public void LiteralsKeepEveryBit()
    {
        double[] means = { 0.1, -1.0 / 3, 123456.789e-300 };
        double[] deviations = { Math.PI, 1e-300, double.Epsilon };
        string file = Write("bits.safetensors", SafeTensors(Tiny().Concat(Statistics(means, deviations))));
        GeneratorRun run = Run(Source("Weights = \"bits.safetensors\", StandardizeInputs = true"), file);
        Assert.Empty(run.Problems);
        using var loader = new NetworkLoader(run.Output);
        var standardizer = (Standardizer)loader.Call("Samples.Probe", "Get", loader.Call("Samples.Probe", "Embedded"))!;
        Assert.Equal(means.Select(BitConverter.DoubleToInt64Bits), standardizer.Means.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(deviations.Select(BitConverter.DoubleToInt64Bits), standardizer.Deviations.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData("tiny.safetensors", "(safetensors) has no tensors netgen.standardizer.mean and netgen.standardizer.std")]
    [InlineData("tiny.ngm", "is a NetGen model file saved without one; save it with ModelFile.Save(net, path, standardizer)")]
    public void AFileWithoutAStandardizerIsNG0013(string name, string message)
    {
        byte[] bytes;
        if (name.EndsWith(".ngm", StringComparison.Ordinal))
        {
            using var loader = new NetworkLoader(GeneratorHarness.Run(Source("StandardizeInputs = true")).Output);
            var net = loader.Create<INeuralNetwork<float>>("Samples.TinyNet", 42);
            using var stream = new MemoryStream();
            ModelFile.Save(net, stream);
            bytes = stream.ToArray();
        }
        else
        {
            bytes = SafeTensors(Tiny());
        }

        string file = Write(name, bytes);
        GeneratorRun run = Run(Source($"Weights = \"{name}\", StandardizeInputs = true"), file);
        Diagnostic error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0013", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("https://github.com/netgen-dev/netgen/blob/main/docs/diagnostics/NG0013.md", error.Descriptor.HelpLinkUri);
        Assert.StartsWith($"'Samples.TinyNet' declares StandardizeInputs = true, but its weights file '{name}' ", error.GetMessage());
        Assert.Contains(message, error.GetMessage());
        Assert.Equal($"Weights = \"{name}\"", EmbeddedWeightsTests.AtLocation(error, Source($"Weights = \"{name}\", StandardizeInputs = true")));
        Assert.DoesNotContain(run.Sources.Keys, k => k.Contains("Weights"));
    }

    [Theory]
    [InlineData("only-mean", "it has the tensor 'netgen.standardizer.mean' but not 'netgen.standardizer.std'; a standardizer needs both")]
    [InlineData("shape", "the network takes 3 inputs, so the tensor 'netgen.standardizer.mean' needs shape [3]; it has shape [4]")]
    [InlineData("zero", "the standardizer tensors give feature 1 the deviation 0; deviations must be finite and positive")]
    [InlineData("nan", "the standardizer tensors give feature 2 the mean NaN; means must be finite")]
    public void AStandardizerThatDoesNotFitIsNG0010(string damage, string message)
    {
        var tensors = damage switch
        {
            "only-mean" => Statistics(Means, Deviations).Take(1),
            "shape" => Statistics(new double[] { 1, 2, 3, 4 }, new double[] { 1, 1, 1, 1 }),
            "zero" => Statistics(Means, new double[] { 1, 0, 1 }),
            _ => Statistics(new double[] { 1, 2, double.NaN }, Deviations),
        };
        string file = Write("bad.safetensors", SafeTensors(Tiny().Concat(tensors)));
        Diagnostic error = Assert.Single(Run(Source("Weights = \"bad.safetensors\", StandardizeInputs = true"), file).GeneratorDiagnostics);
        Assert.Equal("NG0010", error.Id);
        Assert.Equal("The weights file 'bad.safetensors' does not fit 'Samples.TinyNet': " + message, error.GetMessage());
    }

    [Fact]
    public void WithoutWeightsTheStandardizerIsSetAtRunTime()
    {
        GeneratorRun run = GeneratorHarness.Run(Source("StandardizeInputs = true"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Problems);
        Assert.Contains("Samples.TinyNet.NetGen.Standardizer.g.cs", run.Sources.Keys);
        using var loader = new NetworkLoader(run.Output);
        object net = loader.Call("Samples.Probe", "Seeded")!;
        EmbeddedWeightsTests.TinyParameters.CopyTo(((INeuralNetwork<float>)net).Parameters);
        Assert.Null(loader.Call("Samples.Probe", "Get", net));
        var missing = Assert.Throws<TargetInvocationException>(() => loader.Call("Samples.Probe", "Raw", net, new float[3]));
        Assert.Contains("has no InputStandardizer to scale raw features with: set InputStandardizer", missing.InnerException!.Message);

        loader.Call("Samples.Probe", "Set", net, Standardizer.FromStatistics(Means, Deviations));
        Assert.Equal(new[] { 0.25f }, (float[])loader.Call("Samples.Probe", "Raw", net, new float[] { 3, 2, 3.5f })!);

        // A standardizer of another width is refused and the old one stays.
        var wrong = Assert.Throws<TargetInvocationException>(() => loader.Call("Samples.Probe", "Set", net, Standardizer.FromStatistics(new double[] { 0, 0 }, new double[] { 1, 1 })));
        Assert.IsType<ArgumentException>(wrong.InnerException);
        Assert.Contains("fitted on 2 features; 'Samples.TinyNet' takes 3 inputs", wrong.InnerException!.Message);
        Assert.Equal(Means, ((Standardizer)loader.Call("Samples.Probe", "Get", net)!).Means);
    }

    [Theory]
    [InlineData(1000, "stackalloc float[InputSize]")]   // 4,000 bytes: on the stack
    [InlineData(1025, "t_netgenRawScratch ??= new float[InputSize]")] // 4,100 bytes: a per-thread array
    public void WideInputsScaleIntoAPerThreadBuffer(int inputs, string buffer)
    {
        GeneratorRun run = GeneratorHarness.Run(Source("StandardizeInputs = true", $"[Input({inputs})]\n[Dense(2, Activation.ReLU)]\n[Dense(1)]"));
        Assert.Empty(run.Problems);
        Assert.Contains(buffer, run.Sources["Samples.TinyNet.NetGen.Standardizer.g.cs"]);

        var random = new Random(inputs);
        double[] means = Enumerable.Range(0, inputs).Select(_ => random.NextDouble() * 10).ToArray();
        double[] deviations = Enumerable.Range(0, inputs).Select(_ => 0.5 + random.NextDouble()).ToArray();
        float[] raw = Enumerable.Range(0, inputs).Select(_ => (float)(random.NextDouble() * 20)).ToArray();
        using var loader = new NetworkLoader(run.Output);
        object net = loader.Call("Samples.Probe", "Seeded")!;
        Standardizer standardizer = Standardizer.FromStatistics(means, deviations);
        loader.Call("Samples.Probe", "Set", net, standardizer);
        float[] scaled = (float[])raw.Clone();
        standardizer.Transform<float>(scaled);
        Assert.Equal((float[])loader.Call("Samples.Probe", "Scaled", net, scaled)!, (float[])loader.Call("Samples.Probe", "Raw", net, raw)!);
    }

    [Theory]
    [InlineData("public void PredictRaw() { }", "PredictRaw")]
    [InlineData("public int InputStandardizer;", "InputStandardizer")]
    [InlineData("private int _netgenStandardizer;", "_netgenStandardizer")]
    public void DeclaringAStandardizerMemberIsNG0009(string member, string name)
    {
        GeneratorRun run = GeneratorHarness.Run($"using NetGen;\n[Network(StandardizeInputs = true)] [Input(3)] [Dense(2, Activation.Softmax)] public partial class Net {{ {member} }}");
        Diagnostic error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0009", error.Id);
        Assert.Contains($"'{name}'", error.GetMessage());

        // Without StandardizeInputs the names are free.
        GeneratorRun free = GeneratorHarness.Run($"using NetGen;\n[Input(3)] [Dense(2, Activation.Softmax)] public partial class Net {{ {member} }}");
        Assert.Empty(free.GeneratorDiagnostics);
        Assert.Empty(free.Problems.Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
