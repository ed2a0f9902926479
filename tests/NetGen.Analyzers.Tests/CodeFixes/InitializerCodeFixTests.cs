using System.Threading.Tasks;
using NetGen.Analyzers.Tests.Harness;
using NetGen.CodeFixes;

namespace NetGen.Analyzers.Tests.CodeFixes;

/// <summary>NG1001, NG1002, NG1003: set Init.</summary>
public sealed class InitializerCodeFixTests
{
    [Fact]
    public async Task NG1001_fix_makes_the_relu_layer_HeNormal()
    {
        FixOutcome outcome = await CodeFixHarness.FixOneAsync(Net.Declare("""
            [Input(128)]
            [Dense(64, Activation.ReLU, Init = Init.GlorotUniform)]
            [Dense(1)]
            public partial class Scorer { }
            """), new InitializerCodeFix(), "NG1001", "NG1001:HeNormal");
        outcome.AssertFixed(Net.Declare("""
            [Input(128)]
            [Dense(64, Activation.ReLU, Init = Init.HeNormal)]
            [Dense(1)]
            public partial class Scorer { }
            """), "NG1001");
    }

    [Fact]
    public async Task NG1001_second_action_makes_it_HeUniform_keeping_a_qualified_name_and_spacing()
    {
        FixOutcome outcome = await CodeFixHarness.FixOneAsync(Net.Declare("""
            [Input(128)]
            [Dense(64, Activation.ReLU, Init =   NetGen.Init.GlorotNormal /* tuned */)]
            [Dense(1)]
            public partial class Scorer { }
            """), new InitializerCodeFix(), "NG1001", "NG1001:HeUniform");
        outcome.AssertFixed(Net.Declare("""
            [Input(128)]
            [Dense(64, Activation.ReLU, Init =   NetGen.Init.HeUniform /* tuned */)]
            [Dense(1)]
            public partial class Scorer { }
            """), "NG1001");
    }

    [Fact]
    public async Task NG1001_fix_all_in_project_fixes_every_layer()
    {
        FixOutcome outcome = await CodeFixHarness.FixAllAsync(Net.Declare("""
            [Input(64)]
            [Dense(64, Activation.ReLU, Init = Init.GlorotUniform)]
            [Dense(64, Activation.PReLU, Init = Init.GlorotUniform)]
            [Dense(1)]
            public partial class First { }
            """), new InitializerCodeFix(), "NG1001", "NG1001:HeNormal", Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Project);
        outcome.AssertFixed(Net.Declare("""
            [Input(64)]
            [Dense(64, Activation.ReLU, Init = Init.HeNormal)]
            [Dense(64, Activation.PReLU, Init = Init.HeNormal)]
            [Dense(1)]
            public partial class First { }
            """), "NG1001");
    }

    [Fact]
    public async Task NG1001_fix_all_in_document_fixes_every_layer_of_every_network()
    {
        FixOutcome outcome = await CodeFixHarness.FixAllAsync(Net.Declare("""
            [Input(64)]
            [Dense(64, Activation.ReLU, Init = Init.GlorotUniform)]
            [Dense(64, Activation.ReLU, Init = Init.GlorotUniform)]
            [Dense(64, Activation.LeakyReLU, Init = Init.GlorotNormal)]
            [Dense(1)]
            public partial class First { }

            [Input(32)]
            [Dense(32, Activation.ReLU, Init = Init.GlorotUniform)]
            [Dense(1)]
            public partial class Second { }
            """), new InitializerCodeFix(), "NG1001", "NG1001:HeNormal");
        outcome.AssertFixed(Net.Declare("""
            [Input(64)]
            [Dense(64, Activation.ReLU, Init = Init.HeNormal)]
            [Dense(64, Activation.ReLU, Init = Init.HeNormal)]
            [Dense(64, Activation.LeakyReLU, Init = Init.HeNormal)]
            [Dense(1)]
            public partial class First { }

            [Input(32)]
            [Dense(32, Activation.ReLU, Init = Init.HeNormal)]
            [Dense(1)]
            public partial class Second { }
            """), "NG1001");
        Assert.Equal(4, outcome.Before.NetGen.Length);
    }

    [Fact]
    public async Task NG1002_fix_switches_he_normal_to_glorot_normal()
    {
        FixOutcome outcome = await CodeFixHarness.FixOneAsync(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.Tanh, Init = Init.HeNormal)]
            [Dense(1)]
            public partial class Saturating { }
            """), new InitializerCodeFix(), "NG1002");
        outcome.AssertFixed(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.Tanh, Init = Init.GlorotNormal)]
            [Dense(1)]
            public partial class Saturating { }
            """), "NG1002");
    }

    [Fact]
    public async Task NG1003_fix_adds_LeCunNormal_when_init_is_missing()
    {
        FixOutcome outcome = await CodeFixHarness.FixOneAsync(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.SELU, Bias = false)]
            [Dense(32, Activation.SELU, Init = Init.LeCunUniform)]
            [Dense(1)]
            public partial class SelfNormalising { }
            """), new InitializerCodeFix(), "NG1003");
        outcome.AssertFixed(Net.Declare("""
            [Input(32)]
            [Dense(32, Activation.SELU, Bias = false)]
            [Dense(32, Activation.SELU, Init = Init.LeCunNormal)]
            [Dense(1)]
            public partial class SelfNormalising { }
            """), "NG1003");
    }
}
