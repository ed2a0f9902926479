using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Rules;

/// <summary>Every rule has its page, its row in the docs index and in AnalyzerReleases.Unshipped.md.</summary>
public sealed class CatalogTests
{
    private static readonly string Repository = RepositoryPaths.Root;

    public static IEnumerable<object[]> AnalyzerDescriptors() =>
        NetGenAnalysis.Analyzers.SelectMany(a => a.SupportedDiagnostics).GroupBy(d => d.Id).Select(g => new object[] { g.Key });

    [Theory]
    [MemberData(nameof(AnalyzerDescriptors))]
    public void Analyzer_rule_has_page_index_row_and_release_entry(string id)
    {
        DiagnosticDescriptor descriptor = NetGenAnalysis.Analyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == id);
        AssertPage(id, configurable: true);
        string releases = File.ReadAllText(Path.Combine(Repository, "src", "NetGen.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", releases);
    }

    [Fact]
    public void Declaration_rules_have_pages_that_say_they_are_not_configurable()
    {
        // Every NG00xx rule the generator's release file lists (NG0001-NG0009, NG0011 and whatever follows).
        string releases = File.ReadAllText(Path.Combine(Repository, "src", "NetGen.Generator", "AnalyzerReleases.Unshipped.md"));
        string[] ids = releases.Split('\n').Where(line => line.StartsWith("NG00", StringComparison.Ordinal)).Select(line => line.Substring(0, 6)).ToArray();
        Assert.Contains("NG0011", ids);
        Assert.True(ids.Length >= 10, $"only {ids.Length} declaration rules listed");
        foreach (string id in ids)
        {
            AssertPage(id, configurable: false);
        }
    }

    private static void AssertPage(string id, bool configurable)
    {
        string page = File.ReadAllText(Path.Combine(Repository, "docs", "diagnostics", id + ".md"));
        Assert.StartsWith($"# {id}: ", page);
        foreach (string section in new[] { "## Cause", "## Why it matters", "## Example", "## Code fix" })
        {
            Assert.Contains(section, page);
        }

        Assert.Contains(configurable ? $"dotnet_diagnostic.{id}.severity = none" : "cannot be suppressed", page);
        Assert.Contains($"[{id}]({id}.md)", File.ReadAllText(Path.Combine(Repository, "docs", "diagnostics", "README.md")));
    }
}
