using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using BenchmarkDotNet.Running;
using NetGen.Bench;

// dotnet run -c Release --project bench/NetGen.Bench -- [BenchmarkDotNet arguments]   full BenchmarkDotNet suite
// dotnet run -c Release --project bench/NetGen.Bench -- --quick                      interleaved timing, JSON out
if (args.Length > 0 && args[0] == "--quick")
{
    Console.WriteLine(QuickComparison.Run());
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(InferenceBenchmarks).Assembly).Run(args);

/// <summary>
/// A fast comparison for a noisy shared machine: the candidates run in alternating rounds, each round timing a
/// batch of calls, and the median round time per call is reported with its ratio to the scalar baseline from the
/// same run. Not a replacement for BenchmarkDotNet; a quick check that prints JSON.
/// </summary>
internal static class QuickComparison
{
    /// <summary>One thing to time: <paramref name="Rows"/> rows per call; <paramref name="Calls"/> calls per round.</summary>
    private sealed record Candidate(string Name, Action Call, int Rows, int Calls, bool ComparesWithScalar);

    public static string Run()
    {
        var inference = new InferenceBenchmarks();
        inference.Setup();
        var training = new TrainingBenchmarks();
        training.Setup();
        Candidate[] candidates =
        {
            new("scalar", inference.Scalar, 1, 100, true),
            new("tensor_primitives", inference.TensorPrimitivesDot, 1, 100, true),
            new("netgen_predict", inference.NetGenPredict, 1, 100, true),
            new("netgen_predict_loop_64_rows_per_row", inference.NetGenPredictLoop, 64, 4, true),
            new("netgen_predict_batch_64_rows_per_row", inference.NetGenPredictBatch, 64, 4, true),
            new("netgen_train_batch_32_rows", () => training.TrainBatch(), 1, 10, false),
        };

        const int rounds = 21;
        double[][] times = candidates.Select(_ => new double[rounds]).ToArray();
        foreach (Candidate candidate in candidates)
        {
            for (int i = 0; i < 30; i++)
            {
                candidate.Call(); // warm up, let tiered compilation finish
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int c = 0; c < candidates.Length; c++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < candidates[c].Calls; i++)
                {
                    candidates[c].Call();
                }

                times[c][round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1e6 / candidates[c].Calls / candidates[c].Rows;
            }
        }

        double Median(double[] values) => values.OrderBy(v => v).ElementAt(values.Length / 2);
        double baseline = Median(times[0]);
        var result = new
        {
            machine = new { cores = Environment.ProcessorCount, vector_float_lanes = Vector<float>.Count, runtime = Environment.Version.ToString() },
            network = "784-256-128-10 ReLU/Softmax, float; predictions per row, training per Adam step on 32 rows",
            rounds,
            results = candidates.Select((c, i) => new
            {
                name = c.Name,
                median_ns = Math.Round(Median(times[i]), 1),
                speedup_vs_scalar = c.ComparesWithScalar ? Math.Round(baseline / Median(times[i]), 2) : (double?)null,
            }),
        };
        return JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
    }
}
