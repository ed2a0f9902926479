using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NetGen.Analyzers.Tests.Harness;
using NetGen.SourceGeneration;
using Xunit.Abstractions;

namespace NetGen.Analyzers.Tests.Robustness;

/// <summary>
/// Random, hostile and half-typed declarations (<see cref="DeclarationFuzzCases"/>) through the generator and every
/// NetGen analyzer, as <c>dotnet build</c> runs them (docs/reliability.md, "Declarations"). Each case: never a generator
/// exception (CS8785), never an analyzer exception (AD0001), never a compiler error or a new warning inside a generated
/// file; a valid declaration compiles; a declaration that compiles runs <c>Predict</c> (finite outputs for finite
/// inputs unless its constants are extreme, <c>PredictBatch</c> equal to <c>Predict</c> bit for bit); every class that
/// carries NetGen attributes and compiles gets its generated members, or an NG error says why not.
/// Cheap by construction: one set of references, <see cref="BatchSize"/> cases per compilation (each in its own
/// namespace and file), one emitted assembly per batch; only a failing batch is rerun case by case to name the culprit.
/// </summary>
// One collection: the two fuzzers run one after the other, each on both cores, instead of slowing each other down.
[Collection("Declaration fuzzing")]
public sealed class DeclarationFuzzTests
{
    private const int Seed = 20261201;
    private const int CaseCount = 1000;
    private const int BatchSize = 40;

    /// <summary>Networks above this many parameters compile but are not instantiated here (a 20000x20000 layer is 1.6 GB).</summary>
    private const long MaxParametersToRun = 4_000_000;

    private readonly ITestOutputHelper _output;

