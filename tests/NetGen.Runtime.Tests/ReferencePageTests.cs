using System;
using System.IO;
using System.Linq;
using NetGen;

namespace NetGen.Runtime.Tests;

/// <summary>docs/reference.md lists every member of every public runtime enum, one table row each, so it cannot drift from the code.</summary>
public class ReferencePageTests
{
    internal static string RepositoryFile(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new InvalidOperationException("NetGen.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void EveryPublicEnumMemberHasOneLineOnTheReferencePage()
    {
        string[] lines = File.ReadAllLines(RepositoryFile("docs/reference.md"));
        Type[] enums = typeof(INeuralNetwork<>).Assembly.GetExportedTypes().Where(t => t.IsEnum).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
        Assert.Contains(typeof(Optimizer), enums);
        Assert.Contains(typeof(StopReason), enums);
        foreach (Type type in enums)
        {
            Assert.Contains($"## {type.Name}", lines);
            foreach (string member in Enum.GetNames(type))
            {
                string[] rows = lines.Where(l => l.StartsWith($"| `{type.Name}.{member}` | ", StringComparison.Ordinal)).ToArray();
                Assert.True(rows.Length == 1, $"docs/reference.md has {rows.Length} rows for {type.Name}.{member}; expected one");
                Assert.True(rows[0].Length > $"| `{type.Name}.{member}` |  |".Length + 10, $"{type.Name}.{member} has no description: {rows[0]}");
            }
        }

        // And nothing listed that the code does not have.
        foreach (string line in lines.Where(l => l.StartsWith("| `", StringComparison.Ordinal) && l.Contains('.')))
        {
            string name = line[3..line.IndexOf('`', 3)];
            string[] parts = name.Split('.');
            Type? type = enums.FirstOrDefault(t => t.Name == parts[0]);
            Assert.True(type is not null && Enum.GetNames(type).Contains(parts[1]), $"docs/reference.md lists {name}, which is not a public enum member");
        }
    }
}
