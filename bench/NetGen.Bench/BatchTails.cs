using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// <c>--batch-tails [rounds]</c>: <c>PredictBatch</c> of 784-256-128-10 on one core at 61-67 and 250-256 rows, per row,
/// so that the rows after the last whole 6-row tile (rows % 6 = 1, 2, 3, 5 in the last 64-row group the generated
/// PredictBatch runs the layers over) show against the batches without them
/// (docs/performance.md, "PredictBatch of 64 rows"). Rounds rotate over the row counts; each round times a few calls
/// of each, wall clock and the thread's CPU time.
/// </summary>
internal static class BatchTails
{
    public static string Run(int rounds)
    {
        bool enabledBefore = RowSplit.Enabled;
        RowSplit.Enabled = false;
        var net = Models.Load(new BenchNetwork(), "mnist");
        var random = new SeededRandom(7);
        float[] inputs = new float[256 * 784];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextUniform(0, 1);
        }

        float[] outputs = new float[256 * 10];
        int[] counts = Enumerable.Range(61, 7).Concat(Enumerable.Range(250, 7)).ToArray();
        var wall = counts.ToDictionary(rows => rows, _ => new List<double>());
        var cpu = counts.ToDictionary(rows => rows, _ => new List<double>());
        foreach (int rows in counts)
        {
            for (int i = 0; i < 40; i++)
            {
                net.PredictBatch(inputs.AsSpan(0, rows * 784), outputs.AsSpan(0, rows * 10));
            }
        }

        double load = LoadAverage();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < counts.Length; k++)
            {
                int rows = counts[(round + k) % counts.Length];
                int calls = rows < 100 ? 8 : 2;
                double c0 = ThreadCpu.Milliseconds();
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls; i++)
                {
                    net.PredictBatch(inputs.AsSpan(0, rows * 784), outputs.AsSpan(0, rows * 10));
                }

                wall[rows].Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds / calls / rows);
                cpu[rows].Add((ThreadCpu.Milliseconds() - c0) * 1e3 / calls / rows);
            }
        }

        RowSplit.Enabled = enabledBefore;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"PredictBatch 784-256-128-10, one core, us per row: median (fastest) wall, median thread CPU; {rounds} rotating rounds; load average {load:0.00} before, {LoadAverage():0.00} after");
        // PredictBatch runs the layers over groups of 64 rows (BatchRows): the last group's rows % 6 is what runs after the tiles.
        text.AppendLine("  rows  last group  % 6  median (fastest), CPU");
        foreach (int rows in counts)
        {
            int group = rows - (64 * ((rows - 1) / 64));
            text.AppendLine(CultureInfo.InvariantCulture, $"  {rows,4}  {group,10}  {group % 6,3}  {Median(wall[rows]),6:F3} ({wall[rows].Min(),6:F3}), {Median(cpu[rows]),6:F3}");
        }

        return text.ToString();
    }

    private static double Median(List<double> values) => values.OrderBy(t => t).ElementAt(values.Count / 2);

    private static double LoadAverage()
    {
        try
        {
            return double.Parse(System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (System.IO.IOException)
        {
            return double.NaN;
        }
    }
}
