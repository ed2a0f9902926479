using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Tests;

/// <summary>
/// Every ```csharp block of README.md compiles as shown: each block is a console program of its own, compiled in
/// memory against the framework and NetGen.Runtime with the NetGen generator, with no errors and no warnings.
/// </summary>
public class ReadmeSnippetTests
{
    private static string Readme()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln")))
            {
                return File.ReadAllText(Path.Combine(dir.FullName, "README.md"));
            }
        }

        throw new InvalidOperationException("NetGen.sln not found above " + AppContext.BaseDirectory);
    }

    public static IEnumerable<object[]> Blocks() =>
        Regex.Matches(Readme(), "```csharp\n(.*?)```", RegexOptions.Singleline).Select((m, i) => new object[] { i, m.Groups[1].Value });

    [Fact]
    public void TheReadmeHasCSharpBlocks() => Assert.True(Blocks().Count() >= 2, "README.md should show the quick start and a training run");

    [Theory]
    [MemberData(nameof(Blocks))]
    public void EveryCSharpBlockCompilesAsShown(int index, string code)
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        MetadataReference[] references = trusted.Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == frameworkDirectory)
            .Append(typeof(NetGen.INeuralNetwork<>).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create(
            $"Readme{index}",
            new[] { CSharpSyntaxTree.ParseText(code, parse, path: $"README block {index + 1}.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        // Every incremental generator in the generator assembly, found by type so that renames do not matter here.
        Assembly generatorAssembly = Assembly.Load("NetGen.Generator");
        ISourceGenerator[] generators = generatorAssembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(IIncrementalGenerator).IsAssignableFrom(t) && t.GetCustomAttribute<GeneratorAttribute>() is not null)
            .Select(t => ((IIncrementalGenerator)Activator.CreateInstance(t)!).AsSourceGenerator())
            .ToArray();
        Assert.NotEmpty(generators);
        CSharpGeneratorDriver.Create(generators, parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        Diagnostic[] problems = generatorDiagnostics.Concat(output.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, $"README C# block {index + 1} does not compile as shown:\n" + string.Join("\n", problems.Select(d => d.ToString())) + "\n\n" + code);
    }
}
