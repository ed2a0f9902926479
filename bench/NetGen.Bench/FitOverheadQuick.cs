using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Bench;

/// <summary>
/// <c>--fit</c>: Trainer.Fit against a bare loop of TrainBatch calls on the same batches (issue 11, item 5), in one
/// process, on the quick table's epoch: 60,000 random rows of 784 -> 256 -> 128 -> 10 from PyTorch's weights, Adam,
/// batches of 64, one core (RowSplit off). Rounds alternate so that load changes hit every case alike, and each case
/// is timed both by the wall clock and by the thread's CPU time (which does not grow while other processes hold the
/// core). The bare loop shuffles exactly as Fit does (SeededRandom(seed, stream: epoch)) and gathers each batch the
/// same way, so both train on the same batches. Fit runs without a validation split or early stopping (work the
/// bare loop does not do), once with its per-epoch scoring (the training-set evaluation of up to 1,024 rows and the
/// dead-unit probe of up to 256, which stops once every ReLU unit has fired) and once without, which leaves only the
/// per-batch work: the gradient norms and checks, the snapshot every 16 batches. Two network instances run every case, to tell Fit's cost from a difference between
/// instances (where their arrays lie in memory). Also measures the bytes Fit allocates per batch: a batch callback
/// reads the thread's allocation counter at every batch end, and the largest difference between two batch ends of
/// the same epoch is reported (the callback itself allocates nothing).
/// </summary>
internal static class FitOverheadQuick
{
    private const int Rows = 60_000, BatchSize = 64, Rounds = 5, Seed = 5;

    public static string Run()
    {
        var random = new SeededRandom(21);
        float[] features = new float[Rows * 784];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (float)random.NextDouble();
        }

        int[] labels = Enumerable.Range(0, Rows).Select(i => (int)(random.NextDouble() * 10) % 10).ToArray();
        Dataset<float> data = Dataset<float>.FromLabels(features, 784, labels, 10);
        BenchNetwork a = Models.Load(new BenchNetwork(), "mnist"), b = Models.Load(new BenchNetwork(), "mnist");
        a.LearningRate = b.LearningRate = 1e-6f; // the weights stay near PyTorch's across rounds
        TrainingOptions Options(int epochs, bool score, TrainingCallback[]? callbacks = null) => new()
        {
            Epochs = epochs, BatchSize = BatchSize, Seed = Seed, ValidationSplit = 0, EarlyStoppingPatience = 0, RestoreBestWeights = false,
            EvaluateTrainingSet = score, DeadUnitSampleRows = score ? 256 : 0, Callbacks = callbacks ?? Array.Empty<TrainingCallback>(),
        };

        int[] order = new int[Rows];
        float[] batchInputs = new float[BatchSize * 784];
        int[] batchLabels = new int[BatchSize];
        void Bare(BenchNetwork net)
        {
            for (int i = 0; i < Rows; i++)
            {
                order[i] = i;
            }

            new SeededRandom(Seed, stream: 1).Shuffle(order.AsSpan());
            for (int start = 0; start < Rows; start += BatchSize)
            {
                int n = Math.Min(BatchSize, Rows - start);
                for (int k = 0; k < n; k++)
                {
                    features.AsSpan(order[start + k] * 784, 784).CopyTo(batchInputs.AsSpan(k * 784));
                    batchLabels[k] = labels[order[start + k]];
                }

                net.TrainBatch(batchInputs.AsSpan(0, n * 784), batchLabels.AsSpan(0, n));
            }
        }

        var cases = new (string Name, Action Call)[]
        {
            ("A: bare TrainBatch loop", () => Bare(a)),
            ("A: Trainer.Fit, defaults (scoring on)", () => Trainer.Fit(a, data, Options(1, score: true))),
            ("A: Trainer.Fit, no per-epoch scoring", () => Trainer.Fit(a, data, Options(1, score: false))),
            ("B: bare TrainBatch loop", () => Bare(b)),
            ("B: Trainer.Fit, defaults (scoring on)", () => Trainer.Fit(b, data, Options(1, score: true))),
        };
        bool split = NetGen.Numerics.RowSplit.Enabled;
        NetGen.Numerics.RowSplit.Enabled = false;
        var wall = cases.Select(_ => new List<double>()).ToArray();
        var cpu = cases.Select(_ => new List<double>()).ToArray();
        string loadBefore = LoadAverage();
        try
        {
            foreach ((_, Action call) in cases)
            {
                call(); // warm-up
            }

            for (int round = 0; round < Rounds; round++)
            {
                for (int c = 0; c < cases.Length; c++)
                {
                    double cpuStart = ThreadCpu.Milliseconds();
                    long start = Stopwatch.GetTimestamp();
                    cases[c].Call();
                    wall[c].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    cpu[c].Add(ThreadCpu.Milliseconds() - cpuStart);
                }
            }
        }
        finally
        {
            NetGen.Numerics.RowSplit.Enabled = split;
        }

