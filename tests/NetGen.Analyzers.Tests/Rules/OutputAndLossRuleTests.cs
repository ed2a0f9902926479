using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Rules;

/// <summary>NG1009-NG1014.</summary>
public sealed class OutputAndLossRuleTests
{
    [Fact]
    public async Task NG1009_fires_for_softmax_on_one_unit() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(16)]
            {|NG1009:[Dense(1, Activation.Softmax)]|}
            public partial class AlwaysOne { }
            """));

    [Fact]
    public async Task NG1009_quiet_for_softmax_on_two_units() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(16)]
            [Dense(2, Activation.Softmax)]
            public partial class TwoClasses { }
            """));

    [Fact]
    public async Task NG1010_fires_on_the_loss_argument_with_one_output_unit()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network({|NG1010:Loss = Loss.CrossEntropy|})]
            [Input(16)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Binary { }
            """));
        Assert.Single(result.Single("NG1010").AdditionalLocations);
    }

    [Fact]
    public async Task NG1010_quiet_for_binary_cross_entropy_with_sigmoid() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.BinaryCrossEntropy)]
            [Input(16)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Binary { }
            """));

    [Fact]
    public async Task NG1011_fires_for_cross_entropy_on_a_sigmoid_output() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.CrossEntropy)]
            [Input(16)]
            {|NG1011:[Dense(10, Activation.Sigmoid)]|}
            public partial class Classes { }
            """));

    [Fact]
    public async Task NG1011_quiet_for_cross_entropy_on_softmax() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.CrossEntropy)]
            [Input(16)]
            [Dense(10, Activation.Softmax)]
            public partial class Classes { }
            """));

    [Fact]
    public async Task NG1012_fires_for_binary_cross_entropy_on_a_linear_output() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.BinaryCrossEntropy)]
            [Input(16)]
            {|NG1012:[Dense(3)]|}
            public partial class Labels { }
            """));

    [Fact]
    public async Task NG1012_quiet_for_binary_cross_entropy_on_sigmoid() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.BinaryCrossEntropy)]
            [Input(16)]
            [Dense(3, Activation.Sigmoid)]
            public partial class Labels { }
            """));

    [Fact]
    public async Task NG1013_fires_for_softmax_with_binary_cross_entropy() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.BinaryCrossEntropy)]
            [Input(16)]
            {|NG1013:[Dense(4, Activation.Softmax)]|}
            public partial class MultiLabel { }
            """));

    [Fact]
    public async Task NG1013_quiet_for_softmax_with_cross_entropy() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.CrossEntropy)]
            [Input(16)]
            [Dense(4, Activation.Softmax)]
            public partial class MultiClass { }
            """));

    [Fact]
    public async Task NG1014_is_a_warning_for_tanh_and_info_for_relu()
    {
        AnalysisResult tanh = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.Huber)]
            [Input(16)]
            {|NG1014:[Dense(1, Activation.Tanh)]|}
            public partial class Regressor { }
            """));
        Assert.Equal(DiagnosticSeverity.Warning, tanh.Single("NG1014").Severity);

        AnalysisResult relu = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.MeanAbsoluteError)]
            [Input(16)]
            {|NG1014:[Dense(1, Activation.ReLU)]|}
            public partial class Regressor { }
            """));
        Assert.Equal(DiagnosticSeverity.Info, relu.Single("NG1014").Severity);
    }

    [Fact]
    public async Task NG1014_quiet_for_a_linear_regression_output() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(16)]
            [Dense(16, Activation.Sigmoid)]
            [Dense(1, Activation.Linear)]
            public partial class Regressor { }
            """));
}
