using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NetGen.SourceGeneration;

namespace NetGen.Analyzers.Tests.Harness;

/// <summary>
/// Runs the NetGen generator and then every NetGen analyzer over a document, as the IDE and <c>dotnet build</c> do:
/// the generated members exist, so calls to Predict bind. Analyzer exceptions are collected, never swallowed.
/// </summary>
public static class NetGenAnalysis
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly CSharpCompilationOptions CompilationOptions =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>Every analyzer in NetGen.Analyzers.dll.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(InitializationAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static Task<AnalysisResult> RunAsync(string source, CSharpCompilationOptions? options = null) =>
        RunAsync(CSharpSyntaxTree.ParseText(SourceText.From(source), ParseOptions, "Test0.cs"), options);

    public static async Task<AnalysisResult> RunAsync(Document document)
    {
        SyntaxTree tree = (await document.GetSyntaxTreeAsync())!;
        return await RunAsync(tree);
    }

    public static async Task<AnalysisResult> RunAsync(SyntaxTree tree, CSharpCompilationOptions? options = null)
    {
        CSharpCompilation compilation = CSharpCompilation.Create("NetGenTest", new[] { tree }, TestReferences.All, options ?? CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out ImmutableArray<Diagnostic> driverDiagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();

        var exceptions = new ConcurrentQueue<Exception>();
        var analyzerOptions = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue(new InvalidOperationException(analyzer.GetType().Name + " threw", exception)),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = new CompilationWithAnalyzers(generated, Analyzers, analyzerOptions);
        ImmutableArray<Diagnostic> analyzerDiagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        // Generator diagnostics go through the same severity options and #pragma filtering as the compiler's own.
        IEnumerable<Diagnostic> generatorDiagnostics = run.Diagnostics
            .Select(d => InTree(d, tree))
            .Select(d => CompilationWithAnalyzers.GetEffectiveDiagnostics(new[] { d }, generated).FirstOrDefault())
            .Where(d => d is not null && !d.IsSuppressed)!;
        ImmutableArray<Diagnostic> netGen = generatorDiagnostics.Concat(analyzerDiagnostics)
            .Where(d => d.Id.StartsWith("NG", StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
        ImmutableArray<Diagnostic> compilerDiagnostics = generated.GetDiagnostics().Where(d => !d.Id.StartsWith("NG", StringComparison.Ordinal)).ToImmutableArray();
        return new AnalysisResult(netGen, compilerDiagnostics, driverDiagnostics, exceptions.ToList(), analyzerDiagnostics);
    }

    /// <summary>
    /// The generator keeps no syntax in its models, so its diagnostics carry file-path locations; the IDE maps them back
    /// to the document, and so does this (Fix All only looks at diagnostics located in a syntax tree).
    /// </summary>
    private static Diagnostic InTree(Diagnostic diagnostic, SyntaxTree tree)
    {
        Location location = diagnostic.Location;
        if (location.Kind != LocationKind.ExternalFile || location.GetLineSpan().Path != tree.FilePath
            || location.SourceSpan.End > tree.Length)
        {
            return diagnostic;
        }

        DiagnosticDescriptor descriptor = diagnostic.Descriptor;
        return Diagnostic.Create(descriptor.Id, descriptor.Category, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            diagnostic.Severity, descriptor.DefaultSeverity, descriptor.IsEnabledByDefault, diagnostic.WarningLevel, descriptor.Title,
            descriptor.Description, descriptor.HelpLinkUri, Location.Create(tree, location.SourceSpan), diagnostic.AdditionalLocations,
            descriptor.CustomTags, diagnostic.Properties);
    }

    /// <summary>Analyses marked source and asserts exactly the marked NG diagnostics (ID and span), no crash and no compiler error.</summary>
    public static async Task<AnalysisResult> VerifyAsync(string markup, bool mustCompile = true)
    {
        MarkedSource marked = MarkedSource.Parse(markup);
        AnalysisResult result = (await RunAsync(marked.Source)).AssertNoCrash();
        if (mustCompile)
        {
            result.AssertCompiles();
        }

        var actual = result.NetGen.Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceSpan)).OrderBy(e => e.Span.Start).ThenBy(e => e.Id).ToList();
        var expected = marked.Expected.OrderBy(e => e.Span.Start).ThenBy(e => e.Id).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"Expected:\n  {string.Join("\n  ", expected)}\nActual:\n{result.Describe()}");
        return result;
    }
}
