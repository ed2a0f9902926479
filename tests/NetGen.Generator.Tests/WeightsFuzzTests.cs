using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Infrastructure;
using NetGen.SourceGeneration;
using NetGen.SourceGeneration.Weights;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// Damaged and hostile weights files through the generator at build time (docs/reliability.md, "Weights files at build
/// time"): every case either embeds values or gets NG0010; never a generator exception (CS8785), never the catch-all
/// "NetGen bug" message, never a hang, and allocation bounded by the file's size and the network's budget.
/// </summary>
public sealed class WeightsFuzzTests : IDisposable
{
    private const int CasesPerFormat = 600;

    private readonly ITestOutputHelper _output;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-weights-fuzz-" + Guid.NewGuid().ToString("N"));

    public WeightsFuzzTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string Tiny = "[Input(3)] [Dense(2, Activation.ReLU)] [Dense(1)]";

    // One network per format; the npy network has a single tensor, the onnx one the layers of relu_tanh.onnx.
    private static readonly (string Format, string File, string Type, string Layers)[] Formats =
    {
        ("safetensors", "fuzz.safetensors", "FuzzSafeTensors", Tiny),
        ("npz", "fuzz.npz", "FuzzNpz", Tiny),
        ("npy", "fuzz.npy", "FuzzNpy", "[Input(3)] [Dense(2, Bias = false)]"),
        ("model file", "fuzz.ngm", "FuzzModelFile", Tiny),
        ("model file v2", "fuzz2.ngm", "FuzzModelFileV2", Tiny),
        ("onnx", "fuzz.onnx", "FuzzOnnx", "[Input(4)] [Dense(8, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(3)]"),
    };

