using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// One-row <c>Predict</c> of 784-256-128-10 after what --quick runs between its rounds (bench --predict-context): NetGen
/// and ONNX Runtime (one thread) each time a round of 400 calls, as --quick's cells do, right after a disturbance
/// (nothing, the other engine's round, --quick's neighbouring cells, a cache-evicting sweep), in rotating rounds: the
/// first call, calls 2-10, calls 11-400 (wall clock and thread CPU time) and the round's mean, so that the cost of
/// the switch is told from the steady state, for both engines alike (docs/performance.md, "Where one-row Predict
/// spends its time").
/// </summary>
public static class PredictContext
{
    private sealed record Disturbance(string Name, Action Run);

    private const int Calls = 400;

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
        float[] batch256 = new float[256 * 784];
        for (int i = 0; i < batch256.Length; i++)
        {
            batch256[i] = (float)random.NextDouble();
        }

        var out256 = new float[256 * 10];

        // --quick's last cells (so in most rounds the ones right before its one-row cell): 13-32-16-3 tanh and ReLU, one row.
        TabularNetwork tab = Models.Load(new TabularNetwork(), "tab13");
        var relu = new TabularReluNetwork();
        tab.Parameters.CopyTo(relu.Parameters);
        float[] tabOne = new float[13];
        for (int i = 0; i < tabOne.Length; i++)
        {
            tabOne[i] = (float)random.NextDouble();
        }

