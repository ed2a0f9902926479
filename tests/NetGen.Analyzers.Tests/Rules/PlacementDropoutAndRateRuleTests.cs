using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Rules;

/// <summary>NG1015-NG1021.</summary>
public sealed class PlacementDropoutAndRateRuleTests
{
    [Fact]
    public async Task NG1015_fires_for_a_linear_hidden_layer()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(64)]
            {|NG1015:[Dense(32)]|}
            [Dense(16, Activation.ReLU)]
            [Dense(1)]
            public partial class Collapsing { }
            """));
        Assert.Contains("rank <= min(64, 32, 16) = 16", result.Single("NG1015").GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1015_quiet_for_a_linear_output() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(64)]
            [Dense(32, Activation.ReLU)]
            [Dense(1, Activation.Linear)]
            public partial class Regressor { }
            """));

    [Fact]
    public async Task NG1016_fires_for_a_hidden_softmax()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(64)]
            {|NG1016:[Dense(32, Activation.Softmax)]|}
            [Dense(1)]
            public partial class Attention { }
            """));
        Assert.Contains("1/32 = 0.031", result.Single("NG1016").GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1016_quiet_for_a_softmax_output() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(64)]
            [Dense(32, Activation.ReLU)]
            [Dense(4, Activation.Softmax)]
            public partial class Classifier { }
            """));

    [Fact]
    public async Task NG1017_fires_for_step_in_a_trained_network() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(8)]
            {|NG1017:[Dense(8, Activation.Step)]|}
            [Dense(1)]
            public partial class Perceptron { }
            """));

    [Fact]
    public async Task NG1017_quiet_for_sign_in_an_inference_only_network() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(8)]
            [Dense(8, Activation.Sign)]
            [Dense(1, Activation.Step)]
            public partial class Perceptron { }
            """));

    [Fact]
    public async Task NG1018_errors_outside_zero_to_one_and_warns_above_a_half()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.ReLU)]
            {|NG1018:[Dropout(1.5)]|}
            [Dense(32, Activation.ReLU)]
            {|NG1018:[Dropout(-0.1)]|}
            [Dense(32, Activation.ReLU)]
            {|NG1018:[Dropout(0.7)]|}
            [Dense(1)]
            public partial class Dropouts { }
            """));
        Assert.Equal(new[] { DiagnosticSeverity.Error, DiagnosticSeverity.Error, DiagnosticSeverity.Warning },
            result.WithId("NG1018").Select(d => d.Severity));
        Assert.Contains("1/(1-p) = 3.333", result.WithId("NG1018").Last().GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1018_quiet_at_a_half() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.ReLU)]
            [Dropout(0.5)]
            [Dense(1)]
            public partial class Dropouts { }
            """));

    [Fact]
    public async Task NG1019_fires_for_input_dropout_above_point_two()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            {|NG1019:[Dropout(0.3)]|}
            [Dense(32, Activation.ReLU)]
            [Dense(1)]
            public partial class InputDropout { }
            """));
        Assert.Contains("drops 30% of the raw features", result.Single("NG1019").GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1019_quiet_at_point_two_on_the_input_and_above_it_after_a_layer() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            [Dropout(0.2)]
            [Dense(32, Activation.ReLU)]
            [Dropout(0.4)]
            [Dense(1)]
            public partial class InputDropout { }
            """));

    [Fact]
    public async Task NG1020_fires_for_zero_and_negative_rates() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.MeanSquaredError, {|NG1020:LearningRate = 0|})]
            [Input(8)]
            [Dense(1)]
            public partial class Frozen { }

            [Network(Loss = Loss.MeanSquaredError, {|NG1020:LearningRate = -0.01|})]
            [Input(8)]
            [Dense(1)]
            public partial class Climbing { }
            """));

    [Fact]
    public async Task NG1020_quiet_for_a_positive_rate() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.MeanSquaredError, LearningRate = 1e-4)]
            [Input(8)]
            [Dense(1)]
            public partial class Fine { }
            """));

    [Fact]
    public async Task NG1021_fires_outside_each_optimizers_range()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, {|NG1021:LearningRate = 0.1|})]
            [Input(8)]
            [Dense(1)]
            public partial class TooFast { }

            [Network(Loss = Loss.MeanSquaredError, {|NG1021:LearningRate = 5|})]
            [Input(8)]
            [Dense(1)]
            public partial class SgdTooFast { }
            """));
        Assert.Contains("outside the usual range for Adam, [1e-6, 1e-2]; its default is 1e-3", result.WithId("NG1021").First().GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1021_quiet_inside_the_range() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.MeanSquaredError, LearningRate = 0.5)]
            [Input(8)]
            [Dense(1)]
            public partial class Sgd { }

            [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.AdamW, LearningRate = 3e-4)]
            [Input(8)]
            [Dense(1)]
            public partial class AdamW { }
            """));
}
