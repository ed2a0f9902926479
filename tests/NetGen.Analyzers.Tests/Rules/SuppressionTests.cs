using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Rules;

/// <summary>The three ways the docs give to silence a rule (.editorconfig is checked end to end by the build test).</summary>
public sealed class SuppressionTests
{
    private const string Risky = """
        [Input(32)]
        [Dense(32, Activation.ReLU, Init = Init.GlorotUniform)]
        [Dense(1)]
        public partial class Scorer { }
        """;

    [Fact]
    public async Task Pragma_silences_a_rule() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare("#pragma warning disable NG1001\n" + Risky + "\n#pragma warning restore NG1001"));

    [Fact]
    public async Task SuppressMessage_on_the_class_silences_a_rule() =>
        await NetGenAnalysis.VerifyAsync(Net.Declare(
            "[System.Diagnostics.CodeAnalysis.SuppressMessage(\"NetGen.Design\", \"NG1001\", Justification = \"measured\")]\n" + Risky));

    [Fact]
    public async Task Severity_none_silences_a_rule_and_warning_raises_it()
    {
        AnalysisResult silenced = await NetGenAnalysis.RunAsync(Net.Declare(Risky), NetGenAnalysis.CompilationOptions
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["NG1001"] = ReportDiagnostic.Suppress }));
        Assert.Empty(silenced.AssertNoCrash().NetGen);

        AnalysisResult raised = await NetGenAnalysis.RunAsync(Net.Declare(Risky), NetGenAnalysis.CompilationOptions
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["NG1001"] = ReportDiagnostic.Error }));
        Assert.Equal(DiagnosticSeverity.Error, raised.Single("NG1001").Severity);
    }
}
