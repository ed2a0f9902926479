using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Fuzz;

/// <summary>Seeded byte-level mutations shared by the fuzz tests.</summary>
internal sealed class Mutator
{
    /// <summary>Values that break size arithmetic: zero, one, sign and width boundaries, and a few plain sizes.</summary>
    public static readonly long[] Interesting =
    {
        0, 1, 2, 7, 8, 64, 255, 256, 1000, 65_535, 65_536, 1 << 20, 100_000_000, int.MaxValue - 1, int.MaxValue, 1L << 31,
        uint.MaxValue, 1L << 32, (1L << 32) + 1, 1L << 40, long.MaxValue, -1, -2, int.MinValue, long.MinValue,
    };

    public Mutator(int seed) => Random = new Random(seed);

    public Random Random { get; }

    public long AnyInteresting() => Interesting[Random.Next(Interesting.Length)];

    /// <summary>One generic damage to <paramref name="input"/>; <paramref name="kind"/> names it.</summary>
    public byte[] Mutate(byte[] input, out string kind)
    {
        byte[] bytes = (byte[])input.Clone();
        switch (Random.Next(8))
        {
            case 0:
                kind = "flip";
                for (int n = 1 + Random.Next(4); n > 0 && bytes.Length > 0; n--)
                {
                    bytes[Random.Next(bytes.Length)] ^= (byte)(1 + Random.Next(255));
                }

                return bytes;
            case 1:
                kind = "set byte";
                if (bytes.Length > 0)
                {
                    bytes[Random.Next(bytes.Length)] = new byte[] { 0, 0xFF, 0x7F, 0x80, (byte)Random.Next(256) }[Random.Next(5)];
                }

                return bytes;
            case 2:
                kind = "truncate";
                return bytes[..Random.Next(bytes.Length)];
            case 3:
                kind = "append";
                return bytes.Concat(RandomBytes(1 + Random.Next(Random.Next(2) == 0 ? 16 : 4096))).ToArray();
            case 4:
            {
                kind = "insert";
                int at = Random.Next(bytes.Length + 1);
                return bytes[..at].Concat(RandomBytes(1 + Random.Next(64))).Concat(bytes[at..]).ToArray();
            }

            case 5:
            {
                kind = "delete";
                if (bytes.Length == 0)
                {
                    return bytes;
                }

                int at = Random.Next(bytes.Length);
                int count = 1 + Random.Next(Math.Min(64, bytes.Length - at));
                return bytes[..at].Concat(bytes[(at + count)..]).ToArray();
            }

            case 6:
            {
                kind = "forge int32";
                if (bytes.Length >= 4)
                {
                    BitConverter.GetBytes((int)AnyInteresting()).CopyTo(bytes, Random.Next(bytes.Length - 3));
                }

                return bytes;
            }

            default:
            {
                kind = "forge int64";
                if (bytes.Length >= 8)
                {
                    BitConverter.GetBytes(AnyInteresting()).CopyTo(bytes, Random.Next(bytes.Length - 7));
                }

                return bytes;
            }
        }
    }

    /// <summary>Replaces one decimal number in <paramref name="text"/> by an interesting value.</summary>
    public string ForgeNumber(string text)
    {
        var numbers = new List<(int Start, int Length)>();
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                int start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                numbers.Add((start, i - start));
            }
        }

        if (numbers.Count == 0)
        {
            return text;
        }

        (int s, int l) = numbers[Random.Next(numbers.Count)];
        string replacement = Random.Next(6) switch
        {
            0 => "1e999",
            1 => "2.5",
            2 => "99999999999999999999999",
            _ => AnyInteresting().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return text[..s] + replacement + text[(s + l)..];
    }

    public byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.NextBytes(bytes);
        return bytes;
    }
}

/// <summary>Counts a fuzz test's outcomes by kind and prints them (visible with <c>--logger "console;verbosity=detailed"</c>).</summary>
internal sealed class FuzzLedger
{
    private readonly SortedDictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly List<string> _failures = new();

    public int Cases { get; private set; }

    public long MaxAllocated { get; private set; }

    public double MaxAllocatedRatio { get; private set; }

    public void Record(string outcome)
    {
        Cases++;
        _outcomes[outcome] = _outcomes.TryGetValue(outcome, out int n) ? n + 1 : 1;
    }

    public void Allocated(long bytes, long bound)
    {
        MaxAllocated = Math.Max(MaxAllocated, bytes);
        MaxAllocatedRatio = Math.Max(MaxAllocatedRatio, (double)bytes / bound);
    }

    /// <summary>A broken promise; the test fails at the end with the first few.</summary>
    public void Fail(string description)
    {
        if (_failures.Count < 20)
        {
            _failures.Add(description);
        }
        else if (_failures.Count == 20)
        {
            _failures.Add("...");
        }
    }

    public void Report(ITestOutputHelper output, string name, int minimumCases)
    {
        var text = new StringBuilder($"{name}: {Cases} cases; ");
        text.Append(string.Join(", ", _outcomes.Select(o => $"{o.Key} {o.Value}")));
        text.Append($"; largest allocation {MaxAllocated} bytes, at most {MaxAllocatedRatio:P1} of its bound");
        output.WriteLine(text.ToString());
        Assert.True(_failures.Count == 0, string.Join(Environment.NewLine, _failures));
        Assert.True(Cases >= minimumCases, $"{Cases} cases, fewer than {minimumCases}");
    }

    /// <summary>Bit-for-bit equality of two parameter arrays (NaN payloads included).</summary>
    public static bool Same<T>(T[] a, T[] b) where T : unmanaged =>
        MemoryMarshal.AsBytes(a.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.AsSpan()));
}
