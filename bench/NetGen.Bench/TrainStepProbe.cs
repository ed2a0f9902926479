using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// Probes of the epoch's training step on one core (docs/performance.md, "Training on the Zen 3"):
/// <c>--train-step [rows] [rounds]</c> times <c>TrainBatch</c> of 784-256-128-10 (PyTorch's weights, Adam, 64 rows:
/// the epoch's batch) on one thread, rounds of 8 calls, the thread's CPU time per call, then prints a hash of the
/// parameters and losses after 4 steps of each of several batch sizes on one thread and on two, for comparing the bits
/// of two builds; <c>--adam-sizes</c> times <c>Optimizers.Adam</c> per 8 values from L1-sized arrays to memory-sized
/// ones; <c>--adam-variant</c> times it against a variant with one division fewer (other bits).
/// </summary>
public static class TrainStepProbe
{
    public static string Run(int rows = 64, int rounds = 101)
    {
        var report = new StringBuilder();
        BenchNetwork net = Models.Load(new BenchNetwork(), "mnist");
        float[] x = BenchData.Uniform(rows * 784, 12, 0, 1);
        int[] labels = Enumerable.Range(0, rows).Select(i => (i * 7) % 10).ToArray();
        RowSplit.Enabled = false;
        net.LearningRate = 1e-5f;
        for (int i = 0; i < 200; i++)
        {
            net.TrainBatch(x, labels);
        }

        var times = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            double start = ThreadCpu.Milliseconds();
            for (int i = 0; i < 8; i++)
            {
                net.TrainBatch(x, labels);
            }

            times.Add((ThreadCpu.Milliseconds() - start) * 1e3 / 8);
        }

        times.Sort();
        report.AppendLine(CultureInfo.InvariantCulture, $"TrainBatch {rows} rows, one thread, thread CPU per call: median {times[times.Count / 2]:0.0} µs, fastest {times[0]:0.0} µs ({rounds} rounds of 8); load {System.IO.File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (int batch in new[] { 32, 33, 64, 65, 96, 128, 160, 256 })
        {
            foreach (bool split in new[] { false, true })
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"bits {batch} rows, {(split ? "two threads" : "one thread")}: {Hash(batch, split)}");
            }
        }

        RowSplit.Enabled = false;
        return report.ToString();
    }

    public static string AdamSizes()
    {
        var report = new StringBuilder();
        RowSplit.Enabled = false;
        foreach (int n in new[] { 8_192, 16_384, 65_536, 235_146, 1_000_000 })
        {
            float[] p = BenchData.Uniform(n, 1, -1, 1), g = BenchData.Uniform(n, 2, -1e-3f, 1e-3f), m = BenchData.Uniform(n, 3, -1e-4f, 1e-4f), v = BenchData.Uniform(n, 4, 1e-8f, 1e-6f);
            int step = 100;
            var times = new List<double>();
            int calls = Math.Max(1, 2_000_000 / n);
            for (int round = 0; round < 41; round++)
            {
                double start = ThreadCpu.Milliseconds();
                for (int c = 0; c < calls; c++)
                {
                    Optimizers.Adam<float>(p, g, m, v, 1e-6f, 0.9f, 0.999f, 1e-8f, 0f, false, ++step);
                }

                times.Add((ThreadCpu.Milliseconds() - start) * 1e6 / calls / n);
            }

            times.Sort();
            report.AppendLine(CultureInfo.InvariantCulture, $"Adam {n} values: {times[times.Count / 2] * 8:0.00} ns per 8 values median, {times[0] * 8:0.00} fastest ({times[0] * n / 1e3:0.0} µs a call)");
        }

        return report.ToString();
    }

    /// <summary>
    /// Adam over 235,146 floats as <c>Optimizers.Adam</c> computes it (sqrt(v) / c + ε, then m / that: three divider
    /// operations a vector) against a variant with sqrt(v) · (1/c) (two; not PyTorch's operations, so other bits), in
    /// alternating rounds on the same arrays, thread CPU time.
    /// </summary>
    public static string AdamVariant(int rounds = 61)
    {
        const int n = 235_146;
        float[] p = BenchData.Uniform(n, 1, -1, 1), g = BenchData.Uniform(n, 2, -1e-3f, 1e-3f), m = BenchData.Uniform(n, 3, -1e-4f, 1e-4f), v = BenchData.Uniform(n, 4, 1e-8f, 1e-6f);
        RowSplit.Enabled = false;
        int step = 100;
        var a = new List<double>();
        var b = new List<double>();
        var ratio = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            double ta = 0, tb = 0;
            foreach (bool variant in round % 2 == 0 ? new[] { false, true } : new[] { true, false })
            {
                double start = ThreadCpu.Milliseconds();
                for (int c = 0; c < 8; c++)
                {
                    step++;
                    if (variant)
                    {
                        OptimizerSpeed.AdamReciprocal(p, g, m, v, 1e-6f, 0.9f, 0.999f, 1e-8f, step);
                    }
                    else
                    {
                        Optimizers.Adam<float>(p, g, m, v, 1e-6f, 0.9f, 0.999f, 1e-8f, 0f, false, step);
                    }
                }

                double t = (ThreadCpu.Milliseconds() - start) * 1e3 / 8;
                if (variant) { tb = t; } else { ta = t; }
            }

            a.Add(ta);
            b.Add(tb);
            ratio.Add(tb / ta);
        }

        a.Sort();
        b.Sort();
        ratio.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"Adam 235,146 floats, µs a step: Optimizers.Adam median {a[a.Count / 2]:0.0} fastest {a[0]:0.0}; sqrt(v)·(1/c) median {b[b.Count / 2]:0.0} fastest {b[0]:0.0}; per-round ratio median {ratio[ratio.Count / 2]:0.000} (quartiles {ratio[ratio.Count / 4]:0.000}-{ratio[3 * ratio.Count / 4]:0.000}); load {System.IO.File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static string Hash(int rows, bool split)
    {
        RowSplit.Enabled = split;
        BenchNetwork net = Models.Load(new BenchNetwork(), "mnist");
        float[] x = BenchData.Uniform(rows * 784, 20 + rows, -1, 1);
        int[] labels = Enumerable.Range(0, rows).Select(i => (i * 3) % 10).ToArray();
        var losses = new List<float>();
        for (int step = 0; step < 4; step++)
        {
            losses.Add(net.TrainBatch(x, labels));
        }

        byte[] bytes = new byte[(BenchNetwork.ParameterCount + losses.Count) * 4];
        Buffer.BlockCopy(net.Parameters.ToArray(), 0, bytes, 0, BenchNetwork.ParameterCount * 4);
        Buffer.BlockCopy(losses.ToArray(), 0, bytes, BenchNetwork.ParameterCount * 4, losses.Count * 4);
        return Convert.ToHexString(SHA256.HashData(bytes))[..16] + $" (loss {losses[^1].ToString("R", CultureInfo.InvariantCulture)})";
    }

}
