using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
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
    public async Task Every_descriptor_links_to_its_page_and_has_a_description()
    {
        var descriptors = NetGenAnalysis.Analyzers.SelectMany(a => a.SupportedDiagnostics).ToList();
        Assert.Equal(26, descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(descriptors, d =>
        {
            Assert.Equal($"https://github.com/netgen-dev/netgen/blob/main/docs/diagnostics/{d.Id}.md", d.HelpLinkUri);
            Assert.False(string.IsNullOrWhiteSpace(d.Description.ToString(CultureInfo.InvariantCulture)));
        });
        await Task.CompletedTask;
    }
}
