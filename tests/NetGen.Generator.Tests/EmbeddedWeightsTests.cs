using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.Infrastructure;
using NetGen.SourceGeneration;
using NetGen.SourceGeneration.Weights;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>[Network(Weights = ...)]: files read at build time, shapes checked (NG0010), values embedded, incremental.</summary>
public sealed class EmbeddedWeightsTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-weights-" + Guid.NewGuid().ToString("N"));

    public EmbeddedWeightsTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Net(string name, string weights, string layers = "[Input(3)]\n[Dense(2, Activation.ReLU)]\n[Dense(1)]", string precision = "") => $$"""
        using NetGen;

        namespace Samples;

        [Network(Weights = "{{weights}}"{{precision}})]
        {{layers}}
        public partial class {{name}} { }
        """;

    // 3-2-1: layer 1 weight [2, 3] and bias [2], layer 2 weight [1, 2] and bias [1], chosen so every value is exact in float.
    internal static readonly (string Name, int[] Shape, float[] Values)[] TinyTensors =
    {
        ("0.weight", new[] { 2, 3 }, new[] { 0.5f, -1f, 0.25f, 2f, 0.125f, -0.75f }),
        ("0.bias", new[] { 2 }, new[] { 0.5f, -0.25f }),
        ("2.weight", new[] { 1, 2 }, new[] { 1.5f, -2f }),
        ("2.bias", new[] { 1 }, new[] { 0.375f }),
    };

    internal static readonly float[] TinyParameters = TinyTensors.SelectMany(t => t.Values).ToArray();

    /// <summary>A safetensors file as the format specifies it: u64 header length, JSON header, F32 data.</summary>
    internal static byte[] SafeTensors(IEnumerable<(string Name, int[] Shape, float[] Values)> tensors)
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        var data = new List<byte>();
        foreach ((string name, int[] shape, float[] values) in tensors)
        {
            int begin = data.Count;
            foreach (float v in values)
            {
                data.AddRange(BitConverter.GetBytes(v));
            }

            header.Append($",\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Count}]}}");
        }

        byte[] json = Encoding.UTF8.GetBytes(header.Append('}').ToString());
        return BitConverter.GetBytes((ulong)json.Length).Concat(json).Concat(data).ToArray();
    }

    internal static byte[] Npy(int[] shape, float[] values)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")}), }}";
        int total = 10 + dict.Length + 1;
        dict = dict.PadRight(dict.Length + ((64 - (total % 64)) % 64)) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        bytes.AddRange(new byte[] { 1, 0 });
        bytes.AddRange(BitConverter.GetBytes((ushort)dict.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(dict));
        foreach (float v in values)
        {
            bytes.AddRange(BitConverter.GetBytes(v));
        }

        return bytes.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    internal sealed class FileText(string path) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText? GetText(CancellationToken cancellationToken = default) => SourceText.From("(binary)");
    }

    internal sealed class Options(string directory) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Global(directory);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Global.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Global.Empty;

        private sealed class Global(string? directory) : AnalyzerConfigOptions
        {
            public static readonly Global Empty = new(null);

            public override bool TryGetValue(string key, out string value)
            {
                value = directory ?? "";
                return directory is not null && key == WeightsPipeline.ProjectDirectoryProperty;
            }
        }
    }

    private GeneratorDriver Driver(params AdditionalText[] files) =>
        CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            files,
            GeneratorHarness.ParseOptions,
            new Options(_directory),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private GeneratorRun Run(string source, params string[] files) =>
        GeneratorHarness.Run(Driver(files.Select(f => (AdditionalText)new FileText(f)).ToArray()), GeneratorHarness.Compilation(source));

    [Fact]
    public void SafeTensorsValuesBecomeTheParameterlessConstructorsWeights()
    {
        string file = Write("tiny.safetensors", SafeTensors(TinyTensors));
        GeneratorRun run = Run(Net("TinyNet", "tiny.safetensors"), file);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Problems);
        File.Delete(file); // nothing is read at run time

        using var loader = new NetworkLoader(run.Output);
        var net = loader.Create<INeuralNetwork<float>>("Samples.TinyNet");
        Assert.Equal(TinyParameters, net.Parameters.ToArray());

        // x = (1, 2, 3): z1 = (0.5 - 2 + 0.75 + 0.5, 2 + 0.25 - 2.25 - 0.25) = (-0.25, -0.25) -> ReLU (0, 0); y = 0.375.
        var output = new float[1];
        net.Predict(new float[] { 1, 2, 3 }, output);
        Assert.Equal(0.375f, output[0]);
        // x = (2, 0, 0): z1 = (1.5, 3.75) -> y = 1.5 * 1.5 - 2 * 3.75 + 0.375 = -4.875.
        net.Predict(new float[] { 2, 0, 0 }, output);
        Assert.Equal(-4.875f, output[0]);

        // The seeded constructor still draws random weights.
        var seeded = loader.Create<INeuralNetwork<float>>("Samples.TinyNet", 0);
        Assert.NotEqual(TinyParameters, seeded.Parameters.ToArray());
    }

    [Fact]
    public void TheWeightsFileSaysWhereTheValuesCameFromAndHoldsOneBase64LiteralPerTensor()
    {
        string file = Write("tiny.safetensors", SafeTensors(TinyTensors));
        string source = Run(Net("TinyNet", "tiny.safetensors"), file).Sources["Samples.TinyNet.NetGen.Weights.g.cs"];
        Assert.Contains("from tiny.safetensors", source);
        Assert.Contains("(safetensors, SHA-256 ", source);
        Assert.Contains("//   0.weight [2, 3] -> parameters from 0, layer 1 (Dense 3 -> 2, ReLU) weight", source);
        Assert.Contains("//   2.bias [1] -> parameters from 10, layer 2 (Dense 2 -> 1, Linear) bias", source);
        Assert.Contains("11 float values, 44 bytes little-endian, CRC-32 0x", source);
        // 0.5f, -1f, 0.25f, 2f, 0.125f, -0.75f = 3F000000 BF800000 3E800000 40000000 3E000000 BF400000, little-endian,
        // in base64 by hand: 00 00 00 3F -> "AAAAPw", and so on (RFC 4648, 3 bytes to 4 characters).
        Assert.Contains("            // 0.weight [2, 3]: parameters 0 to 5\n" +
                        "            NetGenDecodeEmbeddedWeights(\"AAAAPwAAgL8AAIA+AAAAQAAAAD4AAEC/\"u8, parameters.Slice(0, 6));\n", source);
        Assert.Contains("NetGenDecodeEmbeddedWeights(\"AADAPg==\"u8, parameters.Slice(10, 1));", source); // 0.375f = 3EC00000
        Assert.DoesNotContain("new byte[]", source);
    }

    [Theory]
    [InlineData("")]
    [InlineData(", Precision = Precision.Double")]
    public void TheBigEndianPathReadsTheSameValues(string precision)
    {
        // 5-70-3: tensors of 350, 70, 210 and 3 values, so blocks of 48 floats (24 doubles) end inside tensors and the
        // last block of each is short. The big-endian branch is forced by compiling the file with IsLittleEndian = false.
        var random = new Random(7);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var tensors = new (string, int[], float[])[]
        {
            ("0.weight", new[] { 70, 5 }, Values(350)), ("0.bias", new[] { 70 }, Values(70)),
            ("2.weight", new[] { 3, 70 }, Values(210)), ("2.bias", new[] { 3 }, Values(3)),
        };
        string file = Write("be.safetensors", SafeTensors(tensors));
        GeneratorRun run = Run(Net("BeNet", "be.safetensors", "[Input(5)]\n[Dense(70, Activation.Tanh)]\n[Dense(3)]", precision), file);
        Assert.Empty(run.Problems);
        string weights = run.Sources["Samples.BeNet.NetGen.Weights.g.cs"];
        Assert.Contains("global::System.BitConverter.IsLittleEndian", weights);
        SyntaxTree generated = run.Output.SyntaxTrees.Single(tree => tree.FilePath.EndsWith("BeNet.NetGen.Weights.g.cs", StringComparison.Ordinal));
        Compilation forced = run.Output.ReplaceSyntaxTree(generated,
            CSharpSyntaxTree.ParseText(weights.Replace("global::System.BitConverter.IsLittleEndian", "false"), GeneratorHarness.ParseOptions, generated.FilePath));
        float[] expected = tensors.SelectMany(t => t.Item3).ToArray();
        using var loader = new NetworkLoader(forced);
        if (precision.Length == 0)
        {
            Assert.Equal(expected, loader.Create<INeuralNetwork<float>>("Samples.BeNet").Parameters.ToArray());
        }
        else
        {
            Assert.Equal(expected.Select(v => (double)v), loader.Create<INeuralNetwork<double>>("Samples.BeNet").Parameters.ToArray());
        }
    }

    [Fact]
    public void DoublePrecisionNetworksEmbedDoubles()
    {
        string file = Write("tiny.safetensors", SafeTensors(TinyTensors));
        GeneratorRun run = Run(Net("TinyNet", "tiny.safetensors", precision: ", Precision = Precision.Double"), file);
        Assert.Empty(run.Problems);
        using var loader = new NetworkLoader(run.Output);
        var net = loader.Create<INeuralNetwork<double>>("Samples.TinyNet");
        Assert.Equal(TinyParameters.Select(v => (double)v).ToArray(), net.Parameters.ToArray());
    }

    [Fact]
    public void NpzArchivesAreReadInStateDictOrder()
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            // Written out of order: 10 sorts after 2 and a weight before its bias.
            foreach (int i in new[] { 3, 2, 1, 0 })
            {
                using Stream entry = archive.CreateEntry(TinyTensors[i].Name + ".npy", CompressionLevel.Optimal).Open();
                entry.Write(Npy(TinyTensors[i].Shape, TinyTensors[i].Values));
            }
        }

        string file = Write("tiny.npz", zip.ToArray());
        GeneratorRun run = Run(Net("TinyNet", "tiny.npz"), file);
        Assert.Empty(run.Problems);
        using var loader = new NetworkLoader(run.Output);
        Assert.Equal(TinyParameters, loader.Create<INeuralNetwork<float>>("Samples.TinyNet").Parameters.ToArray());
    }

    [Fact]
    public void NetGenModelFilesRoundTrip()
    {
        GeneratorRun plain = GeneratorHarness.Run(Net("TinyNet", "x").Replace("[Network(Weights = \"x\")]", ""));
        byte[] model;
        using (var loader = new NetworkLoader(plain.Output))
        {
            var source = loader.Create<INeuralNetwork<float>>("Samples.TinyNet", 42);
            TinyParameters.CopyTo(source.Parameters);
            using var stream = new MemoryStream();
            ModelFile.Save(source, stream);
            model = stream.ToArray();
        }

        string file = Write("tiny.ngm", model);
        GeneratorRun run = Run(Net("TinyNet", "tiny.ngm"), file);
        Assert.Empty(run.Problems);
        using (var loader = new NetworkLoader(run.Output))
        {
            Assert.Equal(TinyParameters, loader.Create<INeuralNetwork<float>>("Samples.TinyNet").Parameters.ToArray());
        }

        // Another architecture: NG0010 names both.
        GeneratorRun wrong = Run(Net("TinyNet", "tiny.ngm", "[Input(3)]\n[Dense(2, Activation.Tanh)]\n[Dense(1)]"), file);
        Diagnostic error = Assert.Single(wrong.GeneratorDiagnostics);
        Assert.Equal("NG0010", error.Id);
        Assert.Contains("saved from the architecture in3|dense2:ReLU:b|dense1:Linear:b|single, but the network is in3|dense2:Tanh:b|dense1:Linear:b|single", error.GetMessage());
    }

    [Fact]
    public void AWrongShapeIsNG0010NamingTheTensorAndBothShapes()
    {
        var tensors = TinyTensors.ToArray();
        tensors[2] = ("2.weight", new[] { 2, 1 }, tensors[2].Values);
        string file = Write("bad.safetensors", SafeTensors(tensors));
        string source = Net("TinyNet", "bad.safetensors");
        GeneratorRun run = Run(source, file);
        Diagnostic error = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0010", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(
            "The weights file 'bad.safetensors' does not fit 'Samples.TinyNet': layer 2 (Dense 2 -> 1, Linear) needs a weight of shape [1, 2]; " +
            "tensor '2.weight' has shape [2, 1] (it looks transposed: NetGen, like torch.nn.Linear, stores weights as [out, in])",
            error.GetMessage());
        Assert.Equal("Weights = \"bad.safetensors\"", AtLocation(error, source));
        Assert.DoesNotContain(run.Sources.Keys, k => k.Contains("Weights"));
    }

    /// <summary>
    /// The text of <paramref name="source"/> (the harness's only source file) that a diagnostic points at: NG0010 and NG0013
    /// point at the Weights argument, not at the weights file.
    /// </summary>
    internal static string AtLocation(Diagnostic diagnostic, string source)
    {
        Assert.Equal("Network0.cs", diagnostic.Location.GetLineSpan().Path);
        return source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
    }

    [Fact]
    public void AnEditAboveTheDeclarationMovesNG0010WithoutPlacingTheWeightsAgain()
    {
        var tensors = TinyTensors.ToArray();
        tensors[2] = ("2.weight", new[] { 2, 1 }, tensors[2].Values);
        string file = Write("moved.safetensors", SafeTensors(tensors));
        string source = Net("TinyNet", "moved.safetensors"), movedSource = source.Replace("namespace Samples;", "namespace Samples;\n\n// a comment\n");
        CSharpCompilation compilation = GeneratorHarness.Compilation(source);
        GeneratorRun first = GeneratorHarness.Run(Driver(new FileText(file)), compilation);
        Diagnostic before = Assert.Single(first.GeneratorDiagnostics);

        SyntaxTree tree = compilation.SyntaxTrees.Single();
        Compilation edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(movedSource)));
        GeneratorRun second = GeneratorHarness.Run(first.Driver, edited);
        Diagnostic after = Assert.Single(second.GeneratorDiagnostics);

        Assert.Equal(before.GetMessage(), after.GetMessage());
        Assert.Equal("Weights = \"moved.safetensors\"", AtLocation(before, source));
        Assert.Equal("Weights = \"moved.safetensors\"", AtLocation(after, movedSource));
        Assert.Equal(before.Location.GetLineSpan().StartLinePosition.Line + 3, after.Location.GetLineSpan().StartLinePosition.Line);
        var reasons = Reasons(second);
        Assert.Single(reasons, r => r.Step == WeightsPipeline.Steps.Outputs);
        Assert.All(reasons, r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.Step} {r.Key}: {r.Reason}"));
    }

    [Fact]
    public void MissingAndLeftOverTensorsAreNG0010()
    {
        string few = Write("few.safetensors", SafeTensors(TinyTensors.Take(3)));
        Diagnostic error = Assert.Single(Run(Net("TinyNet", "few.safetensors"), few).GeneratorDiagnostics);
        Assert.EndsWith("layer 2 (Dense 2 -> 1, Linear) needs a bias of shape [1], but the file has no tensors left", error.GetMessage());

        string many = Write("many.safetensors", SafeTensors(TinyTensors.Append(("4.weight", new[] { 1 }, new[] { 1f }))));
        error = Assert.Single(Run(Net("TinyNet", "many.safetensors"), many).GeneratorDiagnostics);
        Assert.EndsWith("the network has no place for 1 more tensor(s): '4.weight' [1]", error.GetMessage());
    }

    [Fact]
    public void AFileThatIsNotAnAdditionalFilesItemOrMissingIsNG0010()
    {
        Write("tiny.safetensors", SafeTensors(TinyTensors));
        Diagnostic error = Assert.Single(Run(Net("TinyNet", "tiny.safetensors")).GeneratorDiagnostics);
        Assert.Equal("NG0010", error.Id);
        Assert.Equal("The weights file 'tiny.safetensors' of 'Samples.TinyNet' is not an AdditionalFiles item of the project; " +
                     "add <AdditionalFiles Include=\"tiny.safetensors\" /> to the project", error.GetMessage());

        error = Assert.Single(Run(Net("TinyNet", "absent.safetensors")).GeneratorDiagnostics);
        Assert.StartsWith("The weights file 'absent.safetensors' of 'Samples.TinyNet' does not exist (looked for ", error.GetMessage());

        string garbage = Write("garbage.bin", Encoding.ASCII.GetBytes("not weights at all"));
        error = Assert.Single(Run(Net("TinyNet", "garbage.bin"), garbage).GeneratorDiagnostics);
        Assert.Contains("is not a NetGen model file, a safetensors file, an .npz archive or an .npy array", error.GetMessage());

        // The generated network still compiles cleanly apart from NG0010: the partial method has no body to miss.
        Assert.Empty(Run(Net("TinyNet", "garbage.bin"), garbage).Problems);
    }

    private static readonly string[] WeightSteps =
        { WeightsPipeline.Steps.Requests, WeightsPipeline.Steps.Files, WeightsPipeline.Steps.Matches, WeightsPipeline.Steps.Outputs };

    private static List<(string Step, string Key, IncrementalStepRunReason Reason)> Reasons(GeneratorRun run) =>
        run.Result.Results[0].TrackedSteps
            .Where(step => WeightSteps.Contains(step.Key))
            .SelectMany(step => step.Value.SelectMany(s => s.Outputs.Select(o => (step.Key, Describe(o.Value), o.Reason))))
            .ToList();

    private static string Describe(object value) => value switch
    {
        WeightsRequest r => r.Key,
        LoadedWeightsFile f => Path.GetFileName(f.Path),
        WeightsMatch m => m.Request.Key,
        WeightsOutput o => o.HintName,
        _ => value.ToString() ?? "",
    };

    [Fact]
    public void AChangedFileRegeneratesOnlyItsNetworkAndAnUnrelatedEditReadsNothing()
    {
        string a = Write("a.safetensors", SafeTensors(TinyTensors));
        string b = Write("b.safetensors", SafeTensors(TinyTensors));
        string source = Net("NetA", "a.safetensors") + "\n" + Net("NetB", "b.safetensors").Replace("using NetGen;", "").Replace("namespace Samples;", "");
        CSharpCompilation compilation = GeneratorHarness.Compilation(source, "namespace Samples; public static class Helpers { public static int Twice(int x) => 2 * x; }");
        AdditionalText textA = new FileText(a), textB = new FileText(b);
        GeneratorRun first = GeneratorHarness.Run(Driver(textA, textB), compilation);
        Assert.Empty(first.Problems);

        // An unrelated edit: no file is read again, nothing is emitted again.
        SyntaxTree helpers = compilation.SyntaxTrees.Last();
        Compilation edited = compilation.ReplaceSyntaxTree(helpers, helpers.WithChangedText(SourceText.From(helpers.ToString().Replace("2 * x", "x + x"))));
        GeneratorRun unrelated = GeneratorHarness.Run(first.Driver, edited);
        var reasons = Reasons(unrelated);
        Assert.Equal(2, reasons.Count(r => r.Step == WeightsPipeline.Steps.Outputs));
        Assert.All(reasons, r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.Step} {r.Key}: {r.Reason}"));
        Assert.All(reasons.Where(r => r.Step == WeightsPipeline.Steps.Files), r => Assert.Equal(IncrementalStepRunReason.Cached, r.Reason));

        // File a changes: only NetA's weights are rebuilt.
        var changed = TinyTensors.ToArray();
        changed[3] = ("2.bias", new[] { 1 }, new[] { -1.25f });
        File.WriteAllBytes(a, SafeTensors(changed));
        GeneratorDriver driver = unrelated.Driver.ReplaceAdditionalText(textA, new FileText(a));
        GeneratorRun second = GeneratorHarness.Run(driver, edited);
        reasons = Reasons(second);
        Assert.Contains(reasons, r => r.Step == WeightsPipeline.Steps.Outputs && r.Key.Contains("NetA") && r.Reason == IncrementalStepRunReason.Modified);
        Assert.All(reasons.Where(r => r.Key.Contains("NetB") || r.Key == "b.safetensors"),
            r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.Step} {r.Key}: {r.Reason}"));
        Assert.NotEqual(first.Sources["Samples.NetA.NetGen.Weights.g.cs"], second.Sources["Samples.NetA.NetGen.Weights.g.cs"]);
        Assert.Equal(first.Sources["Samples.NetB.NetGen.Weights.g.cs"], second.Sources["Samples.NetB.NetGen.Weights.g.cs"]);
    }

    [Theory]
    [InlineData(256, 128)] // 784-256-128-10: 235,146 floats, 0.9 MB
    [InlineData(1024, 256)] // 784-1024-256-10: 1,068,298 floats, 4.3 MB
    public void AMultiMegabyteFileIsReadOnceAndAnUnrelatedEditCostsNothing(int hidden1, int hidden2)
    {
        var random = new Random(1);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var tensors = new (string, int[], float[])[]
        {
            ("0.weight", new[] { hidden1, 784 }, Values(hidden1 * 784)), ("0.bias", new[] { hidden1 }, Values(hidden1)),
            ("2.weight", new[] { hidden2, hidden1 }, Values(hidden2 * hidden1)), ("2.bias", new[] { hidden2 }, Values(hidden2)),
            ("4.weight", new[] { 10, hidden2 }, Values(10 * hidden2)), ("4.bias", new[] { 10 }, Values(10)),
        };
        byte[] bytes = SafeTensors(tensors);
        string file = Write("big.safetensors", bytes);
        string source = Net("BigNet", "big.safetensors", $"[Input(784)]\n[Dense({hidden1}, Activation.ReLU)]\n[Dense({hidden2}, Activation.ReLU)]\n[Dense(10, Activation.Softmax)]");
        CSharpCompilation compilation = GeneratorHarness.Compilation(source, "namespace Samples; public static class Helpers { public static int Twice(int x) => 2 * x; }");

        // The generator alone (RunGenerators, no compilation of its output): the cost an IDE pays per edit.
        var clock = Stopwatch.StartNew();
        GeneratorDriver driver = Driver(new FileText(file)).RunGenerators(compilation);
        TimeSpan full = clock.Elapsed;
        GeneratorDriverRunResult firstResult = driver.GetRunResult();
        Assert.Empty(firstResult.Diagnostics);
        string weights = firstResult.Results[0].GeneratedSources.Single(s => s.HintName == "Samples.BigNet.NetGen.Weights.g.cs").SourceText.ToString();

        SyntaxTree helpers = compilation.SyntaxTrees.Last();
        Compilation edited = compilation.ReplaceSyntaxTree(helpers, helpers.WithChangedText(SourceText.From(helpers.ToString().Replace("2 * x", "x + x"))));
        clock.Restart();
        driver = driver.RunGenerators(edited);
        TimeSpan incremental = clock.Elapsed;
        var reasons = driver.GetRunResult().Results[0].TrackedSteps
            .Where(step => WeightSteps.Contains(step.Key))
            .SelectMany(step => step.Value.SelectMany(s => s.Outputs.Select(o => (step.Key, o.Reason))))
            .ToList();
        Assert.Contains(reasons, r => r.Key == WeightsPipeline.Steps.Files && r.Reason == IncrementalStepRunReason.Cached);
        Assert.All(reasons, r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.Key}: {r.Reason}"));
        _output.WriteLine($"{bytes.Length / 1e6:F1} MB file: generator full run {full.TotalMilliseconds:F0} ms, " +
                          $"run after an unrelated edit {incremental.TotalMilliseconds:F0} ms, weights source {weights.Length / 1e6:F1} M chars");
        Assert.Contains("            // 0.weight [" + hidden1.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", 784]: parameters 0 to ", weights);
    }
}
