using System.Globalization;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Rules;

/// <summary>NG1006-NG1008.</summary>
public sealed class DepthRuleTests
{
    [Fact]
    public async Task NG1006_is_info_for_two_sigmoid_layers_and_dropout_does_not_break_the_run()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(16)]
            {|NG1006:[Dense(16, Activation.Sigmoid)]|}
            [Dropout(0.2)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(1)]
            public partial class TwoSigmoids { }
            """));
        Diagnostic diagnostic = result.Single("NG1006");
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Contains("0.25^2 = 0.063", diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1006_quiet_for_one_sigmoid_hidden_layer_and_a_sigmoid_output() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(16)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(16, Activation.ReLU)]
            [Dense(1, Activation.Sigmoid)]
            public partial class OneSigmoid { }
            """));

    [Fact]
    public async Task NG1007_fires_for_six_tanh_layers()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(16)]
            {|NG1007:[Dense(16, Activation.Tanh)]|}
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(1)]
            public partial class TanhStack { }
            """));
        Assert.Contains("0.42^6 = 5.5e-3", result.Single("NG1007").GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1007_quiet_for_five_tanh_layers() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(16)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(16, Activation.Tanh)]
            [Dense(1)]
            public partial class TanhStack { }
            """));

    [Fact]
    public async Task NG1008_fires_on_the_tenth_hidden_layer() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(16)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            {|NG1008:[Dense(16, Activation.ReLU)]|}
            [Dense(1)]
            public partial class VeryDeep { }
            """));

    [Fact]
    public async Task NG1008_quiet_for_nine_hidden_layers() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(16)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(1)]
            public partial class Deep { }
            """));
}
