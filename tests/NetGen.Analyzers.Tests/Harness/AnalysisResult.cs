using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NetGen.Analyzers.Tests.Harness;

/// <summary>What the generator and every NetGen analyzer reported for one test document.</summary>
public sealed class AnalysisResult
{
    public AnalysisResult(ImmutableArray<Diagnostic> netGen, ImmutableArray<Diagnostic> compiler, ImmutableArray<Diagnostic> generatorDriver,
        IReadOnlyList<Exception> analyzerExceptions, ImmutableArray<Diagnostic> allAnalyzer)
    {
        NetGen = netGen;
        Compiler = compiler;
        GeneratorDriver = generatorDriver;
        AnalyzerExceptions = analyzerExceptions;
        AllAnalyzer = allAnalyzer;
    }

    /// <summary>NGxxxx diagnostics: the generator's NG0xxx and the analyzers' NG1xxx/NG2xxx, unsuppressed.</summary>
    public ImmutableArray<Diagnostic> NetGen { get; }

    /// <summary>The compiler's own diagnostics on the source plus generated code.</summary>
    public ImmutableArray<Diagnostic> Compiler { get; }

    public ImmutableArray<Diagnostic> GeneratorDriver { get; }

    public IReadOnlyList<Exception> AnalyzerExceptions { get; }

    public ImmutableArray<Diagnostic> AllAnalyzer { get; }

    public IEnumerable<Diagnostic> WithId(string id) => NetGen.Where(d => d.Id == id);

    public Diagnostic Single(string id) => Assert.Single(WithId(id));

    /// <summary>Fails on an analyzer exception (AD0001) or a generator exception (CS8785).</summary>
    public AnalysisResult AssertNoCrash()
    {
        Assert.True(AnalyzerExceptions.Count == 0, "Analyzer threw: " + string.Join("\n", AnalyzerExceptions));
        Assert.DoesNotContain(AllAnalyzer, d => d.Id == "AD0001");
        Assert.DoesNotContain(GeneratorDriver, d => d.Id == "CS8785");
        return this;
    }

    /// <summary>Fails when the compiler reports an error (a typo in a test, or generated code that does not compile).</summary>
    public AnalysisResult AssertCompiles()
    {
        Diagnostic[] errors = Compiler.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "Compiler errors:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        return this;
    }

    public string Describe() => string.Join("\n", NetGen.Select(d =>
        $"  {d.Id} ({d.Severity}) at {d.Location.SourceSpan} '{d.Location.SourceTree?.GetText().ToString(d.Location.SourceSpan)}': {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
}