    public DeclarationFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_hostile_and_half_typed_declarations_compile_and_run_or_get_an_NG_error()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("NETGEN_FUZZ_SEED"), out int s) ? s : Seed;
        int count = int.TryParse(Environment.GetEnvironmentVariable("NETGEN_FUZZ_CASES"), out int c) ? c : CaseCount;
        var watch = Stopwatch.StartNew();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        IReadOnlyList<DeclarationCase> cases = DeclarationFuzzCases.Create(seed, count);
        DeclarationCase[][] batches = cases.Chunk(BatchSize).ToArray();

        var outcomes = new ConcurrentBag<CaseOutcome>();
        var failures = new ConcurrentBag<string>();
        int reruns = 0;
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, batch =>
        {
            BatchResult result = Run(batch);
            if (result.Failures.Count == 0)
            {
                foreach (CaseOutcome outcome in result.Outcomes)
                {
                    outcomes.Add(outcome);
                }

                return;
            }

            // Name the culprits: each case alone.
            Interlocked.Increment(ref reruns);
            bool named = false;
            foreach (DeclarationCase single in batch)
            {
                BatchResult alone = Run(new[] { single });
                foreach (CaseOutcome outcome in alone.Outcomes)
                {
                    outcomes.Add(outcome);
                }

                foreach (string failure in alone.Failures)
                {
                    failures.Add($"case {single.Index} ({single.Kind}, seed {seed}): {failure}\n{single.Text}");
                    named = true;
                }
            }

            if (!named)
            {
                failures.Add($"batch of cases {batch[0].Index}-{batch[^1].Index} failed, but no case fails alone: {string.Join("\n", result.Failures)}");
            }
        });
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        Report(cases, outcomes.ToList(), watch.Elapsed, cpu, reruns);
        Assert.True(failures.IsEmpty, $"{failures.Count} failures:\n\n" + string.Join("\n\n", failures.OrderBy(f => f, StringComparer.Ordinal).Take(8)));
        Assert.Equal(count, outcomes.Select(o => o.Index).Distinct().Count());
        if (count >= 1000)
        {
            // The mix the test is for (docs/reliability.md): enough of each outcome that a generator bug cannot hide.
            Assert.True(outcomes.Count(o => o.Kind.StartsWith("compiled, Predict ran", StringComparison.Ordinal)) >= count / 3, "too few cases ran Predict");
            Assert.True(outcomes.Count(o => o.Kind.StartsWith("NG error", StringComparison.Ordinal)) >= count / 10, "too few NG errors");
            Assert.True(outcomes.Count(o => o.Kind.StartsWith("compiler error", StringComparison.Ordinal)) >= count / 10, "too few half-typed cases");
        }
    }

    private void Report(IReadOnlyList<DeclarationCase> cases, List<CaseOutcome> outcomes, TimeSpan elapsed, TimeSpan cpu, int reruns)
    {
        _output.WriteLine($"{cases.Count} declarations in {(cases.Count + BatchSize - 1) / BatchSize} compilations of up to {BatchSize}, {elapsed.TotalSeconds:F1} s wall, {cpu.TotalSeconds:F1} s CPU (the test process, all threads), {reruns} batches rerun case by case");
        foreach (var group in cases.GroupBy(c => c.Kind.Split('/')[0]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {group.Key}: {group.Count()}");
        }

        _output.WriteLine("Outcomes (one per case):");
        foreach (var group in outcomes.GroupBy(o => Regex.Replace(o.Kind, @" \(.*", "")).OrderByDescending(g => g.Count()))
        {
            _output.WriteLine($"  {group.Key}: {group.Count()}");
        }

        _output.WriteLine("NG errors by ID (cases with it):");
        foreach (var group in outcomes.SelectMany(o => o.NgErrors.Distinct().Select(id => id)).GroupBy(id => id).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"  {group.Key}: {group.Count()}");
        }

        _output.WriteLine("Compiler errors in the declaration's own text, first ID (cases):");
        foreach (var group in outcomes.Where(o => o.FirstCompilerError is not null).GroupBy(o => o.FirstCompilerError).OrderByDescending(g => g.Count()).Take(15))
        {
            _output.WriteLine($"  {group.Key}: {group.Count()}");
        }

        _output.WriteLine($"Networks run: {outcomes.Sum(o => o.NetworksRun)}; generated lines compiled: {Interlocked.Read(ref s_generatedLines):N0}");
        _output.WriteLine($"Time summed over threads: generator {Stopwatch.GetElapsedTime(0, s_generatorTicks).TotalSeconds:F1} s, analyzers and the cases' own files {Stopwatch.GetElapsedTime(0, s_analysisTicks).TotalSeconds:F1} s (compiler diagnostics of the cases' files {Stopwatch.GetElapsedTime(0, s_semanticTicks).TotalSeconds:F1} s), emit {Stopwatch.GetElapsedTime(0, s_emitTicks).TotalSeconds:F1} s, load and Predict {Stopwatch.GetElapsedTime(0, s_predictTicks).TotalSeconds:F1} s");
    }

    private static long s_generatorTicks, s_analysisTicks, s_emitTicks, s_semanticTicks, s_predictTicks, s_generatedLines;

    private sealed record CaseOutcome(int Index, string Kind, IReadOnlyList<string> NgErrors, string? FirstCompilerError, int NetworksRun);

    private sealed record BatchResult(List<CaseOutcome> Outcomes, List<string> Failures);

    private static readonly Regex CaseFile = new(@"Case(\d+)\.cs$", RegexOptions.CultureInvariant);
    private static readonly Regex GeneratedCase = new(@"Fuzz\.C(\d+)\.", RegexOptions.CultureInvariant);

    /// <summary>Every batch starts from this one: Roslyn then binds the framework's reference assemblies once, not per batch.</summary>
    private static readonly CSharpCompilation Empty =
        CSharpCompilation.Create("DeclarationFuzz", Array.Empty<SyntaxTree>(), TestReferences.All, NetGenAnalysis.CompilationOptions);

    private static BatchResult Run(IReadOnlyList<DeclarationCase> batch)
    {
        var failures = new List<string>();
        var byIndex = batch.ToDictionary(c => c.Index);
        SyntaxTree[] trees = batch.Select(c => CSharpSyntaxTree.ParseText(SourceText.From(c.Text), NetGenAnalysis.ParseOptions, c.FileName)).ToArray();
        CSharpCompilation compilation = Empty.AddSyntaxTrees(trees);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new NetworkGenerator().AsSourceGenerator() }, parseOptions: NetGenAnalysis.ParseOptions);
        long t0 = Stopwatch.GetTimestamp();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation generated, out ImmutableArray<Diagnostic> driverDiagnostics);
        Interlocked.Add(ref s_generatorTicks, Stopwatch.GetTimestamp() - t0);
        GeneratorDriverRunResult run = driver.GetRunResult();
        foreach (GeneratorRunResult result in run.Results.Where(r => r.Exception is not null))
        {
            failures.Add("generator exception: " + result.Exception);
        }

        failures.AddRange(driverDiagnostics.Where(d => d.Id == "CS8785").Select(d => "CS8785: " + d.GetMessage()));

        // Every analyzer over every case's file, as the IDE analyses a document (the analyzers register no
        // compilation-end action, so this is all they report); the compiler's diagnostics of each case's own file with
        // the generated code and without it. Generated files are bound once, by Emit below.
        long t1 = Stopwatch.GetTimestamp();
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue(analyzer.GetType().Name + ": " + exception),
            concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);
        var withAnalyzers = new CompilationWithAnalyzers(generated, NetGenAnalysis.Analyzers, options);
        var all = new List<Diagnostic>(run.Diagnostics);
        var withoutGenerator = new Dictionary<int, HashSet<(string, TextSpan)>>();
        foreach (SyntaxTree tree in trees)
        {
            all.AddRange(withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(tree, CancellationToken.None).GetAwaiter().GetResult());
            all.AddRange(withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(withAnalyzers.Compilation.GetSemanticModel(tree), null, CancellationToken.None).GetAwaiter().GetResult());
            long t3 = Stopwatch.GetTimestamp();
            all.AddRange(generated.GetSemanticModel(tree).GetDiagnostics());
            Interlocked.Add(ref s_semanticTicks, Stopwatch.GetTimestamp() - t3);
            withoutGenerator[CaseIndex(tree.FilePath)!.Value] = compilation.GetSemanticModel(tree).GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => (d.Id, d.Location.SourceSpan)).ToHashSet();
        }

        Interlocked.Add(ref s_analysisTicks, Stopwatch.GetTimestamp() - t1);
        failures.AddRange(exceptions.Select(e => "AD0001 (analyzer exception): " + e));
        failures.AddRange(all.Where(d => d.Id == "AD0001").Select(d => "AD0001: " + d.GetMessage()));

        // Which case each generated file belongs to.
        var generatedOf = new Dictionary<SyntaxTree, int>();
        foreach (SyntaxTree tree in generated.SyntaxTrees.Except(trees))
        {
            Interlocked.Add(ref s_generatedLines, tree.GetText().Lines.Count);
            // The case whose file declares the class this generated file adds to.
            SemanticModel model = generated.GetSemanticModel(tree);
            int? owner = tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>()
                .Select(t => model.GetDeclaredSymbol(t))
                .SelectMany(t => t?.DeclaringSyntaxReferences ?? ImmutableArray<SyntaxReference>.Empty)
                .Select(r => CaseIndex(r.SyntaxTree.FilePath))
                .FirstOrDefault(i => i is not null);
            if (owner is int index && byIndex.ContainsKey(index))
            {
                generatedOf[tree] = index;
            }
            else
            {
                failures.Add("a generated file that belongs to no case: " + tree.FilePath);
            }
        }

        var ngErrors = batch.ToDictionary(c => c.Index, _ => new List<string>());
        var generatorErrors = batch.ToDictionary(c => c.Index, _ => false);
        var compilerErrors = batch.ToDictionary(c => c.Index, _ => new List<Diagnostic>());
        var userWarnings = batch.ToDictionary(c => c.Index, _ => new HashSet<string>());
        foreach (Diagnostic d in all.Distinct())
        {
            if (d.Id is "AD0001" or "CS8785")
            {
                continue;
            }

            int? index = CaseOf(d, generatedOf);
            if (index is null || !byIndex.ContainsKey(index.Value))
            {
                if (d.Severity == DiagnosticSeverity.Error)
                {
                    failures.Add("an error that belongs to no case: " + d);
                }

                continue;
            }

            if (d.Id.StartsWith("NG", StringComparison.Ordinal))
            {
                if (d.Severity == DiagnosticSeverity.Error)
                {
                    ngErrors[index.Value].Add(d.Id);
                    generatorErrors[index.Value] |= d.Id.StartsWith("NG0", StringComparison.Ordinal);
                }
            }
            else if (d.Severity == DiagnosticSeverity.Error)
            {
                compilerErrors[index.Value].Add(d);
            }
            else if (d.Severity == DiagnosticSeverity.Warning)
            {
                userWarnings[index.Value].Add(d.Id);
            }
        }

        // What each case declares as networks (classes carrying a NetGen attribute), by runtime type name.
        var expectedNetworks = new Dictionary<int, List<string>>();
        foreach (SyntaxTree tree in trees)
        {
            SemanticModel model = generated.GetSemanticModel(tree);
            expectedNetworks[CaseIndex(tree.FilePath)!.Value] = tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>()
                .Select(t => model.GetDeclaredSymbol(t))
                .Where(t => t is not null && t.GetAttributes().Any(a => a.AttributeClass is { ContainingNamespace: { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true } }))
                .Select(t => RuntimeName(t!))
                .Distinct()
                .ToList();
        }

        var outcomes = new List<CaseOutcome>();
        var compiled = new List<DeclarationCase>();
        foreach (DeclarationCase item in batch)
        {
            List<Diagnostic> errors = compilerErrors[item.Index];
            List<string> ng = ngErrors[item.Index];
            if (item.MustCompile && (errors.Count > 0 || generatorErrors[item.Index]))
            {
                failures.Add($"case {item.Index}: a valid declaration does not compile:\n  " + string.Join("\n  ", errors.Select(e => e.ToString()).Concat(ng)));
                continue;
            }

            // An error the generated code brings into the user's own file (a collision NG0009 missed, say) is NetGen's.
            List<Diagnostic> broughtIn = errors.Where(e => !withoutGenerator[item.Index].Contains((e.Id, e.Location.SourceSpan))).ToList();
            if (broughtIn.Count > 0 && ng.Count == 0)
            {
                failures.Add($"case {item.Index}: the generated code causes errors in the declaration's file and no NG error says why:\n  " + string.Join("\n  ", broughtIn));
            }

            if (errors.Count == 0 && !generatorErrors[item.Index])
            {
                compiled.Add(item);
            }
            else
            {
                string kind = ng.Count > 0 ? "NG error" : "compiler error in the declaration's own text";
                outcomes.Add(new CaseOutcome(item.Index, kind, ng, errors.Count > 0 && ng.Count == 0 ? errors[0].Id : null, 0));
            }
        }

        // Generated code of a case that does not compile for its own reasons must still compile.
        var dropped = new HashSet<int>(batch.Select(b => b.Index).Except(compiled.Select(c => c.Index)));
        foreach (var (tree, index) in generatedOf.Where(g => dropped.Contains(g.Value)))
        {
            foreach (Diagnostic d in generated.GetSemanticModel(tree).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                failures.Add($"case {index}: compiler error inside a generated file: {d}");
            }
        }

        if (compiled.Count > 0 && failures.Count == 0)
        {
            Compilation runnable = generated.RemoveSyntaxTrees(generated.SyntaxTrees.Where(t =>
                (generatedOf.TryGetValue(t, out int g) && dropped.Contains(g)) || (CaseIndex(t.FilePath) is int c && dropped.Contains(c))));
            RunPredict(runnable, compiled, generatedOf, userWarnings, expectedNetworks, ngErrors, outcomes, failures);
        }

        return new BatchResult(outcomes, failures);
    }

    private static int? CaseIndex(string path)
    {
        Match m = CaseFile.Match(path);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static int? CaseOf(Diagnostic d, Dictionary<SyntaxTree, int> generatedOf)
    {
        if (d.Location.SourceTree is { } tree)
        {
            return generatedOf.TryGetValue(tree, out int g) ? g : CaseIndex(tree.FilePath);
        }

        if (d.Location.Kind == LocationKind.ExternalFile && CaseIndex(d.Location.GetLineSpan().Path ?? "") is int index)
        {
            return index;
        }

        // NG0010 is placed in the weights file it names; its message names the network.
        Match named = GeneratedCase.Match(d.GetMessage(CultureInfo.InvariantCulture));
        return d.Id == "NG0010" && named.Success ? int.Parse(named.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The name <see cref="Assembly.GetType(string)"/> knows a type by: namespaces with '.', nesting with '+'.</summary>
    private static string RuntimeName(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        INamespaceSymbol? ns = type.ContainingType is null ? type.ContainingNamespace : OutermostType(type).ContainingNamespace;
        return ns is { IsGlobalNamespace: false } ? ns.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)).Replace("@", "", StringComparison.Ordinal) + "." + name : name;
    }

    private static INamedTypeSymbol OutermostType(INamedTypeSymbol type)
    {
        while (type.ContainingType is not null)
        {
            type = type.ContainingType;
        }

        return type;
    }

    private static void RunPredict(Compilation compilation, List<DeclarationCase> compiled, Dictionary<SyntaxTree, int> generatedOf,
        Dictionary<int, HashSet<string>> userWarnings, Dictionary<int, List<string>> expectedNetworks,
        Dictionary<int, List<string>> ngErrors, List<CaseOutcome> outcomes, List<string> failures)
    {
        using var image = new MemoryStream();
        long t2 = Stopwatch.GetTimestamp();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(image);
        Interlocked.Add(ref s_emitTicks, Stopwatch.GetTimestamp() - t2);

        // Binding the generated files happens here. An error in one is a failure; so is a warning the case's own text
        // does not also have (it would break a TreatWarningsAsErrors build).
        foreach (Diagnostic d in emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning))
        {
            int? index = CaseOf(d, generatedOf);
            bool inGenerated = d.Location.SourceTree is { } tree && generatedOf.ContainsKey(tree);
            if (d.Severity == DiagnosticSeverity.Error)
            {
                failures.Add($"case {index}: compiler error {(inGenerated ? "inside a generated file" : "when the cases are emitted")}: {d}");
            }
            else if (inGenerated && index is int i && !userWarnings[i].Contains(d.Id))
            {
                failures.Add($"case {index}: warning inside a generated file: {d}");
            }
        }

        if (!emitted.Success)
        {
            failures.Add("the compiled cases do not emit");
            return;
        }

        image.Position = 0;
        long t4 = Stopwatch.GetTimestamp();
        var context = new AssemblyLoadContext("DeclarationFuzz", isCollectible: true);
        try
        {
            Assembly assembly = context.LoadFromStream(image);
            foreach (DeclarationCase item in compiled)
            {
                int ran = 0;
                var notes = new List<string>();
                foreach (string name in expectedNetworks[item.Index])
                {
                    Type? type = assembly.GetType(name);
                    if (type is null)
                    {
                        failures.Add($"case {item.Index}: type {name} not found in the assembly");
                        continue;
                    }

                    bool isNetwork = type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(INeuralNetwork<>));
                    if (!isNetwork)
                    {
                        failures.Add($"case {item.Index}: {name} carries NetGen attributes and compiles, but got no generated members and no NG error");
                        continue;
                    }

                    if (type.IsAbstract)
                    {
                        notes.Add("abstract");
                        continue;
                    }

                    long parameters = Convert.ToInt64(type.GetField("ParameterCount")!.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture);
                    long inputs = Convert.ToInt64(type.GetField("InputSize")!.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture);
                    if (parameters > MaxParametersToRun || inputs > MaxParametersToRun)
                    {
                        notes.Add("too large to run here");
                        continue;
                    }

                    object network = Activator.CreateInstance(type, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, new object[] { 42 }, null)!;
                    string? problem = network switch
                    {
                        INeuralNetwork<float> single => Check(single, item.Index, float.IsFinite),
                        INeuralNetwork<double> wide => Check(wide, item.Index, double.IsFinite),
                        _ => "implements neither INeuralNetwork<float> nor INeuralNetwork<double>",
                    };

                    if (problem == NonFinite && item.ExtremeConstants)
                    {
                        notes.Add("non-finite output, extreme constants");
                    }
                    else if (problem is not null)
                    {
                        failures.Add($"case {item.Index}: {name}: {problem}");
                    }

                    ran++;
                }

                string kind = ran > 0 ? "compiled, Predict ran" : notes.Count > 0 ? "compiled, not run" : "compiled, declares no network";
                if (ngErrors[item.Index].Count > 0)
                {
                    kind += " (with analyzer errors)";
                }

                outcomes.Add(new CaseOutcome(item.Index, notes.Count > 0 ? $"{kind} ({string.Join(", ", notes.Distinct())})" : kind, ngErrors[item.Index], null, ran));
            }
        }
        catch (Exception exception) when (exception is TargetInvocationException or InvalidCastException or MissingMethodException)
        {
            failures.Add("running the compiled cases threw: " + exception);
        }
        finally
        {
            context.Unload();
            Interlocked.Add(ref s_predictTicks, Stopwatch.GetTimestamp() - t4);
        }
    }

    private const string NonFinite = "non-finite output for finite input";

    /// <summary>Predict on seeded finite rows: outputs finite, and PredictBatch over 7 rows equal to Predict row by row.</summary>
    private static string? Check<T>(INeuralNetwork<T> network, int seed, Func<T, bool> isFinite)
        where T : unmanaged
    {
        const int rows = 7;
        var random = new Random(seed);
        var inputs = new T[rows * network.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            double value = random.NextDouble() * 4 - 2;
            inputs[i] = typeof(T) == typeof(float) ? (T)(object)(float)value : (T)(object)value;
        }

        var one = new T[network.OutputSize];
        var batch = new T[rows * network.OutputSize];
        try
        {
            network.PredictBatch(inputs, batch);
            for (int row = 0; row < rows; row++)
            {
                network.Predict(inputs.AsSpan(row * network.InputSize, network.InputSize), one);
                if (!one.AsSpan().SequenceEqual(batch.AsSpan(row * network.OutputSize, network.OutputSize), null))
                {
                    return $"PredictBatch row {row} differs from Predict: [{string.Join(", ", one)}] vs [{string.Join(", ", batch.Skip(row * network.OutputSize).Take(network.OutputSize))}]";
                }

                if (!one.All(isFinite))
                {
                    return NonFinite;
                }
            }
        }
        catch (Exception exception)
        {
            return "Predict threw " + exception;
        }

        return null;
    }
}
