using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Bench;

/// <summary>
/// <c>--guard</c>: what TrainBatch's up-front checks cost (docs/reliability.md, "Generated members"). The generated
/// TrainBatch calls <see cref="NetworkGuard.TrainBatch{T}(ReadOnlySpan{T}, ReadOnlySpan{int}, int, int)"/> (every label
/// in range, every feature finite) before it changes anything; this times that call alone against the whole
/// TrainBatch on the same 32 rows, in one process, rounds alternating so that load changes hit both alike. TrainBatch
/// without the check is the difference. Networks: 784 -> 256 -> 128 -> 10 (mnist) and 13 -> 32 -> 16 -> 3 tanh (tab13).
/// </summary>
internal static class GuardCostQuick
{
    private const int Rows = 32, Rounds = 15;

    public static string Run()
    {
        var random = new SeededRandom(8);
        var mnist = new BenchNetwork(seed: 1) { LearningRate = 1e-6f }; // the weights stay near their start across rounds
        var tab = new TabularNetwork(seed: 1) { LearningRate = 1e-6f };
        float[] mnistInputs = Values(random, Rows * 784);
        float[] tabInputs = Values(random, Rows * 13);
        float[] tabTargets = new float[Rows * 3];
        int[] mnistLabels = Enumerable.Range(0, Rows).Select(i => i % 10).ToArray();
        int[] tabLabels = Enumerable.Range(0, Rows).Select(i => i % 3).ToArray();
        for (int row = 0; row < Rows; row++)
        {
            tabTargets[row * 3 + tabLabels[row]] = 1;
        }

        var cases = new (string Name, int Calls, Action Call)[]
        {
            ("784-256-128-10 TrainBatch(inputs, labels)", 20, () => mnist.TrainBatch(mnistInputs, mnistLabels)),
            ("784-256-128-10 its check alone", 20_000, () => NetworkGuard.TrainBatch<float>(mnistInputs, mnistLabels, 784, 10)),
            ("13-32-16-3 TrainBatch(inputs, labels)", 2_000, () => tab.TrainBatch(tabInputs, tabLabels)),
            ("13-32-16-3 its check alone", 200_000, () => NetworkGuard.TrainBatch<float>(tabInputs, tabLabels, 13, 3)),
            ("13-32-16-3 TrainBatch(inputs, targets)", 2_000, () => tab.TrainBatch(tabInputs, tabTargets)),
            ("13-32-16-3 its check alone (targets)", 200_000, () => NetworkGuard.TrainBatch<float>(tabInputs, tabTargets, 13, 3)),
        };

        var times = cases.Select(_ => new List<double>()).ToArray();
        foreach ((_, int calls, Action call) in cases)
        {
            for (int i = 0; i < calls; i++)
            {
                call(); // warm-up: tiered JIT and the scratch buffers
            }
        }

        for (int round = 0; round < Rounds; round++)
        {
            for (int c = 0; c < cases.Length; c++)
            {
                (_, int calls, Action call) = cases[c];
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls; i++)
                {
                    call();
                }

                times[c].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000 / calls);
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"TrainBatch's checks, {Rows} rows, {Rounds} alternating rounds; per call, median (fastest); {Environment.ProcessorCount} cores");
        for (int c = 0; c < cases.Length; c++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {cases[c].Name,-46} {Median(times[c]),10:F3} us ({times[c].Min(),8:F3} us)");
            if (c % 2 == 1)
            {
                double share = Median(times[c]) / Median(times[c - 1]);
                double fastest = times[c].Min() / times[c - 1].Min();
                text.AppendLine(CultureInfo.InvariantCulture, $"    the check is {share:P2} of TrainBatch by medians ({fastest:P2} by fastest rounds)");
            }
        }

        return text.ToString();
    }

    private static float[] Values(SeededRandom random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextUniform(-1, 1);
        }

        return values;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }
}
