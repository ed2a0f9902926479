using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Robustness;

/// <summary>
/// Half-typed and mistyped code: every declaration cut after each token (sampled evenly when long) and mutated with
/// hostile argument values, run through the generator and every analyzer. Nothing may throw: no AD0001, no CS8785.
/// </summary>
// One collection: the two fuzzers run one after the other, each on both cores, instead of slowing each other down.
[Collection("Declaration fuzzing")]
public sealed class TypingRobustnessTests
{
    /// <summary>Cuts per declaration (evenly spread over its tokens); with 12 declarations the test takes about 45 s on two cores.</summary>
    private const int MaxCutsPerDeclaration = 32;

    private static readonly string[] HostileNumbers = { "-1", "0", "double.NaN", "double.PositiveInfinity", "1e300", "int.MaxValue", "\"abc\"", "-0.5", "1" };

    /// <summary>
    /// One case is one compilation of a short file, a fraction of a second (the whole test, over 400 cases, takes
    /// about 45 s on two idle cores). A case that takes a minute is an analyzer or the generator looping on some
    /// half-typed input, whatever else the machine is doing. The whole run is not timed: on a machine shared with other
    /// builds it took over three minutes, which said nothing about the code under test.
    /// </summary>
    private static readonly TimeSpan SlowCase = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Every_prefix_and_mutation_of_every_declaration_is_handled_without_exceptions()
    {
        var cases = new List<(string Name, string Source)>();
        for (int d = 0; d < RealisticDeclarations.All.Count; d++)
        {
            string source = RealisticDeclarations.All[d];
            cases.AddRange(Prefixes(source).Select((p, i) => ($"declaration {d} cut {i}", p)));
            cases.AddRange(Mutations(source, new Random(d)).Select((m, i) => ($"declaration {d} mutation {i}", m)));
        }

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var slow = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (item, _) =>
        {
            try
            {
                var watch = Stopwatch.StartNew();
                AnalysisResult result = await NetGenAnalysis.RunAsync(item.Source);
                if (watch.Elapsed > SlowCase)
                {
                    slow.Add($"{item.Name}: {watch.Elapsed}\n{item.Source}");
                }

                if (result.AnalyzerExceptions.Count > 0 || result.AllAnalyzer.Any(d => d.Id == "AD0001")
                    || result.GeneratorDriver.Any(d => d.Id == "CS8785"))
                {
                    failures.Add($"{item.Name}: {string.Join("; ", result.AnalyzerExceptions.Select(e => e.InnerException?.ToString() ?? e.ToString()))} {string.Join("; ", result.GeneratorDriver)}\n{item.Source}");
                }
            }
            catch (Exception exception)
            {
                failures.Add($"{item.Name}: {exception}\n{item.Source}");
            }
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n\n", failures.Take(5)));
        Assert.True(cases.Count > 400, $"only {cases.Count} cases");
        Assert.True(slow.IsEmpty, $"{slow.Count} of {cases.Count} cases took over {SlowCase}:\n" + string.Join("\n\n", slow.Take(3)));
    }

    /// <summary>The source cut after token k, for every k (an even sample of them when there are many).</summary>
    private static IEnumerable<string> Prefixes(string source)
    {
        List<SyntaxToken> tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().ToList();
        int stride = Math.Max(1, (int)Math.Ceiling(tokens.Count / (double)MaxCutsPerDeclaration));
        for (int k = 0; k < tokens.Count; k += stride)
        {
            yield return source.Substring(0, tokens[k].Span.End);
        }
    }

    private static IEnumerable<string> Mutations(string source, Random random)
    {
        // Each number literal in turn gets a hostile value.
        MatchCollection numbers = Regex.Matches(source, @"(?<=[(=,]\s*)-?\d+(\.\d+)?(e-?\d+)?");
        foreach (Match number in numbers)
        {
            string value = HostileNumbers[random.Next(HostileNumbers.Length)];
            yield return source.Substring(0, number.Index) + value + source.Substring(number.Index + number.Length);
        }

        yield return Regex.Replace(source, @"Activation\.\w+", "(Activation)99");
        yield return Regex.Replace(source, @"Init\.\w+", "(Init)(-3)");
        yield return Regex.Replace(source, @"Loss\.\w+", "\"abc\"");
        yield return Regex.Replace(source, @", Activation\.\w+", "");
        yield return Regex.Replace(source, @"\[Dense\(\d+", "[Dense(");
        yield return Regex.Replace(source, @"\[Input\(\d+\)\]", "[Input]");
        yield return Regex.Replace(source, @"LearningRate = [^,)\]]+", "LearningRate = double.NaN");
        yield return Regex.Replace(source, @"Alpha = [^,)\]]+", "Alpha = -5");
        yield return Regex.Replace(source, @"(\[Input\([^)]*\)\])", "$1\n$1");
        yield return Regex.Replace(source, @"(\[Network\([^\]]*\)\])", "$1\n$1");
        yield return Regex.Replace(source, @"(\[Dense\([^\]]*\)\])", "$1\n[Dropout(2)]\n[Dropout(-1)]\n$1", RegexOptions.None, TimeSpan.FromSeconds(1));
        yield return source.Replace("partial ", "");
        yield return source.Replace("[Input(", "[Dense(").Replace("Dense(10", "Input(10");
    }
}
