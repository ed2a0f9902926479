using System;
using System.IO;

namespace NetGen.Analyzers.Tests.Harness;

/// <summary>The repository checkout the tests run from (the directory holding NetGen.sln).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (DirectoryInfo? current = new(AppContext.BaseDirectory); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, "NetGen.sln")))
            {
                return current.FullName;
            }
        }

        throw new InvalidOperationException("NetGen.sln not found above " + AppContext.BaseDirectory);
    }
}
