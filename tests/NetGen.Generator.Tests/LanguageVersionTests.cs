using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Infrastructure;
using NetGen.SourceGeneration;

namespace NetGen.Generator.Tests;

/// <summary>NG0012: below C# 11 the generator emits nothing and reports one error; from C# 11 the output compiles.</summary>
public sealed class LanguageVersionTests
{
    private const string Networks = """
        using NetGen;

        namespace Samples;

        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
        [Input(4)]
        [Dense(8, Activation.ReLU)]
        [Dense(3, Activation.Softmax)]
        public partial class Classifier { }

        [Input(2)]
        [Dense(1)]
        public partial class Regressor { }
        """;

    private static GeneratorRun Run(LanguageVersion version, string source, params AdditionalText[] files)
    {
        var options = new CSharpParseOptions(version);
        CSharpCompilation compilation = GeneratorHarness.Compilation(source)
            .RemoveAllSyntaxTrees()
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, options, path: "Network0.cs"));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() }, files, options,
            new EmbeddedWeightsTests.Options(Path.GetTempPath()));
        return GeneratorHarness.Run(driver, compilation);
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp7_3)]
    [InlineData(LanguageVersion.CSharp9)]
    [InlineData(LanguageVersion.CSharp10)]
    public void BelowCSharp11TheGeneratorReportsOneNG0012AndEmitsNothing(LanguageVersion version)
    {
        GeneratorRun run = Run(version, Networks);

        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0012", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("https://github.com/netgen-dev/netgen/blob/main/docs/diagnostics/NG0012.md", diagnostic.Descriptor.HelpLinkUri);
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"The project compiles C# {version.ToDisplayString()}", message);
        Assert.Contains("no code was generated for its 2 network(s): 'Samples.Classifier', 'Samples.Regressor';", message);
        Assert.Contains("<LangVersion>11</LangVersion>", message);
        Assert.Empty(run.Sources);

        // Nothing generated, so no compiler error points into a generated file.
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Id == "CS8785");
    }

    [Fact]
    public void EmbeddedWeightsAreNotReadBelowCSharp11()
    {
        // The weights pipeline is gated too: no NG0010 for a file that is not there, no weights file.
        GeneratorRun run = Run(LanguageVersion.CSharp10,
            "using NetGen;\n[Network(Weights = \"missing.safetensors\")] [Input(3)] [Dense(2, Activation.ReLU)] [Dense(1)] public partial class Net { }");
        Assert.Equal("NG0012", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Contains("its 1 network(s): 'Net';", run.GeneratorDiagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void WithoutNetworksThereIsNoNG0012()
    {
        GeneratorRun run = Run(LanguageVersion.CSharp10, "public class Plain { }");
        Assert.Empty(run.GeneratorDiagnostics);
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp11)]
    [InlineData(LanguageVersion.CSharp12)]
    public void FromCSharp11TheGeneratedCodeCompiles(LanguageVersion version)
    {
        GeneratorRun run = Run(version, Networks);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(2, run.Sources.Count);
        Assert.Empty(run.Problems);
    }

    [Fact]
    public void EmbeddedWeightsCompileWithCSharp11()
    {
        // The weights file's UTF-8 literals are the other C# 11 feature the output uses.
        string directory = Path.Combine(Path.GetTempPath(), "netgen-langversion-" + System.Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string file = Path.Combine(directory, "tiny.safetensors");
            File.WriteAllBytes(file, EmbeddedWeightsTests.SafeTensors(EmbeddedWeightsTests.TinyTensors));
            GeneratorRun run = Run(LanguageVersion.CSharp11,
                $"using NetGen;\n[Network(Weights = @\"{file}\")] [Input(3)] [Dense(2, Activation.ReLU)] [Dense(1)] public partial class Net {{ }}",
                new EmbeddedWeightsTests.FileText(file));
            Assert.Empty(run.GeneratorDiagnostics);
            Assert.Equal(2, run.Sources.Count);
            Assert.Empty(run.Problems);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
