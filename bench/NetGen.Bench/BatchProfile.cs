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
/// Where <c>PredictBatch</c> of 784-256-128-10 on 64 rows spends its time (bench --batch-profile): the generated call
/// beside ONNX Runtime, beside each layer through <see cref="PackedDense"/>, and beside prototypes of layer 1 that
/// block its 784 inputs (the same operations in the same order, so the same bits: checked), in alternating rounds.
/// </summary>
public static class BatchProfile
{
    private sealed record Item(string Name, Action Call, double Flops, List<double> Times);

    private readonly struct Relu : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => Vector128.Max(z, Vector128<float>.Zero);

        public Vector256<float> Apply(Vector256<float> z) => Vector256.Max(z, Vector256<float>.Zero);

        public Vector512<float> Apply(Vector512<float> z) => Vector512.Max(z, Vector512<float>.Zero);
    }

    /// <summary>Runs the profile and returns the report (Markdown).</summary>
    public static string Run(int rounds)
    {
        RowSplit.Enabled = false;
        const int Rows = 64;
        BenchNetwork mnist = Models.Load(new BenchNetwork(), "mnist");
        float[] p = mnist.Parameters.ToArray();
        int l1 = (int)PackedDense.PackedLength<float>(784, 256), l2 = (int)PackedDense.PackedLength<float>(256, 128), l3 = (int)PackedDense.PackedLength<float>(128, 10);
        float[] packed = new float[l1 + l2 + l3];
        PackedDense.Pack<float>(p.AsSpan(0, 200704), p.AsSpan(200704, 256), 784, 256, packed.AsSpan(0, l1));
        PackedDense.Pack<float>(p.AsSpan(200960, 32768), p.AsSpan(233728, 128), 256, 128, packed.AsSpan(l1, l2));
        PackedDense.Pack<float>(p.AsSpan(233856, 1280), p.AsSpan(235136, 10), 128, 10, packed.AsSpan(l1 + l2, l3));

        var random = new SeededRandom(5);
        float[] x = new float[Rows * 784];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        float[] h1 = new float[Rows * 256], h1b = new float[Rows * 256], h2 = new float[Rows * 128], y = new float[Rows * 10], output = new float[Rows * 10];
        PackedDense.Forward(ref packed[0], 784, 256, ref x[0], ref h1[0], Rows, default(Relu));
        foreach (int k in new[] { 128, 196, 256, 392 })
        {
            Array.Clear(h1b);
            Blocked(packed, 784, 256, x, h1b, Rows, k);
            if (!h1.AsSpan().SequenceEqual(h1b))
            {
                throw new InvalidOperationException($"The blocked prototype (k {k}) does not give PackedDense's bits.");
            }
        }

        using var ort = new OnnxPeer(Models.Onnx("mnist"), Rows, 784, 10);
        x.CopyTo(ort.Input, 0);
        double all = 2.0 * Rows * ((784 * 256) + (256 * 128) + (128 * 10));
        double first = 2.0 * Rows * 784 * 256;
        var items = new List<Item>
        {
            new("`PredictBatch` 64 rows (generated)", () => mnist.PredictBatch(x, output), all, new()),
            new("ONNX Runtime, 64 rows", ort.Run, all, new()),
            new("layer 1, 784 -> 256 ReLU, `PackedDense.Forward`", () => PackedDense.Forward(ref packed[0], 784, 256, ref x[0], ref h1[0], Rows, default(Relu)), first, new()),
            new("layer 2, 256 -> 128 ReLU", () => PackedDense.Forward(ref packed[l1], 256, 128, ref h1[0], ref h2[0], Rows, default(Relu)), 2.0 * Rows * 256 * 128, new()),
            new("layer 3, 128 -> 10 (16 computed)", () => PackedDense.Forward(ref packed[l1 + l2], 128, 10, ref h2[0], ref y[0], Rows, default(IdentityActivation<float>)), 2.0 * Rows * 128 * 10, new()),
            new("softmax of 64 rows of 10 (the generated helper's operations)", () => Softmax(y, Rows, 10), 0, new()),
            new("the 3 layers and the softmax through `PackedDense.Forward`", () =>
            {
                PackedDense.Forward(ref packed[0], 784, 256, ref x[0], ref h1[0], Rows, default(Relu));
                PackedDense.Forward(ref packed[l1], 256, 128, ref h1[0], ref h2[0], Rows, default(Relu));
                PackedDense.Forward(ref packed[l1 + l2], 128, 10, ref h2[0], ref y[0], Rows, default(IdentityActivation<float>));
                Softmax(y, Rows, 10);
            }, all, new()),
        };
        foreach (int k in new[] { 128, 196, 256, 392 })
        {
            items.Add(new($"layer 1, prototype: inputs in blocks of {k}", () => Blocked(packed, 784, 256, x, h1b, Rows, k), first, new()));
        }

        // Layer 1's packed copy at each 16-byte step past a 64-byte boundary (a managed array's data is 16-byte aligned,
        // so a 64-byte panel row straddles two cache lines unless it happens to start on one).
        for (int shift = 0; shift < 4; shift++)
        {
            float[] copy = GC.AllocateArray<float>(l1 + 32, pinned: true);
            long address = System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(copy, 0).ToInt64();
            int at = (int)(((64 - (address % 64)) % 64) / 4) + (4 * shift);
            packed.AsSpan(0, l1).CopyTo(copy.AsSpan(at));
            items.Add(new($"layer 1, packed copy {16 * shift} bytes past a 64-byte boundary", () => PackedDense.Forward(ref copy[at], 784, 256, ref x[0], ref h1b[0], Rows, default(Relu)), first, new()));
        }

        double peak = MachineLimits.FmaPeak256();
        QuickTable.WarmUp(items.Select(i => i.Call));
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < items.Count; k++)
            {
                Item item = items[(round + k) % items.Count];
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < 20; c++)
                {
                    item.Call();
                }

                item.Times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / 20);
            }
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# PredictBatch of 784-256-128-10 on 64 rows, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({rounds} alternating rounds of 20 calls; FMA peak {peak:0.0} GFLOP/s)");
        report.AppendLine();
        report.AppendLine("| what | median round | fastest round | % of the peak (median, fastest) |");
        report.AppendLine("|---|---|---|---|");
        foreach (Item item in items)
        {
            List<double> sorted = item.Times.OrderBy(t => t).ToList();
            double median = sorted[sorted.Count / 2], fastest = sorted[0];
            string share = item.Flops == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"{100 * item.Flops / median / peak:0}%, {100 * item.Flops / fastest / peak:0}%");
            report.AppendLine(CultureInfo.InvariantCulture, $"| {item.Name} | {median / 1e3:0.0} µs | {fastest / 1e3:0.0} µs | {share} |");
        }

        double n = items[0].Times.OrderBy(t => t).ElementAt(rounds / 2), o = items[1].Times.OrderBy(t => t).ElementAt(rounds / 2);
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"NetGen / ONNX Runtime (ratio of median times, > 1: NetGen faster): {o / n:0.00}x; fastest rounds {items[1].Times.Min() / items[0].Times.Min():0.00}x.");
        return report.ToString();
    }

    /// <summary>The generated SoftmaxInPlace's operations over each of <paramref name="rows"/> rows.</summary>
    private static void Softmax(float[] y, int rows, int length)
    {
        for (int r = 0; r < rows; r++)
        {
            ref float row = ref y[r * length];
            float max = row;
            for (int i = 1; i < length; i++)
            {
                max = MathF.Max(max, Unsafe.Add(ref row, i));
            }

            float sum = 0f;
            for (int i = 0; i < length; i++)
            {
                float e = MathF.Exp(Unsafe.Add(ref row, i) - max);
                Unsafe.Add(ref row, i) = e;
                sum += e;
            }

            float scale = 1f / sum;
            for (int i = 0; i < length; i++)
            {
                Unsafe.Add(ref row, i) *= scale;
            }
        }
    }

    /// <summary>
    /// PackedDense's layer (Vector256, 6-row then 4-row tiles, panels outer) with the inputs in blocks of
    /// <paramref name="k"/>: each tile adds one block to sums it left in y, so a panel's block of weights stays in L1
    /// while every tile passes over it. The same operations in the same order as PackedDense (the sums go through memory
    /// unchanged), ReLU after the last block. Needs units a multiple of 16 and rows % 6 of 0 or 4.
    /// </summary>
    private static void Blocked(float[] packed, int inputs, int units, float[] x, float[] y, int rows, int k)
    {
        int block = (inputs + 1) * 16, panels = units / 16;
        int tiled = rows - (rows % 6);
        ref float q = ref packed[0];
        ref float xs = ref x[0];
        ref float ys = ref y[0];
        for (int p = 0; p < panels; p++)
        {
            ref float panel = ref Unsafe.Add(ref q, p * block);
            for (int k0 = 0; k0 < inputs; k0 += k)
            {
                int k1 = Math.Min(inputs, k0 + k);
                for (int r = 0; r < tiled; r += 6)
                {
                    Tile6(ref panel, k0, k1, ref Unsafe.Add(ref xs, r * inputs), inputs, ref Unsafe.Add(ref ys, (r * units) + (p * 16)), units);
                }

                if (tiled < rows)
                {
                    Tile4(ref panel, k0, k1, ref Unsafe.Add(ref xs, tiled * inputs), inputs, ref Unsafe.Add(ref ys, (tiled * units) + (p * 16)), units);
                }
            }

            for (int r = 0; r < rows; r++)
            {
                ref float row = ref Unsafe.Add(ref ys, (r * units) + (p * 16));
                Vector256.Max(Vector256.LoadUnsafe(ref row), Vector256<float>.Zero).StoreUnsafe(ref row);
                Vector256.Max(Vector256.LoadUnsafe(ref row, 8), Vector256<float>.Zero).StoreUnsafe(ref row, 8);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile6(ref float panel, int k0, int k1, ref float x0, int inputs, ref float y0, int units)
    {
        ref float start = ref k0 == 0 ? ref panel : ref y0;
        nuint stride = k0 == 0 ? 0 : (nuint)units;
        Vector256<float> a00 = Vector256.LoadUnsafe(ref start), a01 = Vector256.LoadUnsafe(ref start, 8);
        Vector256<float> a10 = Vector256.LoadUnsafe(ref start, stride), a11 = Vector256.LoadUnsafe(ref start, stride + 8);
        Vector256<float> a20 = Vector256.LoadUnsafe(ref start, 2 * stride), a21 = Vector256.LoadUnsafe(ref start, (2 * stride) + 8);
        Vector256<float> a30 = Vector256.LoadUnsafe(ref start, 3 * stride), a31 = Vector256.LoadUnsafe(ref start, (3 * stride) + 8);
        Vector256<float> a40 = Vector256.LoadUnsafe(ref start, 4 * stride), a41 = Vector256.LoadUnsafe(ref start, (4 * stride) + 8);
        Vector256<float> a50 = Vector256.LoadUnsafe(ref start, 5 * stride), a51 = Vector256.LoadUnsafe(ref start, (5 * stride) + 8);
        ref float w = ref Unsafe.Add(ref panel, 16 * (k0 + 1));
        ref float x1 = ref Unsafe.Add(ref x0, inputs);
        ref float x2 = ref Unsafe.Add(ref x1, inputs);
        ref float x3 = ref Unsafe.Add(ref x2, inputs);
        ref float x4 = ref Unsafe.Add(ref x3, inputs);
        ref float x5 = ref Unsafe.Add(ref x4, inputs);
        for (int i = k0; i < k1; i++)
        {
            nuint o = (nuint)(i - k0) * 16;
            Vector256<float> w0 = Vector256.LoadUnsafe(ref w, o), w1 = Vector256.LoadUnsafe(ref w, o + 8);
            Vector256<float> v = Vector256.Create(Unsafe.Add(ref x0, i));
            a00 = Fma.MultiplyAdd(v, w0, a00);
            a01 = Fma.MultiplyAdd(v, w1, a01);
            v = Vector256.Create(Unsafe.Add(ref x1, i));
            a10 = Fma.MultiplyAdd(v, w0, a10);
            a11 = Fma.MultiplyAdd(v, w1, a11);
            v = Vector256.Create(Unsafe.Add(ref x2, i));
            a20 = Fma.MultiplyAdd(v, w0, a20);
            a21 = Fma.MultiplyAdd(v, w1, a21);
            v = Vector256.Create(Unsafe.Add(ref x3, i));
            a30 = Fma.MultiplyAdd(v, w0, a30);
            a31 = Fma.MultiplyAdd(v, w1, a31);
            v = Vector256.Create(Unsafe.Add(ref x4, i));
            a40 = Fma.MultiplyAdd(v, w0, a40);
            a41 = Fma.MultiplyAdd(v, w1, a41);
            v = Vector256.Create(Unsafe.Add(ref x5, i));
            a50 = Fma.MultiplyAdd(v, w0, a50);
            a51 = Fma.MultiplyAdd(v, w1, a51);
        }

        nuint u = (nuint)units;
        a00.StoreUnsafe(ref y0);
        a01.StoreUnsafe(ref y0, 8);
        a10.StoreUnsafe(ref y0, u);
        a11.StoreUnsafe(ref y0, u + 8);
        a20.StoreUnsafe(ref y0, 2 * u);
        a21.StoreUnsafe(ref y0, (2 * u) + 8);
        a30.StoreUnsafe(ref y0, 3 * u);
        a31.StoreUnsafe(ref y0, (3 * u) + 8);
        a40.StoreUnsafe(ref y0, 4 * u);
        a41.StoreUnsafe(ref y0, (4 * u) + 8);
        a50.StoreUnsafe(ref y0, 5 * u);
        a51.StoreUnsafe(ref y0, (5 * u) + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4(ref float panel, int k0, int k1, ref float x0, int inputs, ref float y0, int units)
    {
        ref float start = ref k0 == 0 ? ref panel : ref y0;
        nuint stride = k0 == 0 ? 0 : (nuint)units;
        Vector256<float> a00 = Vector256.LoadUnsafe(ref start), a01 = Vector256.LoadUnsafe(ref start, 8);
        Vector256<float> a10 = Vector256.LoadUnsafe(ref start, stride), a11 = Vector256.LoadUnsafe(ref start, stride + 8);
        Vector256<float> a20 = Vector256.LoadUnsafe(ref start, 2 * stride), a21 = Vector256.LoadUnsafe(ref start, (2 * stride) + 8);
        Vector256<float> a30 = Vector256.LoadUnsafe(ref start, 3 * stride), a31 = Vector256.LoadUnsafe(ref start, (3 * stride) + 8);
        ref float w = ref Unsafe.Add(ref panel, 16 * (k0 + 1));
        ref float x1 = ref Unsafe.Add(ref x0, inputs);
        ref float x2 = ref Unsafe.Add(ref x1, inputs);
        ref float x3 = ref Unsafe.Add(ref x2, inputs);
        for (int i = k0; i < k1; i++)
        {
            nuint o = (nuint)(i - k0) * 16;
            Vector256<float> w0 = Vector256.LoadUnsafe(ref w, o), w1 = Vector256.LoadUnsafe(ref w, o + 8);
            Vector256<float> v = Vector256.Create(Unsafe.Add(ref x0, i));
            a00 = Fma.MultiplyAdd(v, w0, a00);
            a01 = Fma.MultiplyAdd(v, w1, a01);
            v = Vector256.Create(Unsafe.Add(ref x1, i));
            a10 = Fma.MultiplyAdd(v, w0, a10);
            a11 = Fma.MultiplyAdd(v, w1, a11);
            v = Vector256.Create(Unsafe.Add(ref x2, i));
            a20 = Fma.MultiplyAdd(v, w0, a20);
            a21 = Fma.MultiplyAdd(v, w1, a21);
            v = Vector256.Create(Unsafe.Add(ref x3, i));
            a30 = Fma.MultiplyAdd(v, w0, a30);
            a31 = Fma.MultiplyAdd(v, w1, a31);
        }

        nuint u = (nuint)units;
        a00.StoreUnsafe(ref y0);
        a01.StoreUnsafe(ref y0, 8);
        a10.StoreUnsafe(ref y0, u);
        a11.StoreUnsafe(ref y0, u + 8);
        a20.StoreUnsafe(ref y0, 2 * u);
        a21.StoreUnsafe(ref y0, (2 * u) + 8);
        a30.StoreUnsafe(ref y0, 3 * u);
        a31.StoreUnsafe(ref y0, (3 * u) + 8);
    }
}
