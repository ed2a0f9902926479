using System.Globalization;
using System.Threading.Tasks;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Rules;

/// <summary>NG1022, NG1023 and NG2001.</summary>
public sealed class CapacityAndWidthRuleTests
{
    [Fact]
    public async Task NG1022_fires_for_a_hidden_layer_narrower_than_the_classes() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(64)]
            {|NG1022:[Dense(8, Activation.ReLU)]|}
            [Dense(10, Activation.Softmax)]
            public partial class Bottleneck { }
            """));

    [Fact]
    public async Task NG1022_quiet_when_every_hidden_layer_is_wide_enough() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(64)]
            [Dense(16, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public partial class Wide { }
            """));

    [Fact]
    public async Task NG1023_fires_for_a_layer_of_a_hundred_million_weights()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
            [Input(20000)]
            {|NG1023:[Dense(8000, Activation.ReLU)]|}
            [Dense(1)]
            public partial class Huge { }
            """));
        string message = result.Single("NG1023").GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("160,000,000 weights: 640 MB", message);
        Assert.Contains("x3 = 1.9 GB while training with Adam", message);
    }

    [Fact]
    public async Task NG1023_quiet_for_a_million_weights() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(1000)]
            [Dense(1000, Activation.ReLU)]
            [Dense(1)]
            public partial class Big { }
            """));

    [Fact]
    public async Task NG2001_fires_for_the_input_and_a_hidden_width()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            {|NG2001:[Input(100)]|}
            {|NG2001:[Dense(30, Activation.ReLU)]|}
            [Dense(3)]
            public partial class Ragged { }
            """));
        Assert.Contains("leaving 4 of 8 lanes idle on 8-lane vectors and 12 of 16 on 16-lane vectors", ((Microsoft.CodeAnalysis.Diagnostic)result.NetGen[0]).GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG2001_quiet_for_multiples_of_eight_narrow_inputs_and_any_output_width() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(4)]
            [Dense(32, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public partial class Even { }
            """));

    [Theory]
    [InlineData(13)]   // wine
    [InlineData(30)]   // breast cancer
    [InlineData(63)]   // the widest input still taken for tabular
    [InlineData(1025)] // a tail of 1 after 128 vector steps: under 5%
    [InlineData(201)]  // 1 after 25 steps: 4%
    public async Task NG2001_quiet_for_a_tabular_input_width_or_a_small_tail(int features) =>
        await NetGenAnalysis.VerifyAsync(Net.Declare($$"""
            [Input({{features}})]
            [Dense(32, Activation.ReLU)]
            [Dense(3)]
            public partial class Tabular { }
            """));

    [Theory]
    [InlineData(64 + 1)]  // 1 after 8 vector steps: 12.5%
    [InlineData(100)]     // 4 after 12: 33%
    [InlineData(161)]     // 1 after 20: exactly 5%
    public async Task NG2001_fires_for_a_wide_input_whose_tail_is_a_noticeable_share(int features) =>
        await NetGenAnalysis.VerifyAsync(Net.Declare($$"""
            {|NG2001:[Input({{features}})]|}
            [Dense(32, Activation.ReLU)]
            [Dense(3)]
            public partial class Spectra { }
            """));

    [Fact]
    public async Task NG2001_fires_for_an_odd_hidden_width_behind_a_tabular_input()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Net.Declare("""
            [Input(13)]
            {|NG2001:[Dense(20, Activation.ReLU)]|}
            [Dense(3, Activation.Softmax)]
            public partial class Wine { }
            """));
        Assert.StartsWith("Dense layer 1 (13 -> 20, ReLU) has width 20, not a multiple of 8", result.NetGen[0].GetMessage(CultureInfo.InvariantCulture));
    }
}
