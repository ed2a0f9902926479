using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.SourceGeneration;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Rules;

/// <summary>The cases issue #4 names as its acceptance criteria.</summary>
public sealed class AcceptanceTests
{
    [Fact]
    public async Task Sigmoid_stack_with_mse_on_softmax_reports_vanishing_gradient_and_bounded_output()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd)]
            [Input(784)]
            {|NG1006:[Dense(64, Activation.Sigmoid, Init = Init.GlorotUniform)]|}
            [Dense(64, Activation.Sigmoid, Init = Init.GlorotUniform)]
            [Dense(64, Activation.Sigmoid, Init = Init.GlorotUniform)]
            [Dense(64, Activation.Sigmoid, Init = Init.GlorotUniform)]
            [Dense(64, Activation.Sigmoid, Init = Init.GlorotUniform)]
            {|NG1014:[Dense(10, Activation.Softmax)]|}
            public partial class DigitsNet { }
            """));

        Diagnostic stack = result.Single("NG1006");
        Assert.Equal(DiagnosticSeverity.Warning, stack.Severity);
        string message = stack.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("5 sigmoid layers can shrink by up to 0.25^5 = 9.8e-4", message);
        Assert.Equal(4, stack.AdditionalLocations.Count);

        Diagnostic output = result.Single("NG1014");
        Assert.Equal(DiagnosticSeverity.Warning, output.Severity);
        Assert.Contains("(0, 1) with a sum of 1", output.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ReLU_layer_with_GlorotUniform_reports_NG1001_with_both_variances()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(128)]
            {|NG1001:[Dense(64, Activation.ReLU, Init = Init.GlorotUniform)]|}
            [Dense(1)]
            public partial class Scorer { }
            """));

        string message = result.Single("NG1001").GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("2/(128+64) = 0.01", message);
        Assert.Contains("2/((1+0^2)*128) = 0.016", message);
        Assert.Contains("x0.667 per layer", message);
    }

    [Fact]
    public async Task NG1001_numbers_a_layer_as_the_generated_code_and_its_layer_table_do()
    {
        // Layers are numbered by position (docs/architecture.md): the dropout counts, so the second dense layer is layer 3.
        string markup = Net.Declare("""
            [Input(20)]
            {|NG1001:[Dense(64, Activation.ReLU, Init = Init.GlorotUniform)]|}
            [Dropout(0.1)]
            {|NG1001:[Dense(32, Activation.ReLU, Init = Init.GlorotUniform)]|}
            [Dense(1)]
            public partial class Scorer { }
            """);
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(markup);
        string[] messages = result.WithId("NG1001").Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToArray();
        Assert.StartsWith("Dense layer 1 (20 -> 64, ReLU) uses GlorotUniform", messages[0]);
        Assert.StartsWith("Dense layer 3 (64 -> 32, ReLU) uses GlorotUniform", messages[1]);

        CSharpCompilation compilation = CSharpCompilation.Create("Numbering",
            new[] { CSharpSyntaxTree.ParseText(MarkedSource.Parse(markup).Source, NetGenAnalysis.ParseOptions) },
            TestReferences.All, NetGenAnalysis.CompilationOptions);
        string generated = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: NetGenAnalysis.ParseOptions)
            .RunGenerators(compilation).GetRunResult().GeneratedTrees.Single().ToString();
        Assert.Contains("// Layer 3: Dense 64 -> 32, ReLU", generated);
        Assert.Contains("private static void Dense3Packed(", generated);
        Assert.Matches(new Regex(@"^ *///  *3 +Dense +32 +ReLU ", RegexOptions.Multiline), generated);
        Assert.Matches(new Regex(@"^ *///  *2 +Dropout\(0\.1\) +64", RegexOptions.Multiline), generated);
    }

    [Fact]
    public async Task Every_descriptor_links_to_its_page_and_has_a_description()
    {
        var descriptors = NetGenAnalysis.Analyzers.SelectMany(a => a.SupportedDiagnostics).ToList();
        Assert.Equal(27, descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(descriptors, d =>
        {
            Assert.Equal($"https://github.com/netgen-dev/netgen/blob/main/docs/diagnostics/{d.Id}.md", d.HelpLinkUri);
            Assert.False(string.IsNullOrWhiteSpace(d.Description.ToString(CultureInfo.InvariantCulture)));
        });
        await Task.CompletedTask;
    }
}
