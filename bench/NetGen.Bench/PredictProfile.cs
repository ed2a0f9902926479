using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// Where one-row <c>Predict</c> of 784-256-128-10 spends its time (bench --predict-profile): the generated
/// <c>Predict</c> beside its layers run one by one through <see cref="PackedDense"/> on a packed copy laid out as the
/// generated one, and beside one streaming pass over the same bytes (the float copy, and the bfloat16 and int8 copies
/// with their own <c>Predict</c>), in alternating rounds.
/// </summary>
public static class PredictProfile
{
    private readonly struct Relu : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => Vector128.Max(z, Vector128<float>.Zero);

        public Vector256<float> Apply(Vector256<float> z) => Vector256.Max(z, Vector256<float>.Zero);

        public Vector512<float> Apply(Vector512<float> z) => Vector512.Max(z, Vector512<float>.Zero);
    }

    private readonly struct Tanh : IVectorActivation<float>
    {
        public Vector128<float> Apply(Vector128<float> z) => VectorMath.Tanh(z);

        public Vector256<float> Apply(Vector256<float> z) => VectorMath.Tanh(z);

        public Vector512<float> Apply(Vector512<float> z) => VectorMath.Tanh(z);
    }

    private sealed record Item(string Name, Action Call, List<double> Times, bool Alternate = true);

    private static float s_sink;

    /// <summary>PackedDense's switch for alternating the panel order of one-row calls over large layers (on by default).</summary>
    private static readonly System.Reflection.FieldInfo Alternate =
        typeof(PackedDense).GetField("s_alternate", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
        ?? throw new InvalidOperationException("PackedDense.s_alternate not found.");

    /// <summary>Runs the profile and returns the report (Markdown).</summary>
    public static string Run()
    {
        NetGen.Numerics.RowSplit.Enabled = false;
        BenchNetwork mnist = Models.Load(new BenchNetwork(), "mnist");
        float[] p = mnist.Parameters.ToArray();
        var bf16 = new BenchNetworkBFloat16();
        var int8 = new BenchNetworkInt8();
        p.CopyTo(bf16.Parameters);
        p.CopyTo(int8.Parameters);

        // The generated layout: the three layers' packed panels one after the other in one array.
        int l1 = (int)PackedDense.PackedLength<float>(784, 256), l2 = (int)PackedDense.PackedLength<float>(256, 128), l3 = (int)PackedDense.PackedLength<float>(128, 10);
        float[] packed = new float[l1 + l2 + l3];
        PackedDense.Pack<float>(p.AsSpan(0, 200704), p.AsSpan(200704, 256), 784, 256, packed.AsSpan(0, l1));
        PackedDense.Pack<float>(p.AsSpan(200960, 32768), p.AsSpan(233728, 128), 256, 128, packed.AsSpan(l1, l2));
        PackedDense.Pack<float>(p.AsSpan(233856, 1280), p.AsSpan(235136, 10), 128, 10, packed.AsSpan(l1 + l2, l3));
        int b1 = (int)PackedDense.PackedLengthBFloat16(784, 256), b2 = (int)PackedDense.PackedLengthBFloat16(256, 128), b3 = (int)PackedDense.PackedLengthBFloat16(128, 10);
        int i1 = (int)PackedDense.PackedLengthInt8(784, 256), i2 = (int)PackedDense.PackedLengthInt8(256, 128), i3 = (int)PackedDense.PackedLengthInt8(128, 10);
        float[] bfBytes = new float[b1 + b2 + b3], i8Bytes = new float[i1 + i2 + i3];

        var random = new SeededRandom(5);
        float[] x = new float[784];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        float[] h1 = new float[256], h2 = new float[128], y = new float[10], output = new float[10];
        mnist.Predict(x, output);
        Layers(packed, l1, l2, x, h1, h2, y);
        for (int j = 0; j < 10; j++)
        {
            // The profile's layers are the generated ones without the softmax: check them against Predict's outputs.
            y[j] = MathF.Exp(y[j]);
        }

        float total = y.Sum();
        for (int j = 0; j < 10; j++)
        {
            if (MathF.Abs((y[j] / total) - output[j]) > 1e-5f * (1 + output[j]))
            {
                throw new InvalidOperationException("The profile's layers do not reproduce Predict.");
            }
        }

        // The same copy at each 16-byte step past a 64-byte boundary: a managed array's data is only 16-byte aligned,
        // so a 64-byte panel row straddles two cache lines unless it happens to start on one.
        float[][] copies = new float[4][];
        for (int shift = 0; shift < 4; shift++)
        {
            copies[shift] = GC.AllocateArray<float>(packed.Length + 32, pinned: true);
            long a = Marshal.UnsafeAddrOfPinnedArrayElement(copies[shift], 0).ToInt64();
            packed.CopyTo(copies[shift], (int)(((64 - (a % 64)) % 64) / 4) + (4 * shift));
        }

        int At(int shift) => (int)(((64 - (Marshal.UnsafeAddrOfPinnedArrayElement(copies[shift], 0).ToInt64() % 64)) % 64) / 4) + (4 * shift);

        var items = new List<Item>
        {
            new("`Predict` (generated: guard, packed-copy check, 3 layers, softmax)", () => mnist.Predict(x, output), new()),
            new("the 3 layers through `PackedDense.Forward` (no softmax)", () => Layers(packed, l1, l2, x, h1, h2, y), new()),
            new("the 3 layers and a softmax of the 10 outputs (MathF.Exp)", () => { Layers(packed, l1, l2, x, h1, h2, y); Softmax(y); }, new()),
            new("the guard, the packed-copy check and a softmax without the layers", () => { NetworkGuard.Predict<float>(x, output, 784, 10); Softmax(output); }, new()),
            new("the 3 layers, copy at a 64-byte boundary", () => Layers(copies[0], l1, l2, x, h1, h2, y, At(0)), new()),
            new("the 3 layers, copy 16 bytes past a 64-byte boundary", () => Layers(copies[1], l1, l2, x, h1, h2, y, At(1)), new()),
            new("the 3 layers, copy 32 bytes past a 64-byte boundary", () => Layers(copies[2], l1, l2, x, h1, h2, y, At(2)), new()),
            new("the 3 layers, copy 48 bytes past a 64-byte boundary", () => Layers(copies[3], l1, l2, x, h1, h2, y, At(3)), new()),
            new("`Predict`, panels always in forward order (PackedDense's alternation off)", () => mnist.Predict(x, output), new(), Alternate: false),
            new("layer 1, panels always in forward order", () => PackedDense.Forward(ref packed[0], 784, 256, ref x[0], ref h1[0], 1, default(Relu)), new(), Alternate: false),
            new($"layer 1, 784 -> 256 ({l1 * 4:N0} bytes)", () => PackedDense.Forward(ref packed[0], 784, 256, ref x[0], ref h1[0], 1, default(Relu)), new()),
            new($"layer 2, 256 -> 128 ({l2 * 4:N0} bytes)", () => PackedDense.Forward(ref packed[l1], 256, 128, ref h1[0], ref h2[0], 1, default(Relu)), new()),
            new($"layer 3, 128 -> 10 ({l3 * 4:N0} bytes)", () => PackedDense.Forward(ref packed[l1 + l2], 128, 10, ref h2[0], ref y[0], 1, default(IdentityActivation<float>)), new()),
            new($"streaming the float packed copy once ({packed.Length * 4:N0} bytes)", () => s_sink += MachineLimits.Sum(packed), new()),
            new($"streaming layer 1's packed bytes once ({l1 * 4:N0} bytes)", () => s_sink += MachineLimits.Sum(packed.AsSpan(0, l1)), new()),
            new("`Predict`, bfloat16 weights", () => bf16.Predict(x, output), new()),
            new($"streaming the bfloat16 copy's bytes once ({bfBytes.Length * 4:N0} bytes)", () => s_sink += MachineLimits.Sum(bfBytes), new()),
            new("`Predict`, int8 weights", () => int8.Predict(x, output), new()),
            new($"streaming the int8 copy's bytes once ({i8Bytes.Length * 4:N0} bytes)", () => s_sink += MachineLimits.Sum(i8Bytes), new()),
        };

        // 13-32-16-3 tanh: the generated Predict beside its parts.
        TabularNetwork tab = Models.Load(new TabularNetwork(), "tab13");
        float[] tp = tab.Parameters.ToArray();
        int t1 = (int)PackedDense.PackedLength<float>(13, 32), t2 = (int)PackedDense.PackedLength<float>(32, 16), t3 = (int)PackedDense.PackedLength<float>(16, 3);
        float[] tabPacked = new float[t1 + t2 + t3];
        PackedDense.Pack<float>(tp.AsSpan(0, 416), tp.AsSpan(416, 32), 13, 32, tabPacked.AsSpan(0, t1));
        PackedDense.Pack<float>(tp.AsSpan(448, 512), tp.AsSpan(960, 16), 32, 16, tabPacked.AsSpan(t1, t2));
        PackedDense.Pack<float>(tp.AsSpan(976, 48), tp.AsSpan(1024, 3), 16, 3, tabPacked.AsSpan(t1 + t2, t3));
        float[] tx = x.AsSpan(0, 13).ToArray(), g1 = new float[32], g2 = new float[16], g3 = new float[3], tabOut = new float[3];
        var small = new List<Item>
        {
            new("13-32-16-3 tanh `Predict` (generated)", () => tab.Predict(tx, tabOut), new()),
            new("its guard (`NetworkGuard.Predict`)", () => NetworkGuard.Predict<float>(tx, tabOut, 13, 3), new()),
            new("layer 1, 13 -> 32 tanh, `PackedDense.Forward`", () => PackedDense.Forward(ref tabPacked[0], 13, 32, ref tx[0], ref g1[0], 1, default(Tanh)), new()),
            new("layer 2, 32 -> 16 tanh", () => PackedDense.Forward(ref tabPacked[t1], 32, 16, ref g1[0], ref g2[0], 1, default(Tanh)), new()),
            new("layer 3, 16 -> 3, identity", () => PackedDense.Forward(ref tabPacked[t1 + t2], 16, 3, ref g2[0], ref g3[0], 1, default(IdentityActivation<float>)), new()),
            new("softmax of 3 values (MathF.Exp)", () => Softmax(g3), new()),
        };
        items.AddRange(small);

        QuickTable.WarmUp(items.Select(i => i.Call));
        for (int round = 0; round < 41; round++)
        {
            // Each round starts one item later, so no item always runs right after the 13-32-16-3 ones (the first item of
            // a round measured up to about 1 µs slower, whichever it was).
            for (int k = 0; k < items.Count; k++)
            {
                Item item = items[(round + k) % items.Count];
                int calls = small.Contains(item) ? 20_000 : 200;
                Alternate.SetValue(null, item.Alternate);
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++)
                {
                    item.Call();
                }

                item.Times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls);
            }
        }

        Alternate.SetValue(null, true);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# One-row Predict of 784-256-128-10, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC (41 alternating rounds of 200 calls, 20,000 for 13-32-16-3)");
        report.AppendLine();
        report.AppendLine("| what | median round | fastest round |");
        report.AppendLine("|---|---|---|");
        foreach (Item item in items)
        {
            List<double> sorted = item.Times.OrderBy(t => t).ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {item.Name} | {sorted[sorted.Count / 2] / 1e3:0.000} µs | {sorted[0] / 1e3:0.000} µs |");
        }

        return report.ToString();
    }

    private static void Softmax(float[] y)
    {
        float max = y[0], sum = 0;
        for (int i = 1; i < y.Length; i++)
        {
            max = MathF.Max(max, y[i]);
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] = MathF.Exp(y[i] - max);
            sum += y[i];
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] /= sum;
        }
    }

    private static void Layers(float[] packed, int l1, int l2, float[] x, float[] h1, float[] h2, float[] y, int at = 0)
    {
        PackedDense.Forward(ref packed[at], 784, 256, ref x[0], ref h1[0], 1, default(Relu));
        PackedDense.Forward(ref packed[at + l1], 256, 128, ref h1[0], ref h2[0], 1, default(Relu));
        PackedDense.Forward(ref packed[at + l1 + l2], 128, 10, ref h2[0], ref y[0], 1, default(IdentityActivation<float>));
    }
}
