using System.Threading.Tasks;
using NetGen.Analyzers.Tests.Harness;
using NetGen.CodeFixes;

namespace NetGen.Analyzers.Tests.CodeFixes;

/// <summary>NG1018 and NG1021 (numbers), NG0001 (partial) and NG2004 (the loss that turns training on).</summary>
public sealed class NumberAndPartialCodeFixTests
{
    [Fact]
    public async Task NG1018_fix_clamps_a_high_rate_to_a_half()
    {
        FixOutcome outcome = await CodeFixHarness.FixOneAsync(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.ReLU)]
            [Dropout(0.8)]
            [Dense(1)]
            public partial class Dropouts { }
            """), new NumberCodeFix(), "NG1018");
        outcome.AssertFixed(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.ReLU)]
            [Dropout(0.5)]
            [Dense(1)]
            public partial class Dropouts { }
            """), "NG1018");
    }

    [Fact]
    public async Task NG1018_fix_all_clamps_every_rate()
    {
        FixOutcome outcome = await CodeFixHarness.FixAllAsync(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.ReLU)]
            [Dropout(-0.2)]
            [Dense(32, Activation.ReLU)]
            [Dropout(rate: 1.0)]
            [Dense(1)]
            public partial class Dropouts { }
            """), new NumberCodeFix(), "NG1018", "NG1018");
        outcome.AssertFixed(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.ReLU)]
            [Dropout(0.1)]
            [Dense(32, Activation.ReLU)]
            [Dropout(rate: 0.5)]
            [Dense(1)]
            public partial class Dropouts { }
            """), "NG1018");
    }

    [Fact]
    public async Task NG1021_fix_uses_the_optimizers_default_rate()
    {
        FixOutcome outcome = await CodeFixHarness.FixOneAsync(Net.Declare("""
            [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.5)]
            [Input(8)]
            [Dense(1)]
            public partial class TooFast { }
            """), new NumberCodeFix(), "NG1021");
        outcome.AssertFixed(Net.Declare("""
            [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 1e-3)]
            [Input(8)]
            [Dense(1)]
            public partial class TooFast { }
            """), "NG1021");
    }

    [Fact]
    public async Task NG0001_fix_adds_partial_after_the_other_modifiers()
    {
        FixOutcome outcome = await CodeFixHarness.FixOneAsync(Net.Declare("""
            [Input(8)]
            [Dense(1)]
            public sealed class Closed { }
            """), new AddPartialModifierCodeFix(), "NG0001");
        outcome.AssertFixed(Net.Declare("""
            [Input(8)]
            [Dense(1)]
            public sealed partial class Closed { }
            """), "NG0001");
    }

    [Fact]
    public async Task NG0001_fix_all_handles_declarations_without_modifiers_and_keeps_comments()
    {
        FixOutcome outcome = await CodeFixHarness.FixAllAsync(Net.Declare("""
            [Input(8)]
            [Dense(1)]
            /* first */ class One { }

            [Input(8)]
            [Dense(1)]
            internal class Two { }
            """), new AddPartialModifierCodeFix(), "NG0001", "NG0001");
        outcome.AssertFixed(Net.Declare("""
            [Input(8)]
            [Dense(1)]
            /* first */ partial class One { }

            [Input(8)]
            [Dense(1)]
            internal partial class Two { }
            """), "NG0001");
    }

    [Theory]
    [InlineData("Activation.Softmax", "4", "CrossEntropy")]
    [InlineData("Activation.Sigmoid", "1", "BinaryCrossEntropy")]
    [InlineData("Activation.Linear", "2", "MeanSquaredError")]
    public async Task NG2004_fix_adds_the_loss_for_the_output(string activation, string units, string loss)
    {
        string Source(string network) => Net.Declare($$"""
            {{network}}
            [Input(8)]
            [Dense(16, Activation.ReLU)]
            [Dense({{units}}, {{activation}})]
            public partial class Untrained { }

            public static class Use
            {
                public static void Run(Untrained net, float[] rows, float[] targets) => net.TrainBatch(rows, targets);
            }
            """);
        FixOutcome outcome = await CodeFixHarness.FixOneAsync(Source("[Network(Optimizer = Optimizer.Adam)]"), new LossCodeFix(), "NG2004");
        outcome.AssertFixed(Source($"[Network(Optimizer = Optimizer.Adam, Loss = Loss.{loss})]"), "NG2004");
    }
}
