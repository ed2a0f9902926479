using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;

namespace NetGen.Bench.Prototypes;

/// <summary>
/// Times the kernel prototypes of <see cref="DenseKernels"/> against the generated network, ONNX Runtime, the FMA
/// peak and the weight-streaming limit, after checking every prototype against the scalar loops (1e-5 relative)
/// and the two-thread split against one thread (bit for bit). Alternating rounds; median (range).
/// </summary>
public static class PrototypeRunner
{
    private sealed record Candidate(string Group, string Name, Action Call, int Rows, int CallsPerRound)
    {
        public List<double> Times { get; } = new();

        public double Median => Times.OrderBy(t => t).ElementAt(Times.Count / 2);
    }

    public static string Run()
    {
        BenchNetwork network = Models.Load(new BenchNetwork(), "mnist");
        float[] parameters = network.Parameters.ToArray();
        var baselines = new Baselines(parameters, new[] { 784, 256, 128, 10 }, tanh: false, softmax: true);
        var random = new SeededRandom(21);
        float[] x256 = Enumerable.Range(0, 256 * 784).Select(_ => (float)random.NextDouble()).ToArray();
        float[] x64 = x256.AsSpan(0, 64 * 784).ToArray();
        float[] x1 = x256.AsSpan(0, 784).ToArray();
        var kernels = new DenseKernels(parameters, 256);
        var y256 = new float[256 * 10];
        var y64 = new float[64 * 10];
        var y1 = new float[10];
        using var split = new TwoWaySplit(kernels);
        using var ort1 = new OnnxPeer(Models.Onnx("mnist"), 1, 784, 10);
        using var ort64 = new OnnxPeer(Models.Onnx("mnist"), 64, 784, 10);
        x1.CopyTo(ort1.Input, 0);
        x64.CopyTo(ort64.Input, 0);

        // Self-check against the scalar loops, every row.
        var reference = new float[256 * 10];
        for (int r = 0; r < 256; r++)
        {
            baselines.PredictScalar(x256.AsSpan(r * 784, 784), reference.AsSpan(r * 10, 10));
        }

        kernels.PredictPacked(x64, y64, 64);
        Models.Check("packed 6x16, 64 rows", y64, reference.AsSpan(0, 640));
        kernels.PredictDot(x64, y64, 64);
        Models.Check("dot 4x2, 64 rows", y64, reference.AsSpan(0, 640));
        kernels.PredictOne(x1, y1);
        Models.Check("one row", y1, reference.AsSpan(0, 10));
        kernels.PredictPacked(x256, y256, 256);
        Models.Check("packed, 256 rows", y256, reference);
        float[] oneThread = (float[])y256.Clone();
        Array.Clear(y256);
        split.Run(x256, y256);
        for (int i = 0; i < y256.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(y256[i]) != BitConverter.SingleToInt32Bits(oneThread[i]))
            {
                throw new InvalidOperationException($"two threads differ from one at value {i}");
            }
        }

        var candidates = new List<Candidate>
        {
            new("64 rows", "NetGen PredictBatch (generated today)", () => network.PredictBatch(x64, y64), 64, 5),
            new("64 rows", "ONNX Runtime", ort64.Run, 64, 5),
            new("64 rows", "prototype dot 4x2, PyTorch layout", () => kernels.PredictDot(x64, y64, 64), 64, 5),
            new("64 rows", "prototype packed 6x16 (+4x16), panels outer", () => kernels.PredictPacked(x64, y64, 64), 64, 5),
            new("1 row", "NetGen Predict (generated today)", () => network.Predict(x1, y1), 1, 200),
            new("1 row", "ONNX Runtime", ort1.Run, 1, 200),
            new("1 row", "prototype 4 units x 2 accumulators", () => kernels.PredictOne(x1, y1), 1, 200),
            new("256 rows", "NetGen PredictBatch (generated today)", () => network.PredictBatch(x256, y256), 256, 2),
            new("256 rows", "prototype packed, 1 thread", () => kernels.PredictPacked(x256, y256, 256), 256, 2),
            new("256 rows", "prototype packed, 2 threads (rows 0-127 | 128-255)", () => split.Run(x256, y256), 256, 2),
        };
        QuickTable.WarmUp(candidates.Select(c => c.Call));
        for (int round = 0; round < 21; round++)
        {
            foreach (Candidate c in candidates)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < c.CallsPerRound; i++)
                {
                    c.Call();
                }

                c.Times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / c.CallsPerRound / c.Rows);
            }
        }

        double peak = MachineLimits.FmaPeak256();
        double stream = MachineLimits.StreamNanoseconds(BenchNetwork.ParameterCount * sizeof(float));
        const double flopsPerRow = 2.0 * ((784 * 256) + (256 * 128) + (128 * 10));
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"FMA peak (Vector256, one core): {peak:0.0} GFLOP/s; streaming the 940,584 weight bytes: {stream / 1000:0.00} µs");
        report.AppendLine();
        report.AppendLine("| rows | kernel | µs per row, median (range) | GFLOP/s | % of FMA peak | vs first of group |");
        report.AppendLine("|---|---|---|---|---|---|");
        foreach (IGrouping<string, Candidate> group in candidates.GroupBy(c => c.Group))
        {
            double first = group.First().Median;
            foreach (Candidate c in group)
            {
                List<double> t = c.Times.OrderBy(v => v).ToList();
                double gflops = flopsPerRow / c.Median;
                string extra = c.Rows == 1 ? $" ({c.Median / stream:0.00}x the streaming time)" : "";
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c.Group} | {c.Name} | {t[t.Count / 2] / 1000:0.00} ({t[0] / 1000:0.00}-{t[^1] / 1000:0.00}){extra} | {gflops:0.0} | {100 * gflops / peak:0} | {first / c.Median:0.00}x |");
            }
        }

        return report.ToString();
    }

    /// <summary>A fixed two-way split of 256 rows: this thread runs rows 0-127, a dedicated worker rows 128-255.</summary>
    private sealed class TwoWaySplit : IDisposable
    {
        private readonly DenseKernels _kernels;
        private readonly Thread _worker;
        private readonly SemaphoreSlim _start = new(0);
        private readonly ManualResetEventSlim _done = new(false, spinCount: 2000);
        private float[] _x = Array.Empty<float>();
        private float[] _y = Array.Empty<float>();
        private volatile bool _stop;

        public TwoWaySplit(DenseKernels kernels)
        {
            _kernels = kernels;
            _worker = new Thread(Work) { IsBackground = true, Name = "prototype split" };
            _worker.Start();
        }

        public void Run(float[] x, float[] y)
        {
            _x = x;
            _y = y;
            _done.Reset();
            _start.Release();
            _kernels.PredictPacked(x, y, 0, 128);
            _done.Wait();
        }

        private void Work()
        {
            while (true)
            {
                _start.Wait();
                if (_stop)
                {
                    return;
                }

                _kernels.PredictPacked(_x, _y, 128, 128);
                _done.Set();
            }
        }

        public void Dispose()
        {
            _stop = true;
            _start.Release();
            _worker.Join();
            _start.Dispose();
            _done.Dispose();
        }
    }
}
