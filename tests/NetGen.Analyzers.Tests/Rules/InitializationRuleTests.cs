using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Rules;

/// <summary>NG1001-NG1005.</summary>
public sealed class InitializationRuleTests
{
    [Fact]
    public async Task NG1001_is_a_warning_from_three_glorot_rectifier_layers()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(64)]
            {|NG1001:[Dense(64, Activation.ReLU, Init = Init.GlorotUniform)]|}
            {|NG1001:[Dense(64, Activation.LeakyReLU, Init = Init.GlorotNormal, Alpha = 0.1)]|}
            {|NG1001:[Dense(64, Activation.PReLU, Init = Init.GlorotUniform)]|}
            [Dense(1)]
            public partial class Deep { }
            """));

        Diagnostic[] found = result.WithId("NG1001").ToArray();
        Assert.All(found, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Contains("2/((1+0.1^2)*64) = 0.031", found[1].GetMessage(CultureInfo.InvariantCulture));
        Assert.Contains("after the 3 rectifier layer(s) initialised this way it keeps x0.134 (~0.5^L)", found[0].GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1001_is_info_for_a_single_layer()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            {|NG1001:[Dense(32, Activation.ReLU, Init = Init.GlorotNormal)]|}
            [Dense(1)]
            public partial class Shallow { }
            """));
        Assert.Equal(DiagnosticSeverity.Info, result.Single("NG1001").Severity);
    }

    [Fact]
    public async Task NG1001_quiet_for_he_init_glorot_tanh_and_a_rectifier_output() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.ReLU, Init = Init.HeUniform)]
            [Dense(32, Activation.Tanh, Init = Init.GlorotUniform)]
            [Dense(8, Activation.ReLU, Init = Init.GlorotUniform)]
            public partial class Fine { }
            """));

    [Fact]
    public async Task NG1002_fires_for_tanh_with_he_init()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            {|NG1002:[Dense(32, Activation.Tanh, Init = Init.HeNormal)]|}
            [Dense(1)]
            public partial class Saturating { }
            """));
        Diagnostic diagnostic = result.Single("NG1002");
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Contains("He variance 2/in = 2/32 = 0.063 is x2 Glorot's 2/(in+out) = 2/(32+32) = 0.031", diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1002_quiet_for_sigmoid_with_default_init() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.Sigmoid)]
            [Dense(1, Activation.Sigmoid, Init = Init.GlorotNormal)]
            public partial class Fine { }
            """));

    [Fact]
    public async Task NG1003_fires_for_selu_with_he_init_and_for_dropout_in_a_selu_network() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            {|NG1003:[Dense(32, Activation.SELU, Init = Init.HeNormal)]|}
            {|NG1003:[Dropout(0.1)]|}
            [Dense(32, Activation.SELU)]
            [Dense(1)]
            public partial class SelfNormalising { }
            """));

    [Fact]
    public async Task NG1003_quiet_for_selu_with_lecun_normal_and_no_dropout() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.SELU, Init = Init.LeCunNormal)]
            [Dense(32, Activation.SELU)]
            [Dense(1)]
            public partial class SelfNormalising { }
            """));

    [Fact]
    public async Task NG1004_is_an_error_below_zero_and_a_warning_at_or_above_one()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            {|NG1004:[Dense(32, Activation.LeakyReLU, Alpha = -0.1)]|}
            {|NG1004:[Dense(32, Activation.LeakyReLU, Alpha = 1)]|}
            {|NG1004:[Dense(32, Activation.LeakyReLU, Alpha = 1.5)]|}
            {|NG1004:[Dense(32, Activation.ELU, Alpha = -1)]|}
            [Dense(1)]
            public partial class Slopes { }

            [Input(32)]
            [Dense(32, Activation.LeakyReLU)]
            {|NG1004:[Dense(32, Activation.PReLU, Alpha = 2)]|}
            [Dense(1)]
            public partial class Learned { }
            """));
        Assert.Equal(
            new[] { DiagnosticSeverity.Error, DiagnosticSeverity.Warning, DiagnosticSeverity.Warning, DiagnosticSeverity.Error, DiagnosticSeverity.Warning },
            result.WithId("NG1004").Select(d => d.Severity));
        Assert.Contains("gain is sqrt(2/(1+a^2)) = 1", result.WithId("NG1004").ElementAt(1).GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1004_quiet_for_usual_slopes_and_the_elu_default() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.LeakyReLU, Alpha = 0.2)]
            [Dense(32, Activation.PReLU)]
            [Dense(32, Activation.ELU)]
            [Dense(1)]
            public partial class Slopes { }
            """));

    [Fact]
    public async Task NG1005_fires_for_zero_weights_on_several_units()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            {|NG1005:[Dense(16, Activation.ReLU, Init = Init.Zeros)]|}
            [Dense(1)]
            public partial class Symmetric { }
            """));
        Assert.Contains("all 16 units", result.Single("NG1005").GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG1005_quiet_for_a_single_zero_initialised_unit() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(32)]
            [Dense(1, Activation.Sigmoid, Init = Init.Zeros)]
            public partial class Logistic { }
            """));
}
