using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace NetGen;

/// <summary>
/// Replaces a file so that readers see the old content or the new, never a mixture: write a temporary file in the
/// same directory, flush it to disk, give it the old file's permissions, rename it over the target.
/// </summary>
internal static class AtomicFile
{
    private const string Marker = ".netgen-";

    /// <summary>Writes what <paramref name="write"/> produces to <paramref name="path"/> (docs/reliability.md, "Saving").</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string target = ResolveTarget(Path.GetFullPath(path));
        string directory = Path.GetDirectoryName(target)!;
        string name = Path.GetFileName(target);

        bool exists = false;
        if (File.Exists(target))
        {
            exists = true;
            if ((File.GetAttributes(target) & FileAttributes.ReadOnly) != 0)
            {
                throw new UnauthorizedAccessException(
                    $"'{target}' is read-only, so it is not replaced. Make it writable or save to another path.");
            }
        }
        else if (Directory.Exists(target))
        {
            throw new IOException($"'{target}' is a directory, not a model file.");
        }

        DeleteStaleTemporaries(directory, name);
        string temporary = Path.Combine(directory, $".{name}{Marker}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.tmp");
        bool renamed = false;
        try
        {
            // bufferSize 0: every Write goes straight to the file, so a full disk fails in the Write that hit it, and
            // Dispose has nothing left to flush (and to fail on a second time).
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            if (exists && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
            }

            File.Move(temporary, target, overwrite: true);
            renamed = true;
        }
        finally
        {
            if (!renamed)
            {
                TryDelete(temporary);
            }
        }
    }

    /// <summary>The file a chain of symbolic links ends at (the path itself when it is not a link).</summary>
    private static string ResolveTarget(string fullPath)
    {
        var info = new FileInfo(fullPath);
        if (info.LinkTarget is null)
        {
            return fullPath;
        }

        FileSystemInfo? final = File.ResolveLinkTarget(fullPath, returnFinalTarget: true);
        return final is null ? fullPath : Path.GetFullPath(final.FullName);
    }

    /// <summary>Deletes temporary files of <paramref name="name"/> left by saves whose process is gone (a hard kill).</summary>
    private static void DeleteStaleTemporaries(string directory, string name)
    {
        string prefix = $".{name}{Marker}";
        string[] candidates;
        try
        {
            candidates = Directory.GetFiles(directory, ".*.tmp");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // the save itself will report a directory that cannot be used
        }

        foreach (string candidate in candidates)
        {
            string file = Path.GetFileName(candidate);
            if (!file.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string rest = file[prefix.Length..];
            int dash = rest.IndexOf('-');
            if (dash > 0
                && int.TryParse(rest.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && pid != Environment.ProcessId
                && !IsRunning(pid))
            {
                TryDelete(candidate);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more than a temporary file that could not be removed.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
