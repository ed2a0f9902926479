using System;
using System.IO;

namespace NetGen.Bench;

/// <summary>Files of the repository that the bench reads in place (the PyTorch script, the data sets), not copied to its build output.</summary>
public static class RepositoryFiles
{
    /// <summary>
    /// The path of <paramref name="relative"/> (a path from the repository's root) in the first folder above the
    /// build output that holds it, or null when none does (a bench build copied out of the repository).
    /// </summary>
    public static string? Find(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
