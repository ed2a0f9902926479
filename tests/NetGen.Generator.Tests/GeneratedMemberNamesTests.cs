using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Tests.Infrastructure;
using NetGen.SourceGeneration;

namespace NetGen.Generator.Tests;

/// <summary>
/// The planner's member list (NG0009's and NG0006's source) against what the generator really writes into a network
/// class. The declaration fuzzer found the list behind: a class named <c>_netgenOptimizerState</c> got CS0542 inside the
/// generated file, and a user member <c>OptimizerState</c> collided without NG0009.
/// </summary>
public sealed class GeneratedMemberNamesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-member-names-" + Guid.NewGuid().ToString("N"));

    public GeneratedMemberNamesTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    public static TheoryData<string, bool, int> Declarations => new()
    {
        { "[Input(3)] [Dense(2)]", false, 1 },
        { "[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)] [Input(4)] [Dense(8, Activation.ReLU)] [Dropout(0.5)] [Dense(3, Activation.Softmax)]", false, 1 },
        { "[Network(Loss = Loss.MeanSquaredError, Momentum = 0.9)] [Input(2)] [Dense(1, Activation.PReLU)]", false, 1 },
        { "[Network(Weights = \"tiny.safetensors\")] [Input(3)] [Dense(2, Activation.ReLU)] [Dense(1)]", true, 2 },
        { "[Network(StandardizeInputs = true)] [Input(3)] [Dense(2, Activation.Softmax)]", false, 2 },
        { "[Network(Weights = \"tiny.safetensors\", StandardizeInputs = true)] [Input(3)] [Dense(2, Activation.ReLU)] [Dense(1)]", true, 3 },
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void The_plan_lists_exactly_the_members_written_into_the_network_class(string attributes, bool embedsWeights, int files)
    {
        string source = $"using NetGen;\nnamespace Samples;\n{attributes}\npublic partial class Net {{ }}\n";
        GeneratorRun run = Run(source, embedsWeights);
        Assert.Empty(run.Problems);
        Assert.Equal(files, run.Sources.Count);

        string[] written = WrittenMembers(run, "Net").Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        INamedTypeSymbol type = run.Output.GetTypeByMetadataName("Samples.Net")!;
        // Parsed after generation, as the analyzers do: NetGen's own files (the weights file too) are not the user's members.
        NetworkParseResult parsed = NetworkParser.Parse(type, default);
        Assert.Empty(parsed.Diagnostics.Where(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error));
        NetworkPlan plan = parsed.Plan!;
        Assert.Empty(written.Except(plan.MemberNames));
        Assert.Empty(plan.MemberNames.Except(NetworkPlanner.AllMemberNames));

        // And each of them, declared by the user, is NG0009 on that member (not a compiler error in generated code);
        // a class named like one is NG0006.
        string members = string.Concat(written.Select((name, i) =>
            $"namespace M{i} {{ {attributes} public partial class Net {{ public int {name} => 1; }} }}\n" +
            $"namespace C{i} {{ {attributes} public partial class {name} {{ }} }}\n"));
        string collisionSource = "using NetGen;\n" + members;
        GeneratorRun collisions = Run(collisionSource, embedsWeights);
        Assert.Empty(collisions.Sources);
        string At(Diagnostic d) => collisionSource.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length);
        Assert.Equal(written.Length, collisions.GeneratorDiagnostics.Count(d => d.Id == "NG0009"));
        Assert.Equal(written.Length, collisions.GeneratorDiagnostics.Count(d => d.Id == "NG0006"));
        foreach (string name in written)
        {
            Assert.Contains(collisions.GeneratorDiagnostics, d => d.Id == "NG0009" && At(d) == name);
            Assert.Contains(collisions.GeneratorDiagnostics, d => d.Id == "NG0006" && At(d) == name);
        }

        Assert.DoesNotContain(collisions.CompilationDiagnostics, d => d.Id == "CS8785" || d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    private GeneratorRun Run(string source, bool embedsWeights)
    {
        if (!embedsWeights)
        {
            return GeneratorHarness.Run(source);
        }

        string path = Path.Combine(_directory, "tiny.safetensors");
        // With a standardizer (netgen.standardizer.*), which only StandardizeInputs reads.
        File.WriteAllBytes(path, EmbeddedWeightsTests.SafeTensors(EmbeddedWeightsTests.TinyTensors.Concat(new[]
        {
            ("netgen.standardizer.mean", new[] { 3 }, new[] { 1f, 2f, 3f }),
            ("netgen.standardizer.std", new[] { 3 }, new[] { 2f, 4f, 0.5f }),
        })));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new NetworkGenerator().AsSourceGenerator() },
            new AdditionalText[] { new EmbeddedWeightsTests.FileText(path) },
            GeneratorHarness.ParseOptions,
            new EmbeddedWeightsTests.Options(_directory));
        return GeneratorHarness.Run(driver, GeneratorHarness.Compilation(source));
    }

    /// <summary>The names of the fields, properties, methods, events and types NetGen writes into the class <paramref name="name"/>.</summary>
    private static IEnumerable<string> WrittenMembers(GeneratorRun run, string name) =>
        run.Result.Results.SelectMany(r => r.GeneratedSources)
            .SelectMany(s => s.SyntaxTree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Where(c => c.Identifier.ValueText == name))
            .SelectMany(c => c.Members)
            .SelectMany(member => member switch
            {
                BaseFieldDeclarationSyntax field => field.Declaration.Variables.Select(v => v.Identifier.ValueText),
                PropertyDeclarationSyntax property => new[] { property.Identifier.ValueText },
                MethodDeclarationSyntax method => new[] { method.Identifier.ValueText },
                EventDeclarationSyntax @event => new[] { @event.Identifier.ValueText },
                BaseTypeDeclarationSyntax nested => new[] { nested.Identifier.ValueText },
                DelegateDeclarationSyntax @delegate => new[] { @delegate.Identifier.ValueText },
                _ => Array.Empty<string>(), // constructors: NG0009 checks () and (int) by signature
            });
}
