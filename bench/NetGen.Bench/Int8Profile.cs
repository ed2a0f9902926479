using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// bench --int8-profile: where an int8 <c>PredictBatch</c> of 64 rows (and an int8 one-row <c>Predict</c>) of
/// 784-256-128-10 spends its time, beside float <c>PredictBatch</c> and ONNX Runtime in float on the same rows: the
/// generated calls and the three layers through <see cref="PackedDense.ForwardInt8"/> one by one (and the output layer
/// on its float panels), in rounds that start one item later each time; then bfloat16 one-row <c>Predict</c> and its
/// first layer with the panel order alternating and always forward (PackedDense's switch). Times per row.
/// </summary>
public static class Int8Profile
{
    private readonly struct Relu : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => Vector128.Max(z, Vector128<float>.Zero);

        public Vector256<float> Apply(Vector256<float> z) => Vector256.Max(z, Vector256<float>.Zero);

        public Vector512<float> Apply(Vector512<float> z) => Vector512.Max(z, Vector512<float>.Zero);
    }

    private sealed record Item(string Name, Action Call, int Rows, List<double> Times, bool Alternate = true);

    /// <summary>PackedDense's switch for alternating the panel order of one-row calls over large layers (on by default).</summary>
    private static readonly System.Reflection.FieldInfo Alternate =
        typeof(PackedDense).GetField("s_alternate", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
        ?? throw new InvalidOperationException("PackedDense.s_alternate not found.");

    public static string Run(int rounds)
    {
        RowSplit.Enabled = false;
        BenchNetwork mnist = Models.Load(new BenchNetwork(), "mnist");
        float[] p = mnist.Parameters.ToArray();
        var int8 = new BenchNetworkInt8();
        p.CopyTo(int8.Parameters);
        var bf16 = new BenchNetworkBFloat16();
        p.CopyTo(bf16.Parameters);
        int b1 = (int)PackedDense.PackedLengthBFloat16(784, 256);
        float[] bfLayer1 = new float[b1];
        PackedDense.PackBFloat16(p.AsSpan(0, 200704), p.AsSpan(200704, 256), 784, 256, bfLayer1);
        float[] bfOne = new float[256];
        float[] float3 = new float[(int)PackedDense.PackedLength<float>(128, 10)];
        PackedDense.Pack<float>(p.AsSpan(233856, 1280), p.AsSpan(235136, 10), 128, 10, float3);
        var random = new SeededRandom(5);
        float[] batch = new float[64 * 784];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = (float)random.NextDouble();
        }

        using var ort64 = new OnnxPeer(Models.Onnx("mnist"), 64, 784, 10);
        using var ort1 = new OnnxPeer(Models.Onnx("mnist"), 1, 784, 10);
        batch.CopyTo(ort64.Input, 0);
        batch.AsSpan(0, 784).CopyTo(ort1.Input);
        float[] output = new float[64 * 10], one = new float[10];

        // The generated int8 layout: the three layers' int8 copies one after the other.
        int i1 = (int)PackedDense.PackedLengthInt8(784, 256), i2 = (int)PackedDense.PackedLengthInt8(256, 128), i3 = (int)PackedDense.PackedLengthInt8(128, 10);
        float[] packed = new float[i1 + i2 + i3];
        PackedDense.PackInt8(p.AsSpan(0, 200704), p.AsSpan(200704, 256), 784, 256, packed.AsSpan(0, i1));
        PackedDense.PackInt8(p.AsSpan(200960, 32768), p.AsSpan(233728, 128), 256, 128, packed.AsSpan(i1, i2));
        PackedDense.PackInt8(p.AsSpan(233856, 1280), p.AsSpan(235136, 10), 128, 10, packed.AsSpan(i1 + i2, i3));
        float[] single = new float[(int)PackedDense.PackedLengthInt8(784, 16)];
        PackedDense.PackInt8(p.AsSpan(0, 16 * 784), p.AsSpan(200704, 16), 784, 16, single);
        float[] h1 = new float[64 * 256], h2 = new float[64 * 128], y = new float[64 * 10], s1 = new float[64 * 16];

        var items = new List<Item>
        {
            new("int8 `PredictBatch`, 64 rows (generated)", () => int8.PredictBatch(batch, output), 64, new()),
            new("float `PredictBatch`, 64 rows", () => mnist.PredictBatch(batch, output), 64, new()),
            new("ONNX Runtime, float, 64 rows", ort64.Run, 64, new()),
            new("int8 layer 1, 784 -> 256, 64 rows", () => PackedDense.ForwardInt8(ref packed[0], 784, 256, ref batch[0], ref h1[0], 64, default(Relu)), 64, new()),
            new("int8 layer 2, 256 -> 128, 64 rows", () => PackedDense.ForwardInt8(ref packed[i1], 256, 128, ref h1[0], ref h2[0], 64, default(Relu)), 64, new()),
            new("int8 layer 3, 128 -> 10, 64 rows", () => PackedDense.ForwardInt8(ref packed[i1 + i2], 128, 10, ref h2[0], ref y[0], 64, default(IdentityActivation<float>)), 64, new()),
            new("float layer 3, 128 -> 10, 64 rows (the float panels)", () => PackedDense.Forward(ref float3[0], 128, 10, ref h2[0], ref y[0], 64, default(IdentityActivation<float>)), 64, new()),
            new("int8 784 -> 16 (one panel: the 64 rows' quantisation and 1/16 of layer 1)", () => PackedDense.ForwardInt8(ref single[0], 784, 16, ref batch[0], ref s1[0], 64, default(Relu)), 64, new()),
            new("int8 `Predict`, 1 row (generated)", () => int8.Predict(batch.AsSpan(0, 784), one), 1, new()),
            new("ONNX Runtime, float, 1 row", ort1.Run, 1, new()),
            new("bfloat16 `Predict`, 1 row (generated)", () => bf16.Predict(batch.AsSpan(0, 784), one), 1, new()),
            new("bfloat16 `Predict`, 1 row, panels always in forward order (PackedDense's alternation off)", () => bf16.Predict(batch.AsSpan(0, 784), one), 1, new(), Alternate: false),
            new("bfloat16 layer 1, 1 row", () => PackedDense.ForwardBFloat16(ref bfLayer1[0], 784, 256, ref batch[0], ref bfOne[0], 1, default(Relu)), 1, new()),
            new("bfloat16 layer 1, 1 row, panels always in forward order", () => PackedDense.ForwardBFloat16(ref bfLayer1[0], 784, 256, ref batch[0], ref bfOne[0], 1, default(Relu)), 1, new(), Alternate: false),
        };

        QuickTable.WarmUp(items.Select(i => i.Call));
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < items.Count; k++)
            {
                Item item = items[(round + k) % items.Count];
                int calls = item.Rows == 1 ? 400 : 20;
                Alternate.SetValue(null, item.Alternate);
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++)
                {
                    item.Call();
                }

                item.Times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls / item.Rows);
            }
        }

        Alternate.SetValue(null, true);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# int8 inference of 784-256-128-10, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({rounds} rotating rounds; per row)");
        report.AppendLine();
        report.AppendLine("| what | median round | fastest round |");
        report.AppendLine("|---|---|---|");
        foreach (Item item in items)
        {
            List<double> sorted = item.Times.OrderBy(t => t).ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {item.Name} | {sorted[sorted.Count / 2] / 1e3:0.000} µs | {sorted[0] / 1e3:0.000} µs |");
        }

        double Median(int k) => items[k].Times.OrderBy(t => t).ElementAt(items[k].Times.Count / 2);
        double Fastest(int k) => items[k].Times.Min();
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"- int8 `PredictBatch` 64 rows against ONNX Runtime in float: {Median(2) / Median(0):0.00}x (median rounds), {Fastest(2) / Fastest(0):0.00}x (fastest rounds); against float `PredictBatch`: {Median(1) / Median(0):0.00}x, {Fastest(1) / Fastest(0):0.00}x.");
        report.AppendLine(CultureInfo.InvariantCulture, $"- int8 `Predict` 1 row against ONNX Runtime in float: {Median(9) / Median(8):0.00}x (median rounds), {Fastest(9) / Fastest(8):0.00}x (fastest rounds).");
        report.AppendLine(CultureInfo.InvariantCulture, $"- bfloat16 `Predict` 1 row against ONNX Runtime in float: {Median(9) / Median(10):0.00}x (median rounds), {Fastest(9) / Fastest(10):0.00}x (fastest rounds); always forward: {Median(9) / Median(11):0.00}x, {Fastest(9) / Fastest(11):0.00}x.");
        // Items 10 and 11 run one after the other in all but one round in 14 (the rotation keeps their order), so their ratio per round
        // compares them under the same load.
        double ratio = Enumerable.Range(0, rounds).Select(r => items[10].Times[r] / items[11].Times[r]).OrderBy(t => t).ElementAt(rounds / 2);
        report.AppendLine(CultureInfo.InvariantCulture, $"- bfloat16 `Predict`, alternating against always forward, median of the per-round ratios: {ratio:0.000}.");
        return report.ToString();
    }
}
