using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// PredictBatch of 784-256-128-10 on 64 rows after what --quick runs before it (bench --batch-context): NetGen and
/// ONNX Runtime each time 10 calls one by one right after a disturbance (nothing, other cells' work, a sweep over a
/// buffer that evicts the caches), in alternating rounds, so the first call after a switch is told from the rest.
/// </summary>
public static class BatchContext
{
    /// <summary>Where <see cref="InRegisters"/> leaves its result, so that the JIT keeps the loop.</summary>
    private static float s_sink;

    private sealed record Disturbance(string Name, Action Run);

    /// <summary>Runs the probe and returns the report (Markdown).</summary>
    public static string Run(int rounds)
    {
        RowSplit.Enabled = false;
        BenchNetwork mnist = Models.Load(new BenchNetwork(), "mnist");
        float[] parameters = mnist.Parameters.ToArray();
        var baselines = new Baselines(parameters, new[] { 784, 256, 128, 10 }, tanh: false, softmax: true);
        var random = new SeededRandom(5);
        float[] batch = new float[64 * 784];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = (float)random.NextDouble();
        }

        float[] one = batch.AsSpan(0, 784).ToArray();
        var output = new float[10];
        var batchOutput = new float[64 * 10];
        using var ort64 = new OnnxPeer(Models.Onnx("mnist"), 64, 784, 10);
        using var ort1 = new OnnxPeer(Models.Onnx("mnist"), 1, 784, 10);
        batch.CopyTo(ort64.Input, 0);
        one.CopyTo(ort1.Input, 0);
        BenchNetwork train = Models.Load(new BenchNetwork(), "mnist");
        train.LearningRate = 1e-6f;
        float[] trainInputs = batch.AsSpan(0, 32 * 784).ToArray();
        int[] labels = Enumerable.Range(0, 32).Select(i => i % 10).ToArray();
        float[] batch256 = new float[256 * 784];
        for (int i = 0; i < batch256.Length; i++)
        {
            batch256[i] = (float)random.NextDouble();
        }

        var out256 = new float[256 * 10];
        byte[] sweep4 = new byte[4 << 20], sweep64 = new byte[64 << 20];
        var engines = new (string Name, Action Call)[] { ("NetGen", () => mnist.PredictBatch(batch, batchOutput)), ("ONNX Runtime", ort64.Run) };
        var disturbances = new List<Disturbance>
        {
            new("none (the same engine's 10 calls just before)", () => { }),
            new("scalar loops Predict x40 (--quick's cell before)", () => { for (int i = 0; i < 40; i++) { baselines.PredictScalar(one, output); } }),
            new("NetGen Predict x400", () => { for (int i = 0; i < 400; i++) { mnist.Predict(one, output); } }),
            new("ONNX Runtime 1 row x400", () => { for (int i = 0; i < 400; i++) { ort1.Run(); } }),
            new("the other engine's 10 calls", () => { }),
            new("TrainBatch 32 rows x5", () => { for (int i = 0; i < 5; i++) { train.TrainBatch(trainInputs, labels); } }),
            new("PredictBatch 256 rows on two cores x3", () => { RowSplit.Enabled = true; for (int i = 0; i < 3; i++) { mnist.PredictBatch(batch256, out256); } RowSplit.Enabled = false; }),
            new("writing 4 MB", () => Array.Fill(sweep4, (byte)1)),
            new("writing 64 MB", () => Array.Fill(sweep64, (byte)1)),
            new("sleeping 5 ms", () => System.Threading.Thread.Sleep(5)),
            new("scalar float arithmetic in registers, 10 ms", () => InRegisters(vector: false)),
            new("256-bit FMA in registers, 10 ms", () => InRegisters(vector: true)),
        };

        QuickTable.WarmUp(engines.Select(e => e.Call).Concat(disturbances.Select(d => d.Run)));

