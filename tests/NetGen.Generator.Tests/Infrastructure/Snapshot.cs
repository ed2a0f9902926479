using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;

namespace NetGen.Generator.Tests.Infrastructure;

/// <summary>
/// Snapshot testing without Verify: the text is compared with <c>Snapshots/Name.verified.cs</c>. On a mismatch the
/// new text is written to <c>Name.received.cs</c> beside it and the test fails with a line diff. Setting the
/// environment variable <c>NETGEN_ACCEPT=1</c> accepts the received text as the new snapshot.
/// </summary>
internal static class Snapshot
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(FindTestProjectDirectory(callerPath), "Snapshots");
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n");

        if (Environment.GetEnvironmentVariable("NETGEN_ACCEPT") == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, actual, new UTF8Encoding(false));
            File.Delete(receivedPath);
            return;
        }

        string? expected = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual, new UTF8Encoding(false));
        throw new SnapshotMismatchException(expected is null
            ? $"No snapshot {verifiedPath} yet. The output is in {receivedPath}; run the tests with NETGEN_ACCEPT=1 to accept it."
            : $"{name} differs from {verifiedPath} (new output in {receivedPath}; NETGEN_ACCEPT=1 accepts it):\n{LineDiff.Format(expected, actual)}");
    }

    private static string FindTestProjectDirectory(string callerPath)
    {
        for (string? directory = Path.GetDirectoryName(callerPath); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "NetGen.Generator.Tests.csproj")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException($"No NetGen.Generator.Tests.csproj above {callerPath}.");
    }
}

/// <summary>A snapshot that does not match.</summary>
internal sealed class SnapshotMismatchException(string message) : Exception(message);

/// <summary>A unified-style line diff from the longest common subsequence of lines, with two lines of context.</summary>
internal static class LineDiff
{
    public static string Format(string expected, string actual, int context = 2, int maxLines = 80)
    {
        string[] a = expected.Split('\n'), b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var edits = new List<(char Kind, int Line, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add((' ', x + 1, a[x]));
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                edits.Add(('+', y + 1, b[y]));
                y++;
            }
            else
            {
                edits.Add(('-', x + 1, a[x]));
                x++;
            }
        }

        var text = new StringBuilder();
        int written = 0;
        for (int k = 0; k < edits.Count && written < maxLines; k++)
        {
            bool near = false;
            for (int d = Math.Max(0, k - context); d <= Math.Min(edits.Count - 1, k + context); d++)
            {
                near |= edits[d].Kind != ' ';
            }

            if (near)
            {
                text.Append(edits[k].Kind).Append(' ').Append(edits[k].Line.ToString().PadLeft(4)).Append(" | ").Append(edits[k].Text).Append('\n');
                written++;
            }
        }

        return written == maxLines ? text.Append("... (more differences)\n").ToString() : text.ToString();
    }
}