    private static byte[] Npz(CompressionLevel level, Func<int, byte[], byte[]>? damage = null)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (int i = 0; i < EmbeddedWeightsTests.TinyTensors.Length; i++)
            {
                var (name, shape, values) = EmbeddedWeightsTests.TinyTensors[i];
                byte[] npy = EmbeddedWeightsTests.Npy(shape, values);
                using Stream entry = archive.CreateEntry(name + ".npy", level).Open();
                entry.Write(damage is null ? npy : damage(i, npy));
            }
        }

        return zip.ToArray();
    }

    // Format version 2: the same weights followed by the optional standardizer section (read with StandardizeInputs).
    private static byte[] ModelFile(bool withStandardizer = false)
    {
        GeneratorRun plain = GeneratorHarness.Run($"using NetGen;\nnamespace Samples;\n{Tiny}\npublic partial class FuzzModelFile {{ }}\n");
        using var loader = new NetworkLoader(plain.Output);
        var net = loader.Create<INeuralNetwork<float>>("Samples.FuzzModelFile", 42);
        EmbeddedWeightsTests.TinyParameters.CopyTo(net.Parameters);
        using var stream = new MemoryStream();
        NetGen.ModelFile.Save(net, stream, withStandardizer ? Standardizer.FromStatistics(new[] { 0.5, -1.25, 3.0 }, new[] { 2.0, 0.75, 16.0 }) : null);
        return stream.ToArray();
    }

    private static readonly int[] Interesting = { 0, 1, -1, 2, 7, 8, 255, 65535, 65536, int.MaxValue, int.MinValue, 0x7FFFFFF0, 100_000_000, 1 << 24 };

    private static byte[] Mutate(Random random, byte[] original, string format)
    {
        var bytes = new List<byte>(original);
        int kind = random.Next(format == "safetensors" ? 10 : 9);
        int At() => random.Next(Math.Max(1, bytes.Count));
        switch (kind)
        {
            case 0: // bit flips
                for (int i = random.Next(1, 5); i > 0 && bytes.Count > 0; i--)
                {
                    int at = At();
                    bytes[at] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 1: // set bytes
                for (int i = random.Next(1, 5); i > 0 && bytes.Count > 0; i--)
                {
                    bytes[At()] = random.Next(3) switch { 0 => 0, 1 => 0xFF, _ => (byte)random.Next(256) };
                }

                break;
            case 2: // truncation
            {
                int keep = random.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
            }

                break;
            case 3: // insertion
                bytes.InsertRange(At(), Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256)));
                break;
            case 4: // deletion
            {
                int at = At();
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 64)));
                break;
            }

            case 5: // appended data
                bytes.AddRange(Enumerable.Range(0, random.Next(1, 2048)).Select(_ => (byte)random.Next(256)));
                break;
            case 6: // a forged 32-bit field anywhere
            case 7:
            {
                int value = Interesting[random.Next(Interesting.Length)] + (random.Next(4) == 0 ? random.Next(-8, 8) : 0);
                int at = random.Next(Math.Max(1, bytes.Count - 4));
                for (int b = 0; b < 4 && at + b < bytes.Count; b++)
                {
                    bytes[at + b] = (byte)(value >> (8 * b));
                }

                break;
            }

            case 8: // a forged 64-bit field at the start (the safetensors header length) or anywhere
            {
                long value = random.Next(3) switch { 0 => long.MaxValue, 1 => random.Next(1, 1 << 30), _ => -random.Next(1, 100) };
                int at = random.Next(2) == 0 ? 0 : random.Next(Math.Max(1, bytes.Count - 8));
                for (int b = 0; b < 8 && at + b < bytes.Count; b++)
                {
                    bytes[at + b] = (byte)(value >> (8 * b));
                }

                break;
            }

            default: // safetensors: a number in the JSON header replaced, the header length kept right
            {
                int length = (int)BitConverter.ToInt64(original, 0);
                string header = Encoding.UTF8.GetString(original, 8, length);
                string[] numbers = { "4294967296", "-1", "1.5", "1e999", "99999999999999999999", "0", "2147483647", "3" };
                var digits = Enumerable.Range(0, header.Length).Where(i => char.IsDigit(header[i]) && (i == 0 || !char.IsDigit(header[i - 1]))).ToList();
                int start = digits[random.Next(digits.Count)], end = start;
                while (end < header.Length && char.IsDigit(header[end]))
                {
                    end++;
                }

                string changed = header.Substring(0, start) + numbers[random.Next(numbers.Length)] + header.Substring(end);
                byte[] json = Encoding.UTF8.GetBytes(changed);
                return BitConverter.GetBytes((long)json.Length).Concat(json).Concat(original.Skip(8 + length)).ToArray();
            }
        }

        return bytes.ToArray();
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void DamagedWeightsFilesGiveNG0010OrEmbedAndNeverCrashTheGenerator()
    {
        var originals = new Dictionary<string, byte[]>
        {
            ["safetensors"] = EmbeddedWeightsTests.SafeTensors(EmbeddedWeightsTests.TinyTensors),
            ["npz"] = Npz(CompressionLevel.Optimal),
            ["npy"] = EmbeddedWeightsTests.Npy(new[] { 2, 3 }, EmbeddedWeightsTests.TinyTensors[0].Values),
            ["model file"] = ModelFile(),
            ["model file v2"] = ModelFile(withStandardizer: true),
            ["onnx"] = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "reference", "onnx", "relu_tanh.onnx")),
        };
        byte[] stored = Npz(CompressionLevel.NoCompression);

        var source = new StringBuilder("using NetGen;\nnamespace Samples;\n");
        foreach (var f in Formats)
        {
            string standardize = f.Format == "model file v2" ? ", StandardizeInputs = true" : "";
            source.Append($"[Network(Weights = \"{f.File}\"{standardize})] {f.Layers}\npublic partial class {f.Type} {{ }}\n");
        }

        var texts = new Dictionary<string, AdditionalText>();
        foreach (var f in Formats)
        {
            string path = Path.Combine(_directory, f.File);
            File.WriteAllBytes(path, originals[f.Format]);
            texts[f.Format] = new EmbeddedWeightsTests.FileText(path);
        }

        CSharpCompilation compilation = GeneratorHarness.Compilation(source.ToString());
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, texts.Values,
            GeneratorHarness.ParseOptions, new EmbeddedWeightsTests.Options(_directory)).RunGenerators(compilation);
        GeneratorDriverRunResult first = driver.GetRunResult();
        Assert.Empty(first.Diagnostics);
        var originalSources = Formats.ToDictionary(f => f.Format, f => WithoutChecksum(WeightsSource(first, f.Type)!));
        // The version 2 file's standardizer is embedded, so its literals are part of what "the original values" compares.
        Assert.Contains("Standardizer.FromStatistics(means, deviations)", WeightsSource(first, "FuzzModelFileV2"));
        Assert.Contains("-1.25", originalSources["model file v2"]);

        var random = new Random(20261201);
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        long worstAllocation = 0;
        double worstSeconds = 0;
        int cases = 0;
        foreach (var f in Formats)
        {
            for (int i = 0; i < CasesPerFormat; i++)
            {
                byte[] bytes = f.Format switch
                {
                    // A third of the .npz cases: valid archives (right CRCs) around a damaged .npy entry; a few deflate bombs.
                    "npz" when i % 50 == 0 => Npz(CompressionLevel.Optimal, (k, npy) => k == 0 ? npy.Concat(new byte[200 << 20]).ToArray() : npy),
                    "npz" when i % 3 == 0 => Npz(CompressionLevel.Optimal, (k, npy) => k == random.Next(4) ? Mutate(random, npy, "npy") : npy),
                    "npz" when i % 3 == 1 => Mutate(random, stored, "npz"),
                    _ => Mutate(random, originals[f.Format], f.Format),
                };
                string path = Path.Combine(_directory, f.File);
                File.WriteAllBytes(path, bytes);
                AdditionalText text = new EmbeddedWeightsTests.FileText(path);
                driver = driver.ReplaceAdditionalText(texts[f.Format], text);
                texts[f.Format] = text;

                long before = GC.GetAllocatedBytesForCurrentThread();
                var clock = Stopwatch.StartNew();
                driver = driver.RunGenerators(compilation);
                double seconds = clock.Elapsed.TotalSeconds;
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                GeneratorDriverRunResult result = driver.GetRunResult();
                cases++;
                worstSeconds = Math.Max(worstSeconds, seconds);

                // 64 x the file, plus what the network's budget lets an .npz decompress to (twice: the growing buffer), plus 4 MB.
                long bound = (64L * bytes.Length) + (2 * (8L * 11 + (16L << 20))) + (4L << 20);
                worstAllocation = Math.Max(worstAllocation, allocated);
                string outcome = Classify(result, f, originalSources[f.Format]);
                string kind = f.Format != "npz" ? f.Format
                    : i % 50 == 0 ? "npz (deflate bomb: 200 MB of zeros in one entry)"
                    : i % 3 == 0 ? "npz (valid archive around a damaged .npy)"
                    : i % 3 == 1 ? "npz (stored, damaged bytes)" : "npz (deflated, damaged bytes)";
                outcomes[$"{kind}: {outcome}"] = outcomes.TryGetValue($"{kind}: {outcome}", out int n) ? n + 1 : 1;
                if (outcome.StartsWith("FAIL", StringComparison.Ordinal) || allocated > bound || seconds > 30)
                {
                    failures.Add($"{f.Format} case {i}: {outcome}, {allocated} bytes allocated (bound {bound}), {seconds:F1} s");
                }
            }
        }

        _output.WriteLine($"{cases} damaged weights files through the generator; most allocated in one run {worstAllocation / 1e6:F1} MB, slowest {worstSeconds:F2} s");
        foreach (var (outcome, count) in outcomes)
        {
            _output.WriteLine($"  {outcome}: {count}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        // The formats with checksums never embed a changed value: NetGen model files (CRC-32 of the whole) and .npz (the
        // zip's CRC-32 per entry, checked after decompression).
        Assert.DoesNotContain(outcomes.Keys, k => (k.StartsWith("npz", StringComparison.Ordinal) || k.StartsWith("model file", StringComparison.Ordinal)) && k.EndsWith("changed values", StringComparison.Ordinal));
        Assert.Equal(Formats.Length * CasesPerFormat, cases);
    }

    public static IEnumerable<object[]> Hostile()
    {
        // An .npy of 640 bytes whose header claims 500,000,000 floats.
        byte[] npy = EmbeddedWeightsTests.Npy(new[] { 2, 3 }, EmbeddedWeightsTests.TinyTensors[0].Values);
        string header = Encoding.ASCII.GetString(npy, 10, npy[8] | (npy[9] << 8));
        string forged = header.Replace("(2, 3)", "(500000000,)");
        byte[] big = npy.Take(8).Concat(BitConverter.GetBytes((ushort)forged.Length)).Concat(Encoding.ASCII.GetBytes(forged))
            .Concat(new byte[640 - 10 - forged.Length]).ToArray();
        yield return new object[] { "forged count.npy", big, "whose data needs 2000000000 bytes, but " };

        // A safetensors file of 1 kB claiming a 100,000,000-byte header.
        byte[] st = EmbeddedWeightsTests.SafeTensors(EmbeddedWeightsTests.TinyTensors);
        byte[] longHeader = BitConverter.GetBytes(100_000_000L).Concat(st.Skip(8)).ToArray();
        yield return new object[] { "long header.safetensors", longHeader, "claims a safetensors header of 100000000 bytes" };

        // A shape whose product overflows 64 bits, and two tensors over the same bytes.
        string json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}";
        yield return new object[] { "overflow.safetensors", BitConverter.GetBytes((long)json.Length).Concat(Encoding.ASCII.GetBytes(json)).Concat(new byte[8]).ToArray(), "more values than one array holds" };
        json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        yield return new object[] { "overlap.safetensors", BitConverter.GetBytes((long)json.Length).Concat(Encoding.ASCII.GetBytes(json)).Concat(new byte[8]).ToArray(), "inside the data of another tensor" };

        // A model file with 1 MB appended.
        yield return new object[] { "appended.ngm", ModelFile().Concat(new byte[1 << 20]).ToArray(), "bytes after its checksum" };
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void TheHostileFilesOfTheReliabilityIssueAreNG0010BeforeAnythingLargeIsAllocated(string name, byte[] bytes, string expected)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        string layers = name.EndsWith(".npy", StringComparison.Ordinal) ? "[Input(3)] [Dense(2, Bias = false)]" : Tiny;
        CSharpCompilation compilation = GeneratorHarness.Compilation($"using NetGen;\nnamespace Samples;\n[Network(Weights = \"{name}\")] {layers}\npublic partial class Net {{ }}\n");
        GeneratorDriver Driver() => CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() },
            new AdditionalText[] { new EmbeddedWeightsTests.FileText(path) }, GeneratorHarness.ParseOptions, new EmbeddedWeightsTests.Options(_directory));
        Driver().RunGenerators(compilation); // the first run JIT-compiles the generator: a fresh driver is measured on the second
        long before = GC.GetAllocatedBytesForCurrentThread();
        GeneratorDriverRunResult result = Driver().RunGenerators(compilation).GetRunResult();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Diagnostic error = Assert.Single(result.Diagnostics);
        _output.WriteLine($"{name}: {allocated / 1e6:F1} MB allocated; {error.GetMessage()}");
        Assert.Equal("NG0010", error.Id);
        Assert.Contains(expected, error.GetMessage());
        Assert.True(allocated < (64L * bytes.Length) + (32L << 20), $"{allocated} bytes allocated");
    }

    private static string? WeightsSource(GeneratorDriverRunResult result, string type) =>
        result.Results[0].GeneratedSources.FirstOrDefault(s => s.HintName == $"Samples.{type}.NetGen.Weights.g.cs").SourceText?.ToString();

    // The embedded values only: the decode calls with their base64 literals (comments name the tensors, which a damaged
    // name changes without changing a value) and the rows of an embedded standardizer's double literals.
    private static string WithoutChecksum(string source) =>
        string.Join("\n", source.Split('\n').Where(line => line.Contains("\"u8, parameters.Slice(", StringComparison.Ordinal)
            || line.TrimStart() is { Length: > 0 } row && (char.IsDigit(row[0]) || row[0] == '-')));

    private static string Classify(GeneratorDriverRunResult result, (string Format, string File, string Type, string Layers) f, string original)
    {
        if (result.Results[0].Exception is { } exception)
        {
            return $"FAIL generator exception {exception.GetType().Name}: {exception.Message}";
        }

        List<Diagnostic> diagnostics = result.Diagnostics.ToList();
        if (diagnostics.Any(d => d.Id != "NG0010"))
        {
            return "FAIL diagnostic " + string.Join("; ", diagnostics.Select(d => d.ToString()));
        }

        Diagnostic? error = diagnostics.SingleOrDefault(d => d.GetMessage().Contains($"'{f.File}'", StringComparison.Ordinal));
        string? weights = WeightsSource(result, f.Type);
        if (error is null)
        {
            return weights is null ? "FAIL neither NG0010 nor weights"
                : WithoutChecksum(weights) == original ? "embedded the original values" : "embedded changed values";
        }

        string message = error.GetMessage();
        if (message.Contains("NetGen bug", StringComparison.Ordinal))
        {
            return "FAIL " + message;
        }

        if (weights is not null)
        {
            return "FAIL NG0010 and weights";
        }

        return message.Contains("does not fit", StringComparison.Ordinal) ? "NG0010 does not fit the network" : "NG0010 damaged or unreadable";
    }
}