        var tabOutput = new float[3];
        string reluOnnx = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"netgen-bench-context-relu-{Environment.ProcessId}.onnx");
        Onnx.Export(relu, reluOnnx);
        using var ortRelu = new OnnxPeer(reluOnnx, 1, 13, 3, "input", "output");
        System.IO.File.Delete(reluOnnx);
        using var ortTab = new OnnxPeer(Models.Onnx("tab13"), 1, 13, 3);
        tabOne.CopyTo(ortRelu.Input, 0);
        tabOne.CopyTo(ortTab.Input, 0);
        var bf16 = new BenchNetworkBFloat16();
        var int8 = new BenchNetworkInt8();
        parameters.CopyTo(bf16.Parameters);
        parameters.CopyTo(int8.Parameters);
        byte[] sweep64 = new byte[64 << 20];
        var engines = new (string Name, Action Call)[] { ("NetGen", () => mnist.Predict(one, output)), ("ONNX Runtime", ort1.Run) };
        var disturbances = new List<Disturbance>
        {
            new("none (the same engine's 400 calls just before)", () => { }),
            new("the other engine's 400 calls", () => { }),
            new("TensorPrimitives Predict x400 (--quick's neighbour)", () => { for (int i = 0; i < 400; i++) { baselines.PredictTensorPrimitives(one, output); } }),
            new("scalar loops Predict x40", () => { for (int i = 0; i < 40; i++) { baselines.PredictScalar(one, output); } }),
            new("NetGen PredictBatch 64 rows x10", () => { for (int i = 0; i < 10; i++) { mnist.PredictBatch(batch, batchOutput); } }),
            new("ONNX Runtime 64 rows x10", () => { for (int i = 0; i < 10; i++) { ort64.Run(); } }),
            new("PredictBatch 256 rows on two cores x3", () => { RowSplit.Enabled = true; for (int i = 0; i < 3; i++) { mnist.PredictBatch(batch256, out256); } RowSplit.Enabled = false; }),
            new("writing 64 MB", () => Array.Fill(sweep64, (byte)1)),
            new("ONNX Runtime 13-32-16-3 ReLU x5000 (--quick's last cell)", () => { for (int i = 0; i < 5000; i++) { ortRelu.Run(); } }),
            new("ONNX Runtime 13-32-16-3 tanh x5000", () => { for (int i = 0; i < 5000; i++) { ortTab.Run(); } }),
            new("NetGen 13-32-16-3 ReLU x20000", () => { for (int i = 0; i < 20_000; i++) { relu.Predict(tabOne, tabOutput); } }),
            new("NetGen bfloat16 and int8 Predict x400 each", () => { for (int i = 0; i < 400; i++) { bf16.Predict(one, output); int8.Predict(one, output); } }),
        };

        QuickTable.WarmUp(engines.Select(e => e.Call).Concat(disturbances.Select(d => d.Run)));

        // [engine, disturbance]: first call, mean of calls 2-10, mean of 11-400 (wall), the same (thread CPU), the round's mean
        var first = new List<double>[engines.Length, disturbances.Count];
        var early = new List<double>[engines.Length, disturbances.Count];
        var steady = new List<double>[engines.Length, disturbances.Count];
        var steadyCpu = new List<double>[engines.Length, disturbances.Count];
        var mean = new List<double>[engines.Length, disturbances.Count];
        foreach (int e in Enumerable.Range(0, engines.Length))
        {
            foreach (int d in Enumerable.Range(0, disturbances.Count))
            {
                (first[e, d], early[e, d], steady[e, d], steadyCpu[e, d], mean[e, d]) = (new(), new(), new(), new(), new());
            }
        }

        double load = LoadAverage();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < disturbances.Count; k++)
            {
                int d = (round + k) % disturbances.Count;
                for (int e = 0; e < engines.Length; e++)
                {
                    Action before = d switch
                    {
                        0 => engines[e].Call,
                        1 => engines[1 - e].Call,
                        _ => disturbances[d].Run,
                    };
                    for (int c = 0; c < (d <= 1 ? Calls : 1); c++)
                    {
                        before();
                    }

                    Action call = engines[e].Call;
                    long t0 = Stopwatch.GetTimestamp();
                    call();
                    long t1 = Stopwatch.GetTimestamp();
                    for (int c = 1; c < 10; c++)
                    {
                        call();
                    }

                    long t2 = Stopwatch.GetTimestamp();
                    double cpu = ThreadCpu.Milliseconds();
                    for (int c = 10; c < Calls; c++)
                    {
                        call();
                    }

                    long t3 = Stopwatch.GetTimestamp();
                    steadyCpu[e, d].Add((ThreadCpu.Milliseconds() - cpu) * 1e6 / (Calls - 10));
                    first[e, d].Add(Stopwatch.GetElapsedTime(t0, t1).TotalNanoseconds);
                    early[e, d].Add(Stopwatch.GetElapsedTime(t1, t2).TotalNanoseconds / 9);
                    steady[e, d].Add(Stopwatch.GetElapsedTime(t2, t3).TotalNanoseconds / (Calls - 10));
                    mean[e, d].Add(Stopwatch.GetElapsedTime(t0, t3).TotalNanoseconds / Calls);
                }
            }
        }

        static double Median(List<double> values) => values.OrderBy(v => v).ElementAt(values.Count / 2);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# One-row Predict after a disturbance, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({rounds} rotating rounds of {Calls} calls; µs, medians over the rounds; load average {load:0.00} before, {LoadAverage():0.00} after)");
        report.AppendLine();
        report.AppendLine("| before | " + string.Join(" | ", engines.Select(e => e.Name + ": 1st, 2nd-10th, 11th-400th (thread CPU), round mean (fastest)")) + " | ORT / NetGen, round means |");
        report.AppendLine("|---|" + string.Concat(engines.Select(_ => "---|")) + "---|");
        for (int d = 0; d < disturbances.Count; d++)
        {
            var line = new StringBuilder($"| {disturbances[d].Name} |");
            for (int e = 0; e < engines.Length; e++)
            {
                line.Append(CultureInfo.InvariantCulture,
                    $" {Median(first[e, d]) / 1e3:0.0}, {Median(early[e, d]) / 1e3:0.0}, {Median(steady[e, d]) / 1e3:0.00} ({Median(steadyCpu[e, d]) / 1e3:0.00}), **{Median(mean[e, d]) / 1e3:0.00}** ({mean[e, d].Min() / 1e3:0.00}) |");
            }

            line.Append(CultureInfo.InvariantCulture, $" {Median(mean[1, d]) / Median(mean[0, d]):0.00}x |");
            report.AppendLine(line.ToString());
        }

        return report.ToString();
    }

    /// <summary>
    /// <c>--predict-context copies [rounds] [copies]</c>: the same weights in several network instances (each its own
    /// packed copy, allocated between other arrays of the process's size), each timed in rotating rounds of 400 calls:
    /// whether where a copy lands in memory moves the one-row time.
    /// </summary>
    public static string Copies(int rounds, int count)
    {
        RowSplit.Enabled = false;
        BenchNetwork first = Models.Load(new BenchNetwork(), "mnist");
        float[] parameters = first.Parameters.ToArray();
        var random = new SeededRandom(5);
        float[] one = new float[784];
        for (int i = 0; i < one.Length; i++)
        {
            one[i] = (float)random.NextDouble();
        }

        var output = new float[10];
        var nets = new List<BenchNetwork> { first };
        var spacers = new List<float[]>();
        for (int c = 1; c < count; c++)
        {
            spacers.Add(new float[(c * 37_000) + 1_000]); // different gaps, so the copies land at different offsets
            var net = new BenchNetwork();
            parameters.CopyTo(net.Parameters);
            net.Predict(one, output); // its packed copy, allocated now
            nets.Add(net);
        }

        QuickTable.WarmUp(nets.Select(n => (Action)(() => n.Predict(one, output))));
        var times = nets.Select(_ => new List<double>()).ToArray();
        double load = LoadAverage();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < nets.Count; k++)
            {
                int n = (round + k) % nets.Count;
                BenchNetwork net = nets[n];
                long t0 = Stopwatch.GetTimestamp();
                for (int c = 0; c < Calls; c++)
                {
                    net.Predict(one, output);
                }

                times[n].Add(Stopwatch.GetElapsedTime(t0).TotalNanoseconds / Calls);
            }
        }

        GC.KeepAlive(spacers);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"One-row Predict on {nets.Count} instances with the same weights, {rounds} rotating rounds of {Calls} calls, µs: median (fastest); load average {load:0.00} before, {LoadAverage():0.00} after");
        for (int n = 0; n < nets.Count; n++)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  instance {n}: {times[n].OrderBy(t => t).ElementAt(times[n].Count / 2) / 1e3:0.00} ({times[n].Min() / 1e3:0.00})");
        }

        return report.ToString();
    }

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
