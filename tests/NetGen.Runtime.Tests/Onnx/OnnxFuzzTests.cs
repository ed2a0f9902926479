using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NetGen;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.OnnxFiles;

/// <summary>
/// Damaged and hostile versions of the committed .onnx files through Onnx.Import: every truncation and seeded byte
/// mutations. Only InvalidDataException escapes (or the import succeeds, when a mutation hits weight data or a
/// name nobody reads), the network is unchanged after a failure, and the allocation stays in proportion to the file.
/// </summary>
public class OnnxFuzzTests(ITestOutputHelper output)
{
    private const int MutationsPerFile = 400;

    private static INeuralNetwork<float> NetworkFor(string file, int seed) => file switch
    {
        "refused_gelu_exact.onnx" => new FixtureRefusedGeluExact(seed),
        "refused_log_softmax.onnx" => new FixtureRefusedLogSoftmax(seed),
        _ => Fresh(file[..^5], seed),
    };

    private static INeuralNetwork<float> Fresh(string name, int seed)
    {
        INeuralNetwork<float> net = OnnxReferenceTests.Networks(name).Single;
        net.Initialize(seed);
        return net;
    }

    [Fact]
    public void DamagedFilesFailCleanly()
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(20261201);
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int cases = 0;
        long largest = 0;
        int largestInput = 0;
        TimeSpan slowest = TimeSpan.Zero;
        int slowestInput = 0;
        foreach ((string file, byte[] original) in OnnxFixtures.AllFiles())
        {
            INeuralNetwork<float> net = NetworkFor(file, seed: 5);
            var inputs = new List<byte[]>();
            for (int length = 0; length < original.Length; length++)
            {
                inputs.Add(original[..length]);
            }

            for (int m = 0; m < MutationsPerFile; m++)
            {
                inputs.Add(Mutate(original, random));
            }

            foreach (byte[] input in inputs)
            {
                cases++;
                float[] before = net.Parameters.ToArray();
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                long started = Stopwatch.GetTimestamp();
                string outcome;
                try
                {
                    Onnx.Import(net, input);
                    outcome = "imported";
                }
                catch (InvalidDataException e)
                {
                    outcome = "InvalidDataException: " + Kind(e.Message);
                    Assert.True(before.AsSpan().SequenceEqual(net.Parameters), $"{file}: a failed import changed the network ({e.Message})");
                }

                TimeSpan took = Stopwatch.GetElapsedTime(started);
                if (took > slowest)
                {
                    (slowest, slowestInput) = (took, input.Length);
                }

                // Parsing allocates objects and strings per byte of input; nothing may scale with a claimed size.
                long used = GC.GetAllocatedBytesForCurrentThread() - allocated;
                if (used > largest)
                {
                    (largest, largestInput) = (used, input.Length);
                }

                Assert.True(used <= (200L * input.Length) + (256 * 1024), $"{file}: an import of {input.Length} bytes allocated {used} bytes");
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                if (outcome == "imported")
                {
                    net.Initialize(seed: 5); // back to the start for the next case
                }
            }
        }

        output.WriteLine($"{cases} cases in {watch.Elapsed.TotalSeconds:F1} s; slowest case {slowest.TotalMilliseconds:F1} ms, for an input of {slowestInput} bytes; largest allocation {largest} bytes, for an input of {largestInput} bytes");
        foreach ((string outcome, int count) in outcomes)
        {
            output.WriteLine($"{count,6}  {outcome}");
        }

        // A hostile length that made the reader loop or copy in proportion to what it claims would show as one slow
        // case (the whole run is about 20,000 cases of a millisecond or less on a quiet machine). One case is timed,
        // not the run: a run's wall time grows with whatever else holds the cores (a 15 s budget for the run failed
        // once at a load average of 80), while a single parse stays far below the limit (30 ms at most on a quiet
        // machine, JIT compilation included).
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"one import of {slowestInput} bytes took {slowest}");
        Assert.True(outcomes.Count > 5, "the mutations should reach several different checks");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0: // overwrite 1-4 bytes
                for (int i = random.Next(1, 5); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1: // a large varint-looking run, as hostile lengths are written
                int at = random.Next(bytes.Length - 5);
                for (int i = 0; i < 4; i++)
                {
                    bytes[at + i] = 0xFF;
                }

                bytes[at + 4] = 0x07;
                return bytes;
            case 2: // flip one bit
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 3: // delete a range
            {
                int start = random.Next(bytes.Length), count = Math.Min(random.Next(1, 16), bytes.Length - start);
                byte[] shorter = new byte[bytes.Length - count];
                Array.Copy(bytes, shorter, start);
                Array.Copy(bytes, start + count, shorter, start, bytes.Length - start - count);
                return shorter;
            }

            default: // duplicate a range
            {
                int start = random.Next(bytes.Length), count = Math.Min(random.Next(1, 64), bytes.Length - start);
                byte[] longer = new byte[bytes.Length + count];
                Array.Copy(bytes, longer, start + count);
                Array.Copy(bytes, start, longer, start + count, bytes.Length - start);
                return longer;
            }
        }
    }

    /// <summary>The message up to its first quote or digit, so that outcomes group by the check that fired.</summary>
    private static string Kind(string message)
    {
        int end = message.IndexOfAny(":'0123456789[(".ToCharArray());
        string head = (end < 0 ? message : message[..end]).Trim();
        return head.StartsWith("Node ", StringComparison.Ordinal) ? "Node ..." : head.Length > 40 ? head[..40] : head;
    }
}
