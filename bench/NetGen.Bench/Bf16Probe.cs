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
/// bench --bf16-probe: one row through a bfloat16 layer of 784 -> 256 (the runtime's packing) by
/// <see cref="PackedDense.ForwardBFloat16"/> and by loop variants written out here, in alternating rounds: the loop with
/// the mask that cleared each value's low half (the layout before 2026-12-02; timing only, its outputs are not the
/// copy's weights), the same unrolled, the runtime's loop (one shift, no mask; checked bit for bit against the
/// runtime first), 12 accumulators (6 + 6 + 4 panels) and 4 (2 panels), beside one streaming pass over the layer
/// (docs/performance.md, "bfloat16 one row").
/// </summary>
public static class Bf16Probe
{
    private const int Inputs = 784, Units = 256, Panels = 16, Block = 16 + (8 * Inputs);

    private sealed record Item(string Name, Action Call, List<double> Times);

    private static float s_sink;

    public static string Run(int rounds)
    {
        var random = new SeededRandom(3);
        float[] w = new float[Units * Inputs], b = new float[Units], x = new float[Inputs], y = new float[Units];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (float)(random.NextDouble() - 0.5);
        }

        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)random.NextDouble();
        }

        float[] packed = new float[PackedDense.PackedLengthBFloat16(Inputs, Units)];
        PackedDense.PackBFloat16(w, b, Inputs, Units, packed);
        float[] reference = new float[Units], check = new float[Units];
        PackedDense.ForwardBFloat16(ref packed[0], Inputs, Units, ref x[0], ref reference[0], 1, default(IdentityActivation<float>));
        Variant4NoMask(packed, x, check);
        if (!check.AsSpan().SequenceEqual(reference))
        {
            throw new InvalidOperationException("variant 4 without the mask differs");
        }

        float[] interleaved = Interleave(packed);
        Variant512Insert(packed, x, check);
        if (!check.AsSpan().SequenceEqual(reference))
        {
            throw new InvalidOperationException("the 512-bit loop over 16-unit panels differs");
        }

        Variant512InsertMemory(packed, x, check);
        if (!check.AsSpan().SequenceEqual(reference))
        {
            throw new InvalidOperationException("the 512-bit loop over 16-unit panels (InsertVector256) differs");
        }

        Variant512Interleaved(interleaved, x, check);
        if (!check.AsSpan().SequenceEqual(reference))
        {
            throw new InvalidOperationException("the 512-bit loop over interleaved panel pairs differs");
        }

        var items = new List<Item>
        {
            new("512-bit, 16-unit panels, two 32-byte rows per zmm (vinsertf32x8)", () => Variant512Insert(packed, x, y), new()),
            new("512-bit, 16-unit panels, InsertVector256 of a load", () => Variant512InsertMemory(packed, x, y), new()),
            new("512-bit, panel pairs interleaved per input (one 64-byte load)", () => Variant512Interleaved(interleaved, x, y), new()),
            new("ForwardBFloat16 (the runtime's)", () => PackedDense.ForwardBFloat16(ref packed[0], Inputs, Units, ref x[0], ref y[0], 1, default(IdentityActivation<float>)), new()),
            new("4 panels, shift and mask (before)", () => Variant4(packed, x, y), new()),
            new("4 panels, shift and mask, unrolled by 2", () => Variant4Unrolled(packed, x, y), new()),
            new("4 panels, shift only, unrolled by 2 (the runtime's loop)", () => Variant4NoMask(packed, x, y), new()),
            new("6+6+4 panels", () => Variant6(packed, x, y), new()),
            new("2 panels", () => Variant2(packed, x, y), new()),
            new($"streaming the {packed.Length * 4:N0} bytes once", () => s_sink += MachineLimits.Sum(packed), new()),
        };

        QuickTable.WarmUp(items.Select(i => i.Call));
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < items.Count; k++)
            {
                Item item = items[(round + k) % items.Count];
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < 400; c++)
                {
                    item.Call();
                }

                item.Times.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / 400);
            }
        }

        var report = new StringBuilder();
        report.AppendLine("| what | median | fastest |");
        report.AppendLine("|---|---|---|");
        foreach (Item item in items)
        {
            List<double> sorted = item.Times.OrderBy(t => t).ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {item.Name} | {sorted[sorted.Count / 2] / 1e3:0.000} µs | {sorted[0] / 1e3:0.000} µs |");
        }

        return report.ToString();
    }

    /// <summary>The copy with each pair of panels' input rows interleaved: per input panel p's 8 values, then panel p + 1's.</summary>
    private static float[] Interleave(float[] packed)
    {
        float[] result = (float[])packed.Clone();
        for (int p = 0; p < Panels; p += 2)
        {
            int pair = p * Block;
            Array.Copy(packed, pair, result, pair, 16);
            Array.Copy(packed, pair + Block, result, pair + 16, 16);
            for (int i = 0; i < Inputs; i++)
            {
                Array.Copy(packed, pair + 16 + (8 * i), result, pair + 32 + (16 * i), 8);
                Array.Copy(packed, pair + Block + 16 + (8 * i), result, pair + 32 + (16 * i) + 8, 8);
            }
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pair(ref float p, nint second) => Vector512.Create(Vector256.LoadUnsafe(ref p), Vector256.LoadUnsafe(ref Unsafe.Add(ref p, second)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PairInsert(ref float p, nint second) => Avx512F.InsertVector256(Vector256.LoadUnsafe(ref p).ToVector512Unsafe(), Vector256.LoadUnsafe(ref Unsafe.Add(ref p, second)), 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Low512(Vector512<float> v) => Vector512.ShiftLeft(v.AsUInt32(), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(Vector512<float> low, Vector512<float> high, ref float y)
    {
        low.GetLower().StoreUnsafe(ref y);
        high.GetLower().StoreUnsafe(ref y, 8);
        low.GetUpper().StoreUnsafe(ref y, 16);
        high.GetUpper().StoreUnsafe(ref y, 24);
    }

    private static void Variant512Insert(float[] packed, float[] x, float[] y)
    {
        for (int p = 0; p < Panels; p += 8)
        {
            ref float p0 = ref packed[p * Block];
            nint b1 = Block, b2 = 2 * Block, b4 = 4 * Block, b6 = 6 * Block;
            Vector512<float> a00 = Pair(ref p0, b1), a01 = Pair(ref Unsafe.Add(ref p0, 8), b1);
            Vector512<float> a10 = Pair(ref Unsafe.Add(ref p0, b2), b1), a11 = Pair(ref Unsafe.Add(ref p0, b2 + 8), b1);
            Vector512<float> a20 = Pair(ref Unsafe.Add(ref p0, b4), b1), a21 = Pair(ref Unsafe.Add(ref p0, b4 + 8), b1);
            Vector512<float> a30 = Pair(ref Unsafe.Add(ref p0, b6), b1), a31 = Pair(ref Unsafe.Add(ref p0, b6 + 8), b1);
            ref float w0 = ref Unsafe.Add(ref p0, 16);
            ref float xi = ref x[0];
            ref float end = ref Unsafe.Add(ref xi, Inputs);
            while (Unsafe.IsAddressLessThan(ref xi, ref end))
            {
                Vector512<float> v = Vector512.Create(xi);
                Vector512<float> r0 = Pair(ref w0, b1), r1 = Pair(ref Unsafe.Add(ref w0, b2), b1);
                Vector512<float> r2 = Pair(ref Unsafe.Add(ref w0, b4), b1), r3 = Pair(ref Unsafe.Add(ref w0, b6), b1);
                a00 = Avx512F.FusedMultiplyAdd(v, Low512(r0), a00);
                a01 = Avx512F.FusedMultiplyAdd(v, r0, a01);
                a10 = Avx512F.FusedMultiplyAdd(v, Low512(r1), a10);
                a11 = Avx512F.FusedMultiplyAdd(v, r1, a11);
                a20 = Avx512F.FusedMultiplyAdd(v, Low512(r2), a20);
                a21 = Avx512F.FusedMultiplyAdd(v, r2, a21);
                a30 = Avx512F.FusedMultiplyAdd(v, Low512(r3), a30);
                a31 = Avx512F.FusedMultiplyAdd(v, r3, a31);
                xi = ref Unsafe.Add(ref xi, 1);
                w0 = ref Unsafe.Add(ref w0, 8);
            }

            ref float yp = ref y[p * 16];
            Store512(a00, a01, ref yp);
            Store512(a10, a11, ref Unsafe.Add(ref yp, 32));
            Store512(a20, a21, ref Unsafe.Add(ref yp, 64));
            Store512(a30, a31, ref Unsafe.Add(ref yp, 96));
        }
    }

    private static void Variant512InsertMemory(float[] packed, float[] x, float[] y)
    {
        for (int p = 0; p < Panels; p += 8)
        {
            ref float p0 = ref packed[p * Block];
            nint b1 = Block, b2 = 2 * Block, b4 = 4 * Block, b6 = 6 * Block;
            Vector512<float> a00 = Pair(ref p0, b1), a01 = Pair(ref Unsafe.Add(ref p0, 8), b1);
            Vector512<float> a10 = Pair(ref Unsafe.Add(ref p0, b2), b1), a11 = Pair(ref Unsafe.Add(ref p0, b2 + 8), b1);
            Vector512<float> a20 = Pair(ref Unsafe.Add(ref p0, b4), b1), a21 = Pair(ref Unsafe.Add(ref p0, b4 + 8), b1);
            Vector512<float> a30 = Pair(ref Unsafe.Add(ref p0, b6), b1), a31 = Pair(ref Unsafe.Add(ref p0, b6 + 8), b1);
            ref float w0 = ref Unsafe.Add(ref p0, 16);
            ref float xi = ref x[0];
            ref float end = ref Unsafe.Add(ref xi, Inputs);
            while (Unsafe.IsAddressLessThan(ref xi, ref end))
            {
                Vector512<float> v = Vector512.Create(xi);
                Vector512<float> r0 = PairInsert(ref w0, b1), r1 = PairInsert(ref Unsafe.Add(ref w0, b2), b1);
                Vector512<float> r2 = PairInsert(ref Unsafe.Add(ref w0, b4), b1), r3 = PairInsert(ref Unsafe.Add(ref w0, b6), b1);
                a00 = Avx512F.FusedMultiplyAdd(v, Low512(r0), a00);
                a01 = Avx512F.FusedMultiplyAdd(v, r0, a01);
                a10 = Avx512F.FusedMultiplyAdd(v, Low512(r1), a10);
                a11 = Avx512F.FusedMultiplyAdd(v, r1, a11);
                a20 = Avx512F.FusedMultiplyAdd(v, Low512(r2), a20);
                a21 = Avx512F.FusedMultiplyAdd(v, r2, a21);
                a30 = Avx512F.FusedMultiplyAdd(v, Low512(r3), a30);
                a31 = Avx512F.FusedMultiplyAdd(v, r3, a31);
                xi = ref Unsafe.Add(ref xi, 1);
                w0 = ref Unsafe.Add(ref w0, 8);
            }

            ref float yp = ref y[p * 16];
            Store512(a00, a01, ref yp);
            Store512(a10, a11, ref Unsafe.Add(ref yp, 32));
            Store512(a20, a21, ref Unsafe.Add(ref yp, 64));
            Store512(a30, a31, ref Unsafe.Add(ref yp, 96));
        }
    }

    private static void Variant512Interleaved(float[] packed, float[] x, float[] y)
    {
        for (int p = 0; p < Panels; p += 8)
        {
            ref float p0 = ref packed[p * Block];
            nint b2 = 2 * Block, b4 = 4 * Block, b6 = 6 * Block;
            Vector512<float> a00 = Pair(ref p0, 16), a01 = Pair(ref Unsafe.Add(ref p0, 8), 16);
            Vector512<float> a10 = Pair(ref Unsafe.Add(ref p0, b2), 16), a11 = Pair(ref Unsafe.Add(ref p0, b2 + 8), 16);
            Vector512<float> a20 = Pair(ref Unsafe.Add(ref p0, b4), 16), a21 = Pair(ref Unsafe.Add(ref p0, b4 + 8), 16);
            Vector512<float> a30 = Pair(ref Unsafe.Add(ref p0, b6), 16), a31 = Pair(ref Unsafe.Add(ref p0, b6 + 8), 16);
            ref float w0 = ref Unsafe.Add(ref p0, 32);
            ref float xi = ref x[0];
            ref float end = ref Unsafe.Add(ref xi, Inputs);
            while (Unsafe.IsAddressLessThan(ref xi, ref end))
            {
                Vector512<float> v = Vector512.Create(xi);
                Vector512<float> r0 = Vector512.LoadUnsafe(ref w0), r1 = Vector512.LoadUnsafe(ref w0, (nuint)b2);
                Vector512<float> r2 = Vector512.LoadUnsafe(ref w0, (nuint)b4), r3 = Vector512.LoadUnsafe(ref w0, (nuint)b6);
                a00 = Avx512F.FusedMultiplyAdd(v, Low512(r0), a00);
                a01 = Avx512F.FusedMultiplyAdd(v, r0, a01);
                a10 = Avx512F.FusedMultiplyAdd(v, Low512(r1), a10);
                a11 = Avx512F.FusedMultiplyAdd(v, r1, a11);
                a20 = Avx512F.FusedMultiplyAdd(v, Low512(r2), a20);
                a21 = Avx512F.FusedMultiplyAdd(v, r2, a21);
                a30 = Avx512F.FusedMultiplyAdd(v, Low512(r3), a30);
                a31 = Avx512F.FusedMultiplyAdd(v, r3, a31);
                xi = ref Unsafe.Add(ref xi, 1);
                w0 = ref Unsafe.Add(ref w0, 16);
            }

            ref float yp = ref y[p * 16];
            Store512(a00, a01, ref yp);
            Store512(a10, a11, ref Unsafe.Add(ref yp, 32));
            Store512(a20, a21, ref Unsafe.Add(ref yp, 64));
            Store512(a30, a31, ref Unsafe.Add(ref yp, 96));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Low(ref float row) => Vector256.ShiftLeft(Vector256.LoadUnsafe(ref Unsafe.As<float, uint>(ref row)), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> High(ref float row, Vector256<uint> mask) => (Vector256.LoadUnsafe(ref Unsafe.As<float, uint>(ref row)) & mask).AsSingle();

    private static void Variant4(float[] packed, float[] x, float[] y)
    {
        Vector256<uint> mask = Vector256.Create(0xFFFF0000u);
        for (int p = 0; p < Panels; p += 4)
        {
            ref float p0 = ref packed[p * Block];
            ref float p1 = ref Unsafe.Add(ref p0, Block), p2 = ref Unsafe.Add(ref p1, Block), p3 = ref Unsafe.Add(ref p2, Block);
            Vector256<float> a00 = Vector256.LoadUnsafe(ref p0), a01 = Vector256.LoadUnsafe(ref p0, 8), a10 = Vector256.LoadUnsafe(ref p1), a11 = Vector256.LoadUnsafe(ref p1, 8);
            Vector256<float> a20 = Vector256.LoadUnsafe(ref p2), a21 = Vector256.LoadUnsafe(ref p2, 8), a30 = Vector256.LoadUnsafe(ref p3), a31 = Vector256.LoadUnsafe(ref p3, 8);
            ref float w0 = ref Unsafe.Add(ref p0, 16);
            ref float xi = ref x[0];
            ref float end = ref Unsafe.Add(ref xi, Inputs);
            nint b1 = Block, b2 = 2 * Block, b3 = 3 * Block;
            while (Unsafe.IsAddressLessThan(ref xi, ref end))
            {
                Vector256<float> v = Vector256.Create(xi);
                a00 = Fma.MultiplyAdd(v, Low(ref w0), a00);
                a01 = Fma.MultiplyAdd(v, High(ref w0, mask), a01);
                a10 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b1)), a10);
                a11 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b1), mask), a11);
                a20 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b2)), a20);
                a21 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b2), mask), a21);
                a30 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b3)), a30);
                a31 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b3), mask), a31);
                xi = ref Unsafe.Add(ref xi, 1);
                w0 = ref Unsafe.Add(ref w0, 8);
            }

            ref float yp = ref y[p * 16];
            a00.StoreUnsafe(ref yp);
            a01.StoreUnsafe(ref yp, 8);
            a10.StoreUnsafe(ref yp, 16);
            a11.StoreUnsafe(ref yp, 24);
            a20.StoreUnsafe(ref yp, 32);
            a21.StoreUnsafe(ref yp, 40);
            a30.StoreUnsafe(ref yp, 48);
            a31.StoreUnsafe(ref yp, 56);
        }
    }

    private static void Variant4Unrolled(float[] packed, float[] x, float[] y)
    {
        Vector256<uint> mask = Vector256.Create(0xFFFF0000u);
        for (int p = 0; p < Panels; p += 4)
        {
            ref float p0 = ref packed[p * Block];
            ref float p1 = ref Unsafe.Add(ref p0, Block), p2 = ref Unsafe.Add(ref p1, Block), p3 = ref Unsafe.Add(ref p2, Block);
            Vector256<float> a00 = Vector256.LoadUnsafe(ref p0), a01 = Vector256.LoadUnsafe(ref p0, 8), a10 = Vector256.LoadUnsafe(ref p1), a11 = Vector256.LoadUnsafe(ref p1, 8);
            Vector256<float> a20 = Vector256.LoadUnsafe(ref p2), a21 = Vector256.LoadUnsafe(ref p2, 8), a30 = Vector256.LoadUnsafe(ref p3), a31 = Vector256.LoadUnsafe(ref p3, 8);
            ref float w0 = ref Unsafe.Add(ref p0, 16);
            ref float xi = ref x[0];
            ref float end = ref Unsafe.Add(ref xi, Inputs);
            nint b1 = Block, b2 = 2 * Block, b3 = 3 * Block;
            while (Unsafe.IsAddressLessThan(ref xi, ref end))
            {
                Vector256<float> v = Vector256.Create(xi);
                a00 = Fma.MultiplyAdd(v, Low(ref w0), a00);
                a01 = Fma.MultiplyAdd(v, High(ref w0, mask), a01);
                a10 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b1)), a10);
                a11 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b1), mask), a11);
                a20 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b2)), a20);
                a21 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b2), mask), a21);
                a30 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b3)), a30);
                a31 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b3), mask), a31);
                v = Vector256.Create(Unsafe.Add(ref xi, 1));
                a00 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, 8)), a00);
                a01 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, 8), mask), a01);
                a10 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b1 + 8)), a10);
                a11 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b1 + 8), mask), a11);
                a20 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b2 + 8)), a20);
                a21 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b2 + 8), mask), a21);
                a30 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b3 + 8)), a30);
                a31 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b3 + 8), mask), a31);
                xi = ref Unsafe.Add(ref xi, 2);
                w0 = ref Unsafe.Add(ref w0, 16);
            }

            ref float yp = ref y[p * 16];
            a00.StoreUnsafe(ref yp);
            a01.StoreUnsafe(ref yp, 8);
            a10.StoreUnsafe(ref yp, 16);
            a11.StoreUnsafe(ref yp, 24);
            a20.StoreUnsafe(ref yp, 32);
            a21.StoreUnsafe(ref yp, 40);
            a30.StoreUnsafe(ref yp, 48);
            a31.StoreUnsafe(ref yp, 56);
        }
    }

    private static void Variant4NoMask(float[] packed, float[] x, float[] y)
    {
        for (int p = 0; p < Panels; p += 4)
        {
            ref float p0 = ref packed[p * Block];
            ref float p1 = ref Unsafe.Add(ref p0, Block), p2 = ref Unsafe.Add(ref p1, Block), p3 = ref Unsafe.Add(ref p2, Block);
            Vector256<float> a00 = Vector256.LoadUnsafe(ref p0), a01 = Vector256.LoadUnsafe(ref p0, 8), a10 = Vector256.LoadUnsafe(ref p1), a11 = Vector256.LoadUnsafe(ref p1, 8);
            Vector256<float> a20 = Vector256.LoadUnsafe(ref p2), a21 = Vector256.LoadUnsafe(ref p2, 8), a30 = Vector256.LoadUnsafe(ref p3), a31 = Vector256.LoadUnsafe(ref p3, 8);
            ref float w0 = ref Unsafe.Add(ref p0, 16);
            ref float xi = ref x[0];
            ref float end = ref Unsafe.Add(ref xi, Inputs);
            nint b1 = Block, b2 = 2 * Block, b3 = 3 * Block;
            while (Unsafe.IsAddressLessThan(ref xi, ref end))
            {
                Vector256<float> v = Vector256.Create(xi);
                a00 = Fma.MultiplyAdd(v, Low(ref w0), a00);
                a01 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref w0), a01);
                a10 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b1)), a10);
                a11 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref w0, (nuint)b1), a11);
                a20 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b2)), a20);
                a21 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref w0, (nuint)b2), a21);
                a30 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b3)), a30);
                a31 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref w0, (nuint)b3), a31);
                v = Vector256.Create(Unsafe.Add(ref xi, 1));
                a00 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, 8)), a00);
                a01 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref w0, 8), a01);
                a10 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b1 + 8)), a10);
                a11 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref w0, (nuint)(b1 + 8)), a11);
                a20 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b2 + 8)), a20);
                a21 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref w0, (nuint)(b2 + 8)), a21);
                a30 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b3 + 8)), a30);
                a31 = Fma.MultiplyAdd(v, Vector256.LoadUnsafe(ref w0, (nuint)(b3 + 8)), a31);
                xi = ref Unsafe.Add(ref xi, 2);
                w0 = ref Unsafe.Add(ref w0, 16);
            }

            ref float yp = ref y[p * 16];
            a00.StoreUnsafe(ref yp);
            a01.StoreUnsafe(ref yp, 8);
            a10.StoreUnsafe(ref yp, 16);
            a11.StoreUnsafe(ref yp, 24);
            a20.StoreUnsafe(ref yp, 32);
            a21.StoreUnsafe(ref yp, 40);
            a30.StoreUnsafe(ref yp, 48);
            a31.StoreUnsafe(ref yp, 56);
        }
    }

    private static void Variant6(float[] packed, float[] x, float[] y)
    {
        Vector256<uint> mask = Vector256.Create(0xFFFF0000u);
        for (int p = 0; p < 12; p += 6)
        {
            ref float p0 = ref packed[p * Block];
            ref float p1 = ref Unsafe.Add(ref p0, Block), p2 = ref Unsafe.Add(ref p1, Block), p3 = ref Unsafe.Add(ref p2, Block);
            ref float p4 = ref Unsafe.Add(ref p3, Block), p5 = ref Unsafe.Add(ref p4, Block);
            Vector256<float> a00 = Vector256.LoadUnsafe(ref p0), a01 = Vector256.LoadUnsafe(ref p0, 8), a10 = Vector256.LoadUnsafe(ref p1), a11 = Vector256.LoadUnsafe(ref p1, 8);
            Vector256<float> a20 = Vector256.LoadUnsafe(ref p2), a21 = Vector256.LoadUnsafe(ref p2, 8), a30 = Vector256.LoadUnsafe(ref p3), a31 = Vector256.LoadUnsafe(ref p3, 8);
            Vector256<float> a40 = Vector256.LoadUnsafe(ref p4), a41 = Vector256.LoadUnsafe(ref p4, 8), a50 = Vector256.LoadUnsafe(ref p5), a51 = Vector256.LoadUnsafe(ref p5, 8);
            ref float w0 = ref Unsafe.Add(ref p0, 16);
            ref float xi = ref x[0];
            ref float end = ref Unsafe.Add(ref xi, Inputs);
            nint b1 = Block, b2 = 2 * Block, b3 = 3 * Block, b4 = 4 * Block, b5 = 5 * Block;
            while (Unsafe.IsAddressLessThan(ref xi, ref end))
            {
                Vector256<float> v = Vector256.Create(xi);
                a00 = Fma.MultiplyAdd(v, Low(ref w0), a00);
                a01 = Fma.MultiplyAdd(v, High(ref w0, mask), a01);
                a10 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b1)), a10);
                a11 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b1), mask), a11);
                a20 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b2)), a20);
                a21 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b2), mask), a21);
                a30 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b3)), a30);
                a31 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b3), mask), a31);
                a40 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b4)), a40);
                a41 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b4), mask), a41);
                a50 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b5)), a50);
                a51 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b5), mask), a51);
                xi = ref Unsafe.Add(ref xi, 1);
                w0 = ref Unsafe.Add(ref w0, 8);
            }

            ref float yp = ref y[p * 16];
            a00.StoreUnsafe(ref yp);
            a01.StoreUnsafe(ref yp, 8);
            a10.StoreUnsafe(ref yp, 16);
            a11.StoreUnsafe(ref yp, 24);
            a20.StoreUnsafe(ref yp, 32);
            a21.StoreUnsafe(ref yp, 40);
            a30.StoreUnsafe(ref yp, 48);
            a31.StoreUnsafe(ref yp, 56);
            a40.StoreUnsafe(ref yp, 64);
            a41.StoreUnsafe(ref yp, 72);
            a50.StoreUnsafe(ref yp, 80);
            a51.StoreUnsafe(ref yp, 88);
        }

        Variant4Range(packed, x, y, 12);
    }

    private static void Variant4Range(float[] packed, float[] x, float[] y, int p)
    {
        Vector256<uint> mask = Vector256.Create(0xFFFF0000u);
        ref float p0 = ref packed[p * Block];
        ref float p1 = ref Unsafe.Add(ref p0, Block), p2 = ref Unsafe.Add(ref p1, Block), p3 = ref Unsafe.Add(ref p2, Block);
        Vector256<float> a00 = Vector256.LoadUnsafe(ref p0), a01 = Vector256.LoadUnsafe(ref p0, 8), a10 = Vector256.LoadUnsafe(ref p1), a11 = Vector256.LoadUnsafe(ref p1, 8);
        Vector256<float> a20 = Vector256.LoadUnsafe(ref p2), a21 = Vector256.LoadUnsafe(ref p2, 8), a30 = Vector256.LoadUnsafe(ref p3), a31 = Vector256.LoadUnsafe(ref p3, 8);
        ref float w0 = ref Unsafe.Add(ref p0, 16);
        ref float xi = ref x[0];
        ref float end = ref Unsafe.Add(ref xi, Inputs);
        nint b1 = Block, b2 = 2 * Block, b3 = 3 * Block;
        while (Unsafe.IsAddressLessThan(ref xi, ref end))
        {
            Vector256<float> v = Vector256.Create(xi);
            a00 = Fma.MultiplyAdd(v, Low(ref w0), a00);
            a01 = Fma.MultiplyAdd(v, High(ref w0, mask), a01);
            a10 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b1)), a10);
            a11 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b1), mask), a11);
            a20 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b2)), a20);
            a21 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b2), mask), a21);
            a30 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b3)), a30);
            a31 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b3), mask), a31);
            xi = ref Unsafe.Add(ref xi, 1);
            w0 = ref Unsafe.Add(ref w0, 8);
        }

        ref float yp = ref y[p * 16];
        a00.StoreUnsafe(ref yp);
        a01.StoreUnsafe(ref yp, 8);
        a10.StoreUnsafe(ref yp, 16);
        a11.StoreUnsafe(ref yp, 24);
        a20.StoreUnsafe(ref yp, 32);
        a21.StoreUnsafe(ref yp, 40);
        a30.StoreUnsafe(ref yp, 48);
        a31.StoreUnsafe(ref yp, 56);
    }

    private static void Variant2(float[] packed, float[] x, float[] y)
    {
        Vector256<uint> mask = Vector256.Create(0xFFFF0000u);
        for (int p = 0; p < Panels; p += 2)
        {
            ref float p0 = ref packed[p * Block];
            ref float p1 = ref Unsafe.Add(ref p0, Block);
            Vector256<float> a00 = Vector256.LoadUnsafe(ref p0), a01 = Vector256.LoadUnsafe(ref p0, 8), a10 = Vector256.LoadUnsafe(ref p1), a11 = Vector256.LoadUnsafe(ref p1, 8);
            ref float w0 = ref Unsafe.Add(ref p0, 16);
            ref float xi = ref x[0];
            ref float end = ref Unsafe.Add(ref xi, Inputs);
            nint b1 = Block;
            while (Unsafe.IsAddressLessThan(ref xi, ref end))
            {
                Vector256<float> v = Vector256.Create(xi);
                a00 = Fma.MultiplyAdd(v, Low(ref w0), a00);
                a01 = Fma.MultiplyAdd(v, High(ref w0, mask), a01);
                a10 = Fma.MultiplyAdd(v, Low(ref Unsafe.Add(ref w0, b1)), a10);
                a11 = Fma.MultiplyAdd(v, High(ref Unsafe.Add(ref w0, b1), mask), a11);
                xi = ref Unsafe.Add(ref xi, 1);
                w0 = ref Unsafe.Add(ref w0, 8);
            }

            ref float yp = ref y[p * 16];
            a00.StoreUnsafe(ref yp);
            a01.StoreUnsafe(ref yp, 8);
            a10.StoreUnsafe(ref yp, 16);
            a11.StoreUnsafe(ref yp, 24);
        }
    }
}
