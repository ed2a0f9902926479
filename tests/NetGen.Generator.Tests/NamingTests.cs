using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>
/// Names that used to fail the whole generator (CS8785, which removes the generated members of every network in the
/// project): keywords, escaped namespaces, names that differ only in case. Each must generate valid, compiling code.
/// </summary>
public class NamingTests
{
    private static GeneratorRun AssertCompiles(string source, int networks)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Id == "CS8785");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Problems);
        Assert.Equal(networks, run.Sources.Count);
        return run;
    }

    [Fact]
    public void KeywordTypeName()
    {
        GeneratorRun run = AssertCompiles("using NetGen;\n[Input(2)] [Dense(1)] public partial class @class { }", 1);
        Assert.Equal("class.NetGen.g.cs", run.Sources.Keys.Single());
        Assert.Contains("partial class @class : global::NetGen.INeuralNetwork<float>", run.Sources.Values.Single());
        Assert.Contains("public @class(int seed)", run.Sources.Values.Single());
    }

    [Fact]
    public void KeywordNamespaceAndContainingType()
    {
        GeneratorRun run = AssertCompiles(
            "using NetGen;\nnamespace @class.@void { public partial class @static { [Input(2)] [Dense(1)] public partial class @class { } } }", 1);
        Assert.Equal("class.void.static.class.NetGen.g.cs", run.Sources.Keys.Single());
        string code = run.Sources.Values.Single();
        Assert.Contains("namespace @class.@void", code);
        Assert.Contains("partial class @static", code);
        Assert.Contains("<see cref=\"global::@class.@void.@static.@class\"/>", code);
        Assert.Contains("\"class.void.static.class\",", code); // NetworkInfo.Name is the plain name
    }

    [Fact]
    public void ContextualKeywordNames()
    {
        AssertCompiles("using NetGen;\nnamespace async { [Input(2)] [Dense(1)] public partial class var { } [Input(2)] [Dense(1)] public partial class dynamic { } }", 2);
    }

    [Fact]
    public void NamesThatDifferOnlyInCase()
    {
        GeneratorRun run = AssertCompiles(
            "using NetGen;\nnamespace M { [Input(2)] [Dense(1)] public partial class Mlp { } [Input(3)] [Dense(2)] public partial class MLP { } [Input(4)] [Dense(3)] public partial class mlp { } }", 3);

        // Ordinal order of the full names (MLP < Mlp < mlp): the first keeps the plain name.
        Assert.Equal(new[] { "M.MLP.NetGen.g.cs", "M.Mlp.2.NetGen.g.cs", "M.mlp.3.NetGen.g.cs" }, run.Sources.Keys.OrderBy(k => k, System.StringComparer.Ordinal));
        Assert.Contains("public const int InputSize = 3;", run.Sources["M.MLP.NetGen.g.cs"]);
        Assert.Contains("public const int InputSize = 2;", run.Sources["M.Mlp.2.NetGen.g.cs"]);
        Assert.Contains("public const int InputSize = 4;", run.Sources["M.mlp.3.NetGen.g.cs"]);
    }

    [Fact]
    public void NamespacesThatDifferOnlyInCase()
    {
        GeneratorRun run = AssertCompiles(
            "using NetGen;\nnamespace A.B { [Input(2)] [Dense(1)] public partial class Net { } }\nnamespace a.b { [Input(2)] [Dense(1)] public partial class NET { } }", 2);
        Assert.Equal(2, run.Sources.Keys.Distinct(System.StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void NonAsciiLettersAndNestedTypes()
    {
        AssertCompiles("using NetGen;\nnamespace Réseaux { public partial class Außen { [Input(2)] [Dense(1)] public partial class Netz_ü { } } [Input(2)] [Dense(1)] public partial class Außen_Netz_ü { } }", 2);
    }

    [Fact]
    public void AnInvalidNetworkDoesNotDisturbOthers()
    {
        // One network with an NG error, one with a keyword name, one plain: the plain one still generates.
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n[Input(0)] [Dense(1)] public partial class Bad { }\n[Input(2)] [Dense(1)] public partial class @event { }\n[Input(2)] [Dense(1)] public partial class Good { }");
        Assert.Equal("NG0004", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Equal(new[] { "Good.NetGen.g.cs", "event.NetGen.g.cs" }, run.Sources.Keys.OrderBy(k => k, System.StringComparer.Ordinal));
        Assert.DoesNotContain(run.CompilationDiagnostics, d => d.Id == "CS8785" || (d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true));
    }
    [Fact]
    public void UserTypesNamedVector()
    {
        // A maths library's Vector<T> and Vector, in the global namespace, in the network's namespace and in the
        // kernels' own namespace: the kernels name System.Numerics.Vector in full, so none of them is picked up.
        const string types = "public struct Vector<T> { public static Vector<T> Zero => default; public static int Count => 3; } public static class Vector { public static int Sum<T>(Vector<T> v) => 0; }";
        GeneratorRun run = AssertCompiles(
            "using NetGen;\n" + types + "\nnamespace NetGen.Generated { " + types + " }\nnamespace Game { " + types +
            " [Input(19)] [Dense(5, Activation.ReLU)] [Dense(2, Activation.Softmax)] [Network(Loss = Loss.CrossEntropy)] public partial class Net { } }", 1);
        string code = run.Sources.Values.Single();
        Assert.Contains("public global::System.Numerics.Vector<float> Derivative(global::System.Numerics.Vector<float> z, global::System.Numerics.Vector<float> y) => global::System.Numerics.Vector.ConditionalSelect(", code);
        string statements = string.Join("\n", code.Split('\n').Where(line => !line.TrimStart().StartsWith("//", System.StringComparison.Ordinal)));
        Assert.DoesNotMatch(@"[^.:]Vector[<.]", statements.Replace("global::System.Numerics.Vector", ""));
    }
}
