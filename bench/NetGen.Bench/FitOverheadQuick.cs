using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Bench;

/// <summary>
/// <c>--fit</c>: Trainer.Fit against a bare loop of TrainBatch calls on the same batches (issue 11, item 5), in one
/// process, rounds alternating so that load changes hit both alike. One epoch of 16,384 random rows of 784 -> 256 ->
/// 128 -> 10 with Adam in batches of 64. The bare loop shuffles the rows exactly as Fit does (SeededRandom(seed,
/// stream: epoch)) and gathers each batch the same way, so both train on the same batches. Fit runs with its default
/// checks and reports but no validation split or early stopping (work the bare loop does not do). Also measures the
/// bytes Fit allocates per batch: a batch callback reads the thread's allocation counter at every batch end, and the
/// largest difference between two batch ends of the same epoch is reported (the callback itself allocates nothing).
/// </summary>
internal static class FitOverheadQuick
{
    private const int Rows = 16384, BatchSize = 64, Rounds = 9;

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
        var fitNet = new BenchNetwork(seed: 1) { LearningRate = 1e-6f }; // the weights stay near their start across rounds
        var bareNet = new BenchNetwork(seed: 1) { LearningRate = 1e-6f };
        TrainingOptions Options(int epochs, bool evaluate) => new()
        {
            Epochs = epochs, BatchSize = BatchSize, Seed = 5, ValidationSplit = 0, EarlyStoppingPatience = 0, EvaluateTrainingSet = evaluate,
        };

        int[] order = new int[Rows];
        float[] batchInputs = new float[BatchSize * 784];
        int[] batchLabels = new int[BatchSize];
        void Bare()
        {
            for (int i = 0; i < Rows; i++)
            {
                order[i] = i;
            }

            var shuffle = new SeededRandom(5, stream: 1);
            shuffle.Shuffle(order.AsSpan());
            for (int start = 0; start < Rows; start += BatchSize)
            {
                for (int k = 0; k < BatchSize; k++)
                {
                    features.AsSpan(order[start + k] * 784, 784).CopyTo(batchInputs.AsSpan(k * 784));
                    batchLabels[k] = labels[order[start + k]];
                }

                bareNet.TrainBatch(batchInputs, batchLabels);
            }
        }

        var cases = new (string Name, Action Call)[]
        {
            ("bare TrainBatch loop", Bare),
            ("Trainer.Fit (defaults, no validation)", () => Trainer.Fit(fitNet, data, Options(1, evaluate: true))),
            ("Trainer.Fit, EvaluateTrainingSet = false", () => Trainer.Fit(fitNet, data, Options(1, evaluate: false))),
        };
        var times = cases.Select(_ => new List<double>()).ToArray();
        foreach ((_, Action call) in cases)
        {
            call(); // warm-up
        }

        for (int round = 0; round < Rounds; round++)
        {
            for (int c = 0; c < cases.Length; c++)
            {
                long start = Stopwatch.GetTimestamp();
                cases[c].Call();
                times[c].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
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
        Trainer.Fit(fitNet, data, new TrainingOptions
        {
            Epochs = 3, BatchSize = BatchSize, Seed = 5, ValidationSplit = 0, EarlyStoppingPatience = 0, Callbacks = new[] { probe },
        });
        int batches = Rows / BatchSize;

        // The same counter around bare TrainBatch calls, after the runs above warmed everything up.
        long bareBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 64; i++)
        {
            bareNet.TrainBatch(batchInputs, batchLabels);
        }

        long bareBytes = GC.GetAllocatedBytesForCurrentThread() - bareBefore;

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Fit overhead: {Rows} rows x 784 -> 256 -> 128 -> 10, Adam, batch {BatchSize} ({batches} batches), {Rounds} alternating rounds; load average {LoadAverage()}");
        double bareMedian = Median(times[0]), bareMin = times[0].Min();
        for (int c = 0; c < cases.Length; c++)
        {
            double median = Median(times[c]), min = times[c].Min();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {cases[c].Name,-44} median {median,8:F1} ms  fastest {min,8:F1} ms  ratio to bare: median {median / bareMedian:F3}, fastest {min / bareMin:F3}");
        }

        var perRound = Enumerable.Range(0, Rounds).Select(r => times[1][r] / times[0][r]).OrderBy(x => x).ToArray();
        text.AppendLine(CultureInfo.InvariantCulture, $"  Fit/bare per round (sorted): {string.Join(", ", perRound.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}");
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
