using System;
using System.Diagnostics;
using System.Linq;
using NetGen;

namespace NetGen.Bench;

/// <summary>
/// <c>--fit-loop fit|bare|noeval SECONDS</c>: repeats one case of the quick table's epoch row (60,000 synthetic rows,
/// 784-256-128-10 from PyTorch's weights, Adam, batch 64, one core) for a profiler such as <c>perf record</c>.
/// </summary>
internal static class FitEpochLoop
{
    public static string Run(string which, double seconds)
    {
        const int rows = 60_000, batchSize = 64;
        var random = new SeededRandom(10);
        float[] features = new float[rows * 784];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = (float)random.NextDouble();
        }

        var labelRandom = new SeededRandom(11);
        int[] labels = Enumerable.Range(0, rows).Select(_ => (int)(labelRandom.NextDouble() * 10) % 10).ToArray();
        Dataset<float> data = Dataset<float>.FromLabels(features, 784, labels, 10);
        BenchNetwork net = Models.Load(new BenchNetwork(), "mnist");
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = batchSize, Seed = 1, ValidationSplit = 0, EarlyStoppingPatience = 0, RestoreBestWeights = false,
            EvaluateTrainingSet = which != "noeval",
        };
        int[] order = Enumerable.Range(0, rows).ToArray();
        var shuffle = new SeededRandom(12);
        var batchInputs = new float[batchSize * 784];
        var batchLabels = new int[batchSize];
        void Bare()
        {
            shuffle.Shuffle(order.AsSpan());
            for (int start = 0; start < rows; start += batchSize)
            {
                int n = Math.Min(batchSize, rows - start);
                for (int k = 0; k < n; k++)
                {
                    features.AsSpan(order[start + k] * 784, 784).CopyTo(batchInputs.AsSpan(k * 784));
                    batchLabels[k] = labels[order[start + k]];
                }

                net.TrainBatch(batchInputs.AsSpan(0, n * 784), batchLabels.AsSpan(0, n));
            }
        }

        Action call = which == "bare" ? Bare : () => Trainer.Fit(net, data, options);
        NetGen.Numerics.RowSplit.Enabled = false;
        long start = Stopwatch.GetTimestamp();
        int epochs = 0;
        var times = new System.Collections.Generic.List<double>();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            long t = Stopwatch.GetTimestamp();
            call();
            times.Add(Stopwatch.GetElapsedTime(t).TotalSeconds);
            epochs++;
        }

        times.Sort();
        return $"{which}: {epochs} epochs, median {times[times.Count / 2]:F3} s, fastest {times[0]:F3} s";
    }
}
