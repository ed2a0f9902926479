using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// Where one-row <c>Predict</c> of 13-32-16-3 spends its time (bench --small-profile): the generated call beside
/// ONNX Runtime, beside its layers through <see cref="PackedDense"/>, and beside a hand-written floor that runs the
/// same operations in the same order (so the same bits, checked) with nothing else: the latency of the dependent
/// multiply-adds, the activations and the softmax.
/// </summary>
public static class SmallProfile
{
    private sealed record Item(string Name, Action Call, List<double> Times);

    private readonly struct Tanh : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => VectorMath.Tanh(z);

        public Vector256<float> Apply(Vector256<float> z) => VectorMath.Tanh(z);

        public Vector512<float> Apply(Vector512<float> z) => VectorMath.Tanh(z);
    }

    /// <summary>Calls the tanh network's <c>Predict</c> for <paramref name="seconds"/> (for perf record).</summary>
    public static string Loop(double seconds)
    {
        TabularNetwork tab = Models.Load(new TabularNetwork(), "tab13");
        float[] x = new float[13], output = new float[3];
        x.AsSpan().Fill(0.5f);
        long calls = 0, start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            for (int c = 0; c < 10_000; c++)
            {
                tab.Predict(x, output);
            }

            calls += 10_000;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{calls:N0} calls, {Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls:0.0} ns each");
    }

    /// <summary>Runs the profile and returns the report (Markdown).</summary>
    public static string Run(int rounds)
    {
        RowSplit.Enabled = false;
        TabularNetwork tab = Models.Load(new TabularNetwork(), "tab13");
        TabularReluNetwork relu = new();
        tab.Parameters.CopyTo(relu.Parameters);
        float[] p = tab.Parameters.ToArray();
        int t1 = (int)PackedDense.PackedLength<float>(13, 32), t2 = (int)PackedDense.PackedLength<float>(32, 16), t3 = (int)PackedDense.PackedLength<float>(16, 3);
        float[] packed = new float[t1 + t2 + t3];
        PackedDense.Pack<float>(p.AsSpan(0, 416), p.AsSpan(416, 32), 13, 32, packed.AsSpan(0, t1));
        PackedDense.Pack<float>(p.AsSpan(448, 512), p.AsSpan(960, 16), 32, 16, packed.AsSpan(t1, t2));
        PackedDense.Pack<float>(p.AsSpan(976, 48), p.AsSpan(1024, 3), 16, 3, packed.AsSpan(t1 + t2, t3));

        var random = new SeededRandom(7);
        float[] x = new float[13];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.NextDouble() * 4) - 2);
        }

        float[] h1 = new float[32], h2 = new float[16], y = new float[3], output = new float[3], floor = new float[3];
        tab.Predict(x, output);
        Floor(packed, t1, t2, x, h1, h2, floor, tanh: true);
        for (int j = 0; j < 3; j++)
        {
            if (BitConverter.SingleToInt32Bits(floor[j]) != BitConverter.SingleToInt32Bits(output[j]))
            {
                throw new InvalidOperationException($"The hand-written floor gives {floor[j]:R}, Predict {output[j]:R}.");
            }
        }

        using var ort = new OnnxPeer(Models.Onnx("tab13"), 1, 13, 3);
        x.CopyTo(ort.Input, 0);
        var items = new List<Item>
        {
            new("13-32-16-3 tanh `Predict` (generated)", () => tab.Predict(x, output), new()),
            new("13-32-16-3 tanh, ONNX Runtime", ort.Run, new()),
            new("13-32-16-3 ReLU `Predict` (generated)", () => relu.Predict(x, output), new()),
            new("tanh: the 3 layers through `PackedDense.Forward`, then the softmax", () => { Layers(packed, t1, t2, x, h1, h2, y); Softmax(y); }, new()),
            new("tanh: the hand-written floor (same operations, registers only between steps)", () => Floor(packed, t1, t2, x, h1, h2, floor, tanh: true), new()),
            new("ReLU: the hand-written floor", () => Floor(packed, t1, t2, x, h1, h2, floor, tanh: false), new()),
            new("layer 1, 13 -> 32 tanh", () => PackedDense.Forward(ref packed[0], 13, 32, ref x[0], ref h1[0], 1, default(Tanh)), new()),
            new("layer 2, 32 -> 16 tanh", () => PackedDense.Forward(ref packed[t1], 32, 16, ref h1[0], ref h2[0], 1, default(Tanh)), new()),
            new("layer 3, 16 -> 3", () => PackedDense.Forward(ref packed[t1 + t2], 16, 3, ref h2[0], ref y[0], 1, default(IdentityActivation<float>)), new()),
            new("softmax of 3 values", () => Softmax(y), new()),
        };

        QuickTable.WarmUp(items.Select(i => i.Call));
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < items.Count; k++)
            {
                Item item = items[(round + k) % items.Count];
                int calls = item.Name.Contains("ONNX", StringComparison.Ordinal) ? 2_000 : 20_000;
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++)
                {
                    item.Call();
                }

                item.Times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
            }
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# One-row Predict of 13-32-16-3, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({rounds} alternating rounds of 20,000 calls, 2,000 for ONNX Runtime)");
        report.AppendLine();
        report.AppendLine("| what | median round | fastest round |");
        report.AppendLine("|---|---|---|");
        foreach (Item item in items)
        {
            List<double> sorted = item.Times.OrderBy(t => t).ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {item.Name} | {sorted[sorted.Count / 2]:0.0} ns | {sorted[0]:0.0} ns |");
        }

        double ortMedian = Median(items[1]), tanhMedian = Median(items[0]), reluMedian = Median(items[2]);
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"ONNX Runtime / NetGen, medians: tanh {ortMedian / tanhMedian:0.0}x, ReLU {ortMedian / reluMedian:0.0}x.");
        return report.ToString();
    }

    private static double Median(Item item) => item.Times.OrderBy(t => t).ElementAt(item.Times.Count / 2);

    private static void Layers(float[] packed, int t1, int t2, float[] x, float[] h1, float[] h2, float[] y)
    {
        PackedDense.Forward(ref packed[0], 13, 32, ref x[0], ref h1[0], 1, default(Tanh));
        PackedDense.Forward(ref packed[t1], 32, 16, ref h1[0], ref h2[0], 1, default(Tanh));
        PackedDense.Forward(ref packed[t1 + t2], 16, 3, ref h2[0], ref y[0], 1, default(IdentityActivation<float>));
    }

    /// <summary>The generated softmax's operations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Softmax(float[] y)
    {
        float max = y[0];
        for (int i = 1; i < y.Length; i++)
        {
            max = MathF.Max(max, y[i]);
        }

        float sum = 0f;
        for (int i = 0; i < y.Length; i++)
        {
            float e = MathF.Exp(y[i] - max);
            y[i] = e;
            sum += e;
        }

        float scale = 1f / sum;
        for (int i = 0; i < y.Length; i++)
        {
            y[i] *= scale;
        }
    }

    private readonly struct Relu : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => Vector128.Max(z, Vector128<float>.Zero);

        public Vector256<float> Apply(Vector256<float> z) => Vector256.Max(z, Vector256<float>.Zero);

        public Vector512<float> Apply(Vector512<float> z) => Vector512.Max(z, Vector512<float>.Zero);
    }

    private static void Floor(float[] packed, int t1, int t2, float[] x, float[] h1, float[] h2, float[] y, bool tanh)
    {
        if (tanh)
        {
            Floor(packed, t1, t2, x, h1, h2, y, default(Tanh));
        }
        else
        {
            Floor(packed, t1, t2, x, h1, h2, y, default(Relu));
        }
    }

    /// <summary>
    /// PackedDense's operations for 13-32-16-3 (Vector256, FMA), written out: each layer is short
    /// (PackedDense.IsShort), so each sum is two chains, the bias and the even inputs, the odd inputs from zero, then
    /// the two added.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Floor<TAct>(float[] packed, int t1, int t2, float[] x, float[] h1, float[] h2, float[] y, TAct act)
        where TAct : struct, IVectorActivation<float>
    {
        ref float q = ref packed[0];
        Vector256<float> a0 = Vector256.LoadUnsafe(ref q), a1 = Vector256.LoadUnsafe(ref q, 8);
        Vector256<float> a2 = Vector256.LoadUnsafe(ref q, 14 * 16), a3 = Vector256.LoadUnsafe(ref q, (14 * 16) + 8);
        Vector256<float> e0 = Vector256<float>.Zero, e1 = Vector256<float>.Zero, e2 = Vector256<float>.Zero, e3 = Vector256<float>.Zero;
        for (int i = 0; i < 13; i++)
        {
            Vector256<float> v = Vector256.Create(x[i]);
            nuint o = (nuint)(16 + (16 * i));
            if (i % 2 == 0)
            {
                a0 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref q, o), a0);
                a1 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref q, o + 8), a1);
                a2 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref q, (14 * 16) + o), a2);
                a3 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref q, (14 * 16) + o + 8), a3);
            }
            else
            {
                e0 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref q, o), e0);
                e1 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref q, o + 8), e1);
                e2 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref q, (14 * 16) + o), e2);
                e3 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref q, (14 * 16) + o + 8), e3);
            }
        }

        ref float h = ref h1[0];
        (a0 + e0).StoreUnsafe(ref h);
        (a1 + e1).StoreUnsafe(ref h, 8);
        (a2 + e2).StoreUnsafe(ref h, 16);
        (a3 + e3).StoreUnsafe(ref h, 24);
        for (nuint j = 0; j < 32; j += 8)
        {
            act.Apply(Vector256.LoadUnsafe(ref h, j)).StoreUnsafe(ref h, j);
        }

        ref float q2 = ref packed[t1];
        Vector256<float> b0 = Vector256.LoadUnsafe(ref q2), b1 = Vector256.LoadUnsafe(ref q2, 8);
        Vector256<float> d0 = Vector256<float>.Zero, d1 = Vector256<float>.Zero;
        for (int i = 0; i < 32; i += 2)
        {
            Vector256<float> v = Vector256.Create(Unsafe.Add(ref h, i)), u = Vector256.Create(Unsafe.Add(ref h, i + 1));
            nuint o = (nuint)(16 + (16 * i));
            b0 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref q2, o), b0);
            b1 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref q2, o + 8), b1);
            d0 = Fma.MultiplyAdd(u, Vector256.LoadUnsafe(ref q2, o + 16), d0);
            d1 = Fma.MultiplyAdd(u, Vector256.LoadUnsafe(ref q2, o + 24), d1);
        }

        ref float g = ref h2[0];
        (b0 + d0).StoreUnsafe(ref g);
        (b1 + d1).StoreUnsafe(ref g, 8);
        for (nuint j = 0; j < 16; j += 8)
        {
            act.Apply(Vector256.LoadUnsafe(ref g, j)).StoreUnsafe(ref g, j);
        }

        ref float q3 = ref packed[t1 + t2];
        Vector256<float> c0 = Vector256.LoadUnsafe(ref q3), c1 = Vector256<float>.Zero;
        for (int i = 0; i < 16; i += 2)
        {
            c0 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref g, i)), Vector256.LoadUnsafe(ref q3, (nuint)(16 + (16 * i))), c0);
            c1 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref g, i + 1)), Vector256.LoadUnsafe(ref q3, (nuint)(32 + (16 * i))), c1);
        }

        c0 += c1;
        y[0] = c0.GetElement(0);
        y[1] = c0.GetElement(1);
        y[2] = c0.GetElement(2);
        Softmax(y);
    }
}