        // times[engine][disturbance][call] over the rounds
        var times = new List<double>[engines.Length, disturbances.Count, 10];
        foreach (int e in Enumerable.Range(0, engines.Length))
        {
            foreach (int d in Enumerable.Range(0, disturbances.Count))
            {
                for (int c = 0; c < 10; c++)
                {
                    times[e, d, c] = new List<double>();
                }
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < disturbances.Count; k++)
            {
                int d = (round + k) % disturbances.Count;
                for (int e = 0; e < engines.Length; e++)
                {
                    if (d == 0)
                    {
                        for (int c = 0; c < 10; c++)
                        {
                            engines[e].Call();
                        }
                    }
                    else if (d == 4)
                    {
                        for (int c = 0; c < 10; c++)
                        {
                            engines[1 - e].Call();
                        }
                    }
                    else
                    {
                        disturbances[d].Run();
                    }

                    for (int c = 0; c < 10; c++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        engines[e].Call();
                        times[e, d, c].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds);
                    }
                }
            }
        }

        static double Median(IEnumerable<double> values)
        {
            List<double> sorted = values.OrderBy(v => v).ToList();
            return sorted[sorted.Count / 2];
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# PredictBatch 64 rows after a disturbance, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({rounds} rounds; µs per call, medians over the rounds)");
        report.AppendLine();
        report.AppendLine("| before | " + string.Join(" | ", engines.Select(e => e.Name + ": 1st, 2nd, 3rd-10th, 10-call mean")) + " | NetGen / ORT (10-call means, > 1: NetGen faster) |");
        report.AppendLine("|---|" + string.Concat(engines.Select(_ => "---|")) + "---|");
        for (int d = 0; d < disturbances.Count; d++)
        {
            var line = new StringBuilder($"| {disturbances[d].Name} |");
            var means = new double[engines.Length];
            for (int e = 0; e < engines.Length; e++)
            {
                int e1 = e, d1 = d;
                double first = Median(times[e, d, 0]), second = Median(times[e, d, 1]);
                double rest = Median(Enumerable.Range(2, 8).SelectMany(c => times[e1, d1, c]));
                means[e] = Median(Enumerable.Range(0, rounds).Select(r => Enumerable.Range(0, 10).Average(c => times[e1, d1, c][r])));
                line.Append(CultureInfo.InvariantCulture, $" {first / 1e3:0}, {second / 1e3:0}, {rest / 1e3:0}, **{means[e] / 1e3:0}** |");
            }

            line.Append(CultureInfo.InvariantCulture, $" {means[1] / means[0]:0.00}x |");
            report.AppendLine(line.ToString());
        }

        return report.ToString();
    }

    /// <summary>
    /// 10 ms of dependent float arithmetic on registers only (scalar, or 256-bit fused multiply-adds): a context that
    /// leaves the caches as they were, to tell what a gap of milliseconds costs the next call from what other work's
    /// memory traffic costs it.
    /// </summary>
    private static void InRegisters(bool vector)
    {
        long start = Stopwatch.GetTimestamp();
        float a = 1.0001f;
        Vector256<float> v = Vector256.Create(a), m = Vector256.Create(0.99999f);
        while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 10)
        {
            for (int i = 0; i < 1000; i++)
            {
                if (vector)
                {
                    v = Fma.IsSupported ? Fma.MultiplyAdd(v, m, m) : (v * m) + m;
                }
                else
                {
                    a = (a * 0.99999f) + 0.00001f;
                }
            }
        }

        s_sink = a + v.GetElement(0);
    }
}

