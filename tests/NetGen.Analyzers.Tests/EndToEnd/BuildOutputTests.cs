using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.EndToEnd;

/// <summary>
/// <c>dotnet build</c> of a small console project that references NetGen the way samples/QuickStart does: the warnings
/// appear in the build output with their help links, and .editorconfig severities apply.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class BuildOutputTests
{
    private const string Program = """
        using System;
        using NetGen;

        var net = new RiskyNet();
        Span<float> output = stackalloc float[RiskyNet.OutputSize];
        net.Predict(new float[RiskyNet.InputSize], output);
        Console.WriteLine(output[0]);

        [Network(Loss = Loss.MeanSquaredError)]
        [Input(32)]
        [Dense(32, Activation.ReLU, Init = Init.GlorotUniform)]
        [Dense(32, Activation.ReLU, Init = Init.GlorotUniform)]
        [Dense(32, Activation.ReLU, Init = Init.GlorotUniform)]
        [Dense(16, Activation.Sigmoid)]
        [Dense(16, Activation.Sigmoid)]
        [Dense(1)]
        public partial class RiskyNet { }
        """;

    [Fact]
    public async Task Dotnet_build_prints_the_warnings_with_help_links_and_honours_editorconfig()
    {
        string repository = RepositoryPaths.Root;
        string directory = Path.Combine(Path.GetTempPath(), "netgen-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string src = Path.Combine(repository, "src");
            await File.WriteAllTextAsync(Path.Combine(directory, "Risky.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{src}/NetGen.Runtime/NetGen.Runtime.csproj" />
                    <ProjectReference Include="{src}/NetGen.Generator/NetGen.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                    <ProjectReference Include="{src}/NetGen.Analyzers/NetGen.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), Program);
            await File.WriteAllTextAsync(Path.Combine(directory, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.NG1006.severity = none\n");

            (int exitCode, string output) = await RunAsync("dotnet", $"build \"{directory}\" -nologo -clp:NoSummary", directory);

            Assert.True(exitCode == 0, output);
            Assert.Contains("warning NG1001", output);
            Assert.Contains("https://github.com/netgen-dev/netgen/blob/main/docs/diagnostics/NG1001.md", output);
            Assert.Contains("Program.cs(11,1): warning NG1001", output);
            Assert.DoesNotContain("NG1006", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