        // The per-epoch scoring alone, as Fit runs it: the training-set evaluation of 1,024 rows, the dead-unit probe of 256.
        int[] sample = Enumerable.Range(0, Rows).ToArray();
        new SeededRandom(Seed, stream: 0x5EED).Shuffle(sample.AsSpan()); // DataSplit's seeded order, as Fit draws its sample
        Dataset<float> scored = data.Select(sample.AsSpan(0, 1024));
        var activations = new float[256 + 128 + 10];
        var scoring = new List<double>();
        for (int round = 0; round < 9; round++)
        {
            double cpuStart = ThreadCpu.Milliseconds();
            Trainer.Evaluate(a, scored);
            for (int r = 0; r < 256; r++)
            {
                a.PredictLayers(data.Row(r), activations);
            }

            scoring.Add(ThreadCpu.Milliseconds() - cpuStart);
        }

        // Since the dead-unit probe stops once every ReLU unit has fired: the rows it needs on this network and data.
        var alive = new bool[256 + 128];
        int living = 0, probed = 0;
        while (probed < 256 && living < alive.Length)
        {
            a.PredictLayers(data.Row(probed++), activations);
            for (int i = 0; i < alive.Length; i++)
            {
                if (!alive[i] && activations[i] > 0)
                {
                    alive[i] = true;
                    living++;
                }
            }
        }

        long worst = long.MinValue, previous = 0;
        int measured = 0;
        int allocatingBatches = 0;
        var probe = TrainingCallback.AtBatchEnd((batch, _) =>
        {
            long now = GC.GetAllocatedBytesForCurrentThread();
            if (batch.Batch > 1)
            {
                worst = Math.Max(worst, now - previous);
                measured++;
                if (now != previous)
                {
                    allocatingBatches++;
                }
            }

            previous = now;
        });
        Trainer.Fit(a, data, Options(2, score: true, new[] { probe }));

        // The same counter around bare TrainBatch calls, after the runs above warmed everything up.
        long bareBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 64; i++)
        {
            a.TrainBatch(batchInputs, batchLabels);
        }

        long bareBytes = GC.GetAllocatedBytesForCurrentThread() - bareBefore;

        var text = new StringBuilder();
        int batches = (Rows + BatchSize - 1) / BatchSize;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Fit overhead: {Rows:N0} rows x 784 -> 256 -> 128 -> 10, Adam, batch {BatchSize} ({batches} batches), one core, {Rounds} alternating rounds; load average {loadBefore} before, {LoadAverage()} after");
        for (int c = 0; c < cases.Length; c++)
        {
            int bare = c < 3 ? 0 : 3;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {cases[c].Name,-40} wall median {Median(wall[c]),7:F0} ms fastest {wall[c].Min(),7:F0} ms (x{Median(wall[c]) / Median(wall[bare]):F3} / x{wall[c].Min() / wall[bare].Min():F3}); " +
                $"CPU median {Median(cpu[c]),7:F0} ms fastest {cpu[c].Min(),7:F0} ms (x{Median(cpu[c]) / Median(cpu[bare]):F3} / x{cpu[c].Min() / cpu[bare].Min():F3})");
        }

        var perRound = Enumerable.Range(0, Rounds).Select(r => cpu[1][r] / cpu[0][r]).OrderBy(x => x).ToArray();
        text.AppendLine(CultureInfo.InvariantCulture, $"  A: Fit/bare CPU time per round (sorted): {string.Join(", ", perRound.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  per-epoch scoring alone (Evaluate on 1,024 rows + 256 PredictLayers): CPU median {Median(scoring):F1} ms, fastest {scoring.Min():F1} ms");
        text.AppendLine(CultureInfo.InvariantCulture, $"  the dead-unit probe stops after {probed} of 256 rows here ({living} of {alive.Length} ReLU units fired; the scoring above times all 256)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  bare TrainBatch: {bareBytes} B over 64 calls; allocated by Fit between two batch ends of an epoch: at most {worst} B, in {allocatingBatches} of {measured} batches (the probe callback itself allocates nothing)");
        return text.ToString();
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (System.IO.IOException)
        {
            return "unknown";
        }
    }
}