/// <summary>
/// Layer 1 of PredictBatch 64 on copies of its packed weights and rows at different places in memory (bench
/// --batch-placement): pinned managed arrays (4 KB pages, as the generated network's packed copy), native memory with
/// 4 KB pages, and native memory advised to transparent huge pages (Linux), in alternating rounds.
/// </summary>
public static unsafe class BatchPlacement
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(void* address, nuint length, int advice);

    private readonly struct Relu : IVectorActivation<float>
    {
        public System.Runtime.Intrinsics.Vector128<float> Apply(System.Runtime.Intrinsics.Vector128<float> z) => System.Runtime.Intrinsics.Vector128.Max(z, System.Runtime.Intrinsics.Vector128<float>.Zero);

        public System.Runtime.Intrinsics.Vector256<float> Apply(System.Runtime.Intrinsics.Vector256<float> z) => System.Runtime.Intrinsics.Vector256.Max(z, System.Runtime.Intrinsics.Vector256<float>.Zero);

        public System.Runtime.Intrinsics.Vector512<float> Apply(System.Runtime.Intrinsics.Vector512<float> z) => System.Runtime.Intrinsics.Vector512.Max(z, System.Runtime.Intrinsics.Vector512<float>.Zero);
    }

    public static string Run(int rounds, int copies)
    {
        RowSplit.Enabled = false;
        BenchNetwork mnist = Models.Load(new BenchNetwork(), "mnist");
        float[] p = mnist.Parameters.ToArray();
        int l1 = (int)PackedDense.PackedLength<float>(784, 256);
        float[] packed = new float[l1];
        PackedDense.Pack<float>(p.AsSpan(0, 200704), p.AsSpan(200704, 256), 784, 256, packed);
        var random = new SeededRandom(5);
        float[] x = new float[64 * 784];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        var names = new List<string>();
        var calls = new List<Action>();
        for (int c = 0; c < copies; c++)
        {
            float[] w = GC.AllocateArray<float>(l1, pinned: true), xs = GC.AllocateArray<float>(x.Length, pinned: true), y = GC.AllocateArray<float>(64 * 256, pinned: true);
            packed.CopyTo(w, 0);
            x.CopyTo(xs, 0);
            names.Add($"managed copy {c}");
            calls.Add(() => PackedDense.Forward(ref w[0], 784, 256, ref xs[0], ref y[0], 64, default(Relu)));
            byte[] gap = GC.AllocateArray<byte>(100_000 + (c * 4096), pinned: true); // different pages for the next copy
            GC.KeepAlive(gap);
        }

        foreach (bool huge in new[] { false, true })
        {
            nuint bytes = 4 << 20;
            float* region = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(bytes, 2 << 20);
            if (huge && OperatingSystem.IsLinux())
            {
                Madvise(region, bytes, 14); // MADV_HUGEPAGE
            }

            new Span<float>(region, (int)(bytes / 4)).Clear();
            float* w = region, xs = region + l1 + 16, y = xs + x.Length + 16;
            packed.CopyTo(new Span<float>(w, l1));
            x.CopyTo(new Span<float>(xs, x.Length));
            names.Add(huge ? "native, madvise(MADV_HUGEPAGE)" : "native, 4 KB pages");
            calls.Add(() => PackedDense.Forward(ref *w, 784, 256, ref *xs, ref *y, 64, default(Relu)));
        }

        string smaps = System.IO.File.Exists("/proc/self/smaps_rollup") ? System.IO.File.ReadAllText("/proc/self/smaps_rollup") : "";
        QuickTable.WarmUp(calls);
        var times = names.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < calls.Count; k++)
            {
                int i = (round + k) % calls.Count;
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < 10; c++)
                {
                    calls[i]();
                }

                times[i].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / 10);
            }
        }

        var report = new StringBuilder($"# layer 1, 64 rows, by placement ({rounds} rounds of 10 calls)\n\n| copy | median | fastest |\n|---|---|---|\n");
        for (int i = 0; i < names.Count; i++)
        {
            List<double> s = times[i].OrderBy(t => t).ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {names[i]} | {s[s.Count / 2] / 1e3:0.0} µs | {s[0] / 1e3:0.0} µs |");
        }

        report.AppendLine("The process's huge pages (the advised region: 4096 kB when the kernel granted them):");
        report.AppendLine(string.Join("\n", smaps.Split('\n').Where(l => l.StartsWith("AnonHuge", StringComparison.Ordinal))));
        return report.ToString();
    }
}
