using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Infrastructure;
using NetGen.SourceGeneration;

namespace NetGen.Generator.Tests;

/// <summary>The generator does no work for edits that do not touch a network, and its models hold only plain data.</summary>
public class IncrementalityTests
{
    private static readonly string[] TrackedSteps =
    {
        NetworkGenerator.Steps.NetworkAttribute, NetworkGenerator.Steps.InputAttribute, NetworkGenerator.Steps.DenseAttribute,
        NetworkGenerator.Steps.DropoutAttribute, NetworkGenerator.Steps.Networks,
    };

    private const string Other = """
        namespace Samples;

        public static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    private static (GeneratorRun First, GeneratorRun Second) RunTwice(Func<Compilation, Compilation> edit)
    {
        CSharpCompilation compilation = GeneratorHarness.Compilation(SnapshotTests.FashionNet, Other);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        GeneratorRun second = GeneratorHarness.Run(first.Driver, edit(compilation));
        return (first, second);
    }

    private static IEnumerable<(string Step, IncrementalStepRunReason Reason)> Reasons(GeneratorRun run) =>
        run.Result.Results[0].TrackedSteps
            .Where(step => TrackedSteps.Contains(step.Key))
            .SelectMany(step => step.Value.SelectMany(s => s.Outputs.Select(o => (step.Key, o.Reason))));

    [Fact]
    public void AnUnrelatedEditLeavesEveryStepCachedOrUnchanged()
    {
        (_, GeneratorRun second) = RunTwice(compilation =>
        {
            SyntaxTree old = compilation.SyntaxTrees.Last();
            SyntaxTree edited = old.WithChangedText(old.GetText().Replace(old.ToString().IndexOf("2 * x", StringComparison.Ordinal), 5, "x + x"));
            return compilation.ReplaceSyntaxTree(old, edited);
        });

        var reasons = Reasons(second).ToList();
        Assert.Contains(reasons, r => r.Step == NetworkGenerator.Steps.Networks);
        Assert.All(reasons, r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.Step}: {r.Reason}"));
    }

    [Fact]
    public void AnAddedUnrelatedFileLeavesEveryStepCachedOrUnchanged()
    {
        (_, GeneratorRun second) = RunTwice(compilation =>
            compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }", GeneratorHarness.ParseOptions)));
        Assert.All(Reasons(second), r => Assert.True(r.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{r.Step}: {r.Reason}"));
    }

    [Fact]
    public void ChangingALayerModifiesTheNetworkAndItsOutput()
    {
        (GeneratorRun first, GeneratorRun second) = RunTwice(compilation =>
        {
            SyntaxTree old = compilation.SyntaxTrees.First();
            return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(SnapshotTests.FashionNet.Replace("Dense(128", "Dense(64"), GeneratorHarness.ParseOptions, old.FilePath));
        });

        Assert.Contains(Reasons(second), r => r.Step == NetworkGenerator.Steps.Networks && r.Reason == IncrementalStepRunReason.Modified);
        Assert.NotEqual(first.Sources.Values.Single(), second.Sources.Values.Single());
        Assert.Contains("public const int ParameterCount = 218058;", second.Sources.Values.Single());
    }

    [Fact]
    public void ModelsHoldNoSymbolsSyntaxLocationsOrCompilations()
    {
        GeneratorRun run = GeneratorHarness.Run(SnapshotTests.FashionNet, "[NetGen.Dense(0)] partial class Broken { }");
        var outputs = run.Result.Results[0].TrackedSteps
            .Where(step => TrackedSteps.Contains(step.Key))
            .SelectMany(step => step.Value.SelectMany(s => s.Outputs.Select(o => o.Value)))
            .ToList();
        Assert.NotEmpty(outputs);
        foreach (object value in outputs)
        {
            AssertPlainData(value, value.GetType().Name, new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
    }

    private static readonly Type[] Forbidden = { typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(SemanticModel), typeof(Compilation), typeof(SyntaxTree) };

    private static void AssertPlainData(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} holds a {type.Name}");
        if (value is DiagnosticDescriptor)
        {
            return; // a shared, immutable description: compared by value, keeps nothing alive
        }

        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                AssertPlainData(item, $"{path}[{i++}]", seen);
            }
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertPlainData(field.GetValue(value), $"{path}.{field.Name}", seen);
        }
    }
}
