using System.Threading.Tasks;
using NetGen.Analyzers.Tests.Harness;
using NetGen.CodeFixes;

namespace NetGen.Analyzers.Tests.CodeFixes;

/// <summary>NG1006, NG1009-NG1012, NG1014-NG1016: switch activations (and loss, init).</summary>
public sealed class ActivationCodeFixTests
{
    private static async Task VerifyAsync(string before, string after, string id)
    {
        FixOutcome outcome = await CodeFixHarness.FixOneAsync(Net.Declare(before), new ActivationCodeFix(), id);
        outcome.AssertFixed(Net.Declare(after), id);
    }

    [Fact]
    public async Task NG1006_fix_switches_the_whole_stack_to_relu_with_he_init() => await VerifyAsync("""
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(16)]
        [Dense(16, Activation.Sigmoid, Init = Init.GlorotUniform)]
        [Dense(16, Activation.Sigmoid)]
        [Dropout(0.1)]
        [Dense(16, NetGen.Activation.Sigmoid)]
        [Dense(16, activation: Activation.Sigmoid)]
        [Dense(1)]
        public partial class Deep { }
        """, """
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(16)]
        [Dense(16, Activation.ReLU, Init = Init.HeNormal)]
        [Dense(16, Activation.ReLU, Init = Init.HeNormal)]
        [Dropout(0.1)]
        [Dense(16, NetGen.Activation.ReLU, Init = Init.HeNormal)]
        [Dense(16, activation: Activation.ReLU, Init = Init.HeNormal)]
        [Dense(1)]
        public partial class Deep { }
        """, "NG1006");

    [Fact]
    public async Task NG1009_fix_turns_a_one_unit_softmax_into_sigmoid() => await VerifyAsync("""
        [Input(16)]
        [Dense(1, Activation.Softmax)]
        public partial class AlwaysOne { }
        """, """
        [Input(16)]
        [Dense(1, Activation.Sigmoid)]
        public partial class AlwaysOne { }
        """, "NG1009");

    [Fact]
    public async Task NG1010_fix_sets_sigmoid_output_and_binary_cross_entropy() => await VerifyAsync("""
        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
        [Input(16)]
        [Dense(16, Activation.ReLU)]
        [Dense(1)]
        public partial class Binary { }
        """, """
        [Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam)]
        [Input(16)]
        [Dense(16, Activation.ReLU)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Binary { }
        """, "NG1010");

    [Fact]
    public async Task NG1011_fix_puts_softmax_on_the_output() => await VerifyAsync("""
        [Network(Loss = Loss.CrossEntropy)]
        [Input(16)]
        [Dense(10, (Activation)1)]
        public partial class Classes { }
        """, """
        [Network(Loss = Loss.CrossEntropy)]
        [Input(16)]
        [Dense(10, Activation.Softmax)]
        public partial class Classes { }
        """, "NG1011");

    [Fact]
    public async Task NG1012_fix_puts_sigmoid_on_the_output() => await VerifyAsync("""
        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(16)]
        [Dense(3, Activation.Tanh)]
        public partial class Labels { }
        """, """
        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(16)]
        [Dense(3, Activation.Sigmoid)]
        public partial class Labels { }
        """, "NG1012");

    [Fact]
    public async Task NG1014_fix_makes_the_regression_output_linear() => await VerifyAsync("""
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(16)]
        [Dense(16, Activation.ReLU)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Regressor { }
        """, """
        [Network(Loss = Loss.MeanSquaredError)]
        [Input(16)]
        [Dense(16, Activation.ReLU)]
        [Dense(1, Activation.Linear)]
        public partial class Regressor { }
        """, "NG1014");

    [Fact]
    public async Task NG1015_fix_adds_relu_to_a_layer_without_activation_and_replaces_its_glorot_init() => await VerifyAsync("""
        [Input(64)]
        [Dense(32, Init = Init.GlorotUniform)]
        [Dense(1)]
        public partial class Collapsing { }
        """, """
        [Input(64)]
        [Dense(32, Activation.ReLU, Init = Init.HeNormal)]
        [Dense(1)]
        public partial class Collapsing { }
        """, "NG1015");

    [Fact]
    public async Task NG1016_fix_makes_the_hidden_softmax_relu() => await VerifyAsync("""
        [Input(64)]
        [Dense(32, Activation.Softmax)]
        [Dense(1)]
        public partial class Attention { }
        """, """
        [Input(64)]
        [Dense(32, Activation.ReLU)]
        [Dense(1)]
        public partial class Attention { }
        """, "NG1016");

    [Fact]
    public async Task NG1014_fix_all_fixes_every_network_in_the_document()
    {
        FixOutcome outcome = await CodeFixHarness.FixAllAsync(Net.Declare("""
            [Network(Loss = Loss.Huber)]
            [Input(16)]
            [Dense(1, Activation.Tanh)]
            public partial class A { }

            [Network(Loss = Loss.MeanAbsoluteError)]
            [Input(16)]
            [Dense(2, Activation.Sigmoid)]
            public partial class B { }
            """), new ActivationCodeFix(), "NG1014", "NG1014");
        outcome.AssertFixed(Net.Declare("""
            [Network(Loss = Loss.Huber)]
            [Input(16)]
            [Dense(1, Activation.Linear)]
            public partial class A { }

            [Network(Loss = Loss.MeanAbsoluteError)]
            [Input(16)]
            [Dense(2, Activation.Linear)]
            public partial class B { }
            """), "NG1014");
    }
}
