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
    public static string Run()
    {
        var inference = new InferenceBenchmarks();
        inference.Setup();
        var candidates = new (string Name, Action Call)[]
        {
            ("scalar", inference.Scalar),
            ("tensor_primitives", inference.TensorPrimitivesDot),
            ("netgen_predict", inference.NetGenPredict),
            ("netgen_predict_loop_64_rows_per_row", inference.NetGenPredictLoop),
            ("netgen_predict_batch_64_rows_per_row", inference.NetGenPredictBatch),
        };
        int[] rowsPerCall = { 1, 1, 1, 64, 64 };

        const int rounds = 21, callsPerRound = 100;
        double[][] times = candidates.Select(_ => new double[rounds]).ToArray();
        foreach ((_, Action call) in candidates)
        {
            for (int i = 0; i < 50; i++)
            {
                call(); // warm up, let tiered compilation finish
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int c = 0; c < candidates.Length; c++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < callsPerRound; i++)
                {
                    candidates[c].Call();
                }

                times[c][round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1e6 / callsPerRound / rowsPerCall[c];
            }
        }

        double Median(double[] values) => values.OrderBy(v => v).ElementAt(values.Length / 2);
        double baseline = Median(times[0]);
        var result = new
        {
            machine = new { cores = Environment.ProcessorCount, vector_float_lanes = Vector<float>.Count, runtime = Environment.Version.ToString() },
            network = "784-256-128-10 ReLU/Softmax, float; times are per row",
            rounds,
            calls_per_round = callsPerRound,
            results = candidates.Select((c, i) => new
            {
                name = c.Name,
                median_ns = Math.Round(Median(times[i]), 1),
                speedup_vs_scalar = Math.Round(baseline / Median(times[i]), 2),
            }),
        };
        return JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
    }
}
