using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>
/// The weight and input gradients of wide float layers (more than <see cref="WideFrom"/> units and as many inputs:
/// 784-256-128-10's first two layers), with one fused multiply-add per product (docs/performance.md, "Training
/// kernels"). Every value is still one chain in a fixed order: dW[u, i] = fma(δ[r, u], x[r, i], dW[u, i]) for the rows
/// in order, gIn[r, i] = fma(δ[r, u], W[u, i], ·) for the units in order from zero; the blocking, the vector width and
/// whether the machine has FMA instructions (without them the same fused operations run one value at a time through
/// <see cref="MathF.FusedMultiplyAdd"/>) change no bit.
/// </summary>
public static partial class TrainingKernels
{
    /// <summary>Layers with more units and more inputs than this take the fused kernels below (float only).</summary>
    internal const int WideFrom = 32;

    /// <summary>Units of the weight gradient (rows of the input gradient) per register block: 6 × 2 vectors = 12 sums.</summary>
    private const int WideBlock = 6;

    /// <summary>Units whose δ columns are packed together for the weight gradient: 8 blocks.</summary>
    private const int WideGroup = 8 * WideBlock;

    /// <summary>Rows of δ packed at a time for the weight gradient (longer tiles go through in pieces, rows in order).</summary>
    private const int WideRows = 64;

    /// <summary>Whether a float layer of this shape takes the fused kernels.</summary>
    internal static bool IsWide(int units, int inputCount) => units > WideFrom && inputCount > WideFrom;

    /// <summary>
    /// Whether <see cref="WideWeightGradient"/> adds a chunk at its own stores (<see cref="AddsChunk"/>): with its vector
    /// path, for rows it packs in one piece (each value then gets one chain and one store).
    /// </summary>
    private static bool WideAddsChunk(int rows) => Fma.IsSupported && Vector256.IsHardwareAccelerated && rows <= WideRows;

    /// <summary>
    /// dW += δᵀ X for a wide float layer, one fused multiply-add per product, rows in order; with
    /// <paramref name="addsChunk"/> (only where <see cref="WideAddsChunk"/>), dW = dW + (δᵀ X summed from zero).
    /// </summary>
    private static void WideWeightGradient(ref float dw, ref float d, ref float x, int rows, int units, int inputCount, bool addsChunk)
    {
        // Two compiled copies, so that the usual one tests nothing: a run-time flag in the register blocks cost about 5%
        // (dW 256 x 784, 32 rows, fastest rounds 145 -> 152-155 µs).
        if (addsChunk)
        {
            WideWeightGradient<AddsAtStore>(ref dw, ref d, ref x, rows, units, inputCount);
        }
        else
        {
            WideWeightGradient<Chains>(ref dw, ref d, ref x, rows, units, inputCount);
        }
    }

    private static void WideWeightGradient<TStore>(ref float dw, ref float d, ref float x, int rows, int units, int inputCount)
        where TStore : struct
    {
        bool addsChunk = typeof(TStore) == typeof(AddsAtStore);
        if (!Fma.IsSupported || !Vector256.IsHardwareAccelerated)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int u = 0; u < units; u++)
                {
                    float e = Unsafe.Add(ref d, (r * units) + u);
                    ref float row = ref Unsafe.Add(ref dw, u * inputCount);
                    ref float xr = ref Unsafe.Add(ref x, r * inputCount);
                    for (int i = 0; i < inputCount; i++)
                    {
                        Unsafe.Add(ref row, i) = MathF.FusedMultiplyAdd(e, Unsafe.Add(ref xr, i), Unsafe.Add(ref row, i));
                    }
                }
            }

            return;
        }

        // δ of one group of units, block by block, row by row: [block][row][6], so that each block's broadcasts are
        // consecutive in L1 while a chunk of 16 inputs of x (one cache line per row) serves all the group's blocks.
        Span<float> packed = stackalloc float[WideGroup * WideRows];
        ref float pd = ref MemoryMarshal.GetReference(packed);
        // Units in blocks of 6, then of 4 (2 or 3 units left after the 6-blocks take one 6-block with them as two
        // 4-blocks: 128 units are 20 x 6 + 2 x 4), then one at a time: a single unit keeps only 2 sums in flight.
        int whole = units / WideBlock * WideBlock;
        if (units % WideBlock is 2 or 3 && whole >= WideBlock)
        {
            whole -= WideBlock;
        }

        int fours = (units - whole) / 4 * 4;
        for (int r0 = 0; r0 < rows; r0 += WideRows)
        {
            int n = Math.Min(WideRows, rows - r0);
            ref float dRows = ref Unsafe.Add(ref d, r0 * units);
            ref float xRows = ref Unsafe.Add(ref x, r0 * inputCount);
            for (int g = 0; g < whole; g += WideGroup)
            {
                int groupUnits = Math.Min(WideGroup, whole - g);
                for (int b = 0; b < groupUnits; b += WideBlock)
                {
                    ref float target = ref Unsafe.Add(ref pd, b * n);
                    ref float source = ref Unsafe.Add(ref dRows, g + b);
                    for (int r = 0; r < n; r++)
                    {
                        Vector128.LoadUnsafe(ref source).StoreUnsafe(ref target);
                        Unsafe.Add(ref target, 4) = Unsafe.Add(ref source, 4);
                        Unsafe.Add(ref target, 5) = Unsafe.Add(ref source, 5);
                        target = ref Unsafe.Add(ref target, WideBlock);
                        source = ref Unsafe.Add(ref source, units);
                    }
                }

                int i = 0;
                for (; i <= inputCount - 16; i += 16)
                {
                    for (int b = 0; b < groupUnits; b += WideBlock)
                    {
                        // The same block's next 16 inputs (the next group's first ones after the last chunk), a group
                        // of blocks ahead: dW is read once per tile, from memory when it is larger than L2.
                        int next = i + 32 <= inputCount ? ((g + b) * inputCount) + i + 16 : (g + b + WideGroup) * inputCount;
                        PrefetchRows(ref Unsafe.Add(ref dw, next), inputCount);

                        WeightChunk6x2<TStore>(ref Unsafe.Add(ref dw, ((g + b) * inputCount) + i), ref Unsafe.Add(ref pd, b * n), ref Unsafe.Add(ref xRows, i), n, inputCount);
                    }
                }

                for (; i < inputCount; i++)
                {
                    // The inputs after the last 16, one value at a time: the same fused chain per value.
                    for (int u = g; u < g + groupUnits; u++)
                    {
                        ref float value = ref Unsafe.Add(ref dw, (u * inputCount) + i);
                        float s = addsChunk ? 0f : value;
                        for (int r = 0; r < n; r++)
                        {
                            s = MathF.FusedMultiplyAdd(Unsafe.Add(ref dRows, (r * units) + u), Unsafe.Add(ref xRows, (r * inputCount) + i), s);
                        }

                        value = addsChunk ? value + s : s;
                    }
                }
            }

            for (int b = 0; b < fours; b += 4)
            {
                int first = whole + b;
                ref float target = ref pd;
                ref float source = ref Unsafe.Add(ref dRows, first);
                for (int r = 0; r < n; r++)
                {
                    Vector128.LoadUnsafe(ref source).StoreUnsafe(ref target);
                    target = ref Unsafe.Add(ref target, 4);
                    source = ref Unsafe.Add(ref source, units);
                }

                int i = 0;
                for (; i <= inputCount - 16; i += 16)
                {
                    WeightChunk4x2<TStore>(ref Unsafe.Add(ref dw, (first * inputCount) + i), ref pd, ref Unsafe.Add(ref xRows, i), n, inputCount);
                }

                for (; i < inputCount; i++)
                {
                    for (int u = first; u < first + 4; u++)
                    {
                        ref float value = ref Unsafe.Add(ref dw, (u * inputCount) + i);
                        float s = addsChunk ? 0f : value;
                        for (int r = 0; r < n; r++)
                        {
                            s = MathF.FusedMultiplyAdd(Unsafe.Add(ref dRows, (r * units) + u), Unsafe.Add(ref xRows, (r * inputCount) + i), s);
                        }

                        value = addsChunk ? value + s : s;
                    }
                }
            }

            for (int u = whole + fours; u < units; u++)
            {
                WeightRowFused<TStore>(ref Unsafe.Add(ref dw, u * inputCount), ref Unsafe.Add(ref dRows, u), ref xRows, n, units, inputCount);
            }
        }
    }

    /// <summary>
    /// Asks for the cache lines of 16 values at <paramref name="first"/> in each of 6 rows <paramref name="stride"/>
    /// apart (two lines a row, as 16 floats straddle two lines unless aligned). A hint: it changes no value, and an
    /// address past the array's end does not fault.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchRows(ref float first, int stride)
    {
        if (Sse.IsSupported)
        {
            float* p = (float*)Unsafe.AsPointer(ref first);
            for (int k = 0; k < WideBlock; k++)
            {
                Sse.Prefetch0(p);
                Sse.Prefetch0(p + 15);
                p += stride;
            }
        }
    }

    /// <summary>
    /// dW[u..u+5, i..i+15] (rows inputCount apart) += the products of n rows: δ packed 6 a row, x rows inputCount apart
    /// (<typeparamref name="TStore"/> <see cref="AddsAtStore"/>: the products summed from zero, then added to dW).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightChunk6x2<TStore>(ref float w0, ref float d, ref float x, int rows, int inputCount)
        where TStore : struct
    {
        ref float w1 = ref Unsafe.Add(ref w0, inputCount);
        ref float w2 = ref Unsafe.Add(ref w1, inputCount);
        ref float w3 = ref Unsafe.Add(ref w2, inputCount);
        ref float w4 = ref Unsafe.Add(ref w3, inputCount);
        ref float w5 = ref Unsafe.Add(ref w4, inputCount);
        Vector256<float> s00 = Start<TStore>(ref w0, 0), s01 = Start<TStore>(ref w0, 8);
        Vector256<float> s10 = Start<TStore>(ref w1, 0), s11 = Start<TStore>(ref w1, 8);
        Vector256<float> s20 = Start<TStore>(ref w2, 0), s21 = Start<TStore>(ref w2, 8);
        Vector256<float> s30 = Start<TStore>(ref w3, 0), s31 = Start<TStore>(ref w3, 8);
        Vector256<float> s40 = Start<TStore>(ref w4, 0), s41 = Start<TStore>(ref w4, 8);
        Vector256<float> s50 = Start<TStore>(ref w5, 0), s51 = Start<TStore>(ref w5, 8);
        ref float xr = ref x;
        ref float dr = ref d;
        for (int r = 0; r < rows; r++)
        {
            Vector256<float> x0 = Vector256.LoadUnsafe(ref xr), x1 = Vector256.LoadUnsafe(ref xr, 8);
            Vector256<float> e = Vector256.Create(dr);
            s00 = Fma.MultiplyAdd(e, x0, s00);
            s01 = Fma.MultiplyAdd(e, x1, s01);
            e = Vector256.Create(Unsafe.Add(ref dr, 1));
            s10 = Fma.MultiplyAdd(e, x0, s10);
            s11 = Fma.MultiplyAdd(e, x1, s11);
            e = Vector256.Create(Unsafe.Add(ref dr, 2));
            s20 = Fma.MultiplyAdd(e, x0, s20);
            s21 = Fma.MultiplyAdd(e, x1, s21);
            e = Vector256.Create(Unsafe.Add(ref dr, 3));
            s30 = Fma.MultiplyAdd(e, x0, s30);
            s31 = Fma.MultiplyAdd(e, x1, s31);
            e = Vector256.Create(Unsafe.Add(ref dr, 4));
            s40 = Fma.MultiplyAdd(e, x0, s40);
            s41 = Fma.MultiplyAdd(e, x1, s41);
            e = Vector256.Create(Unsafe.Add(ref dr, 5));
            s50 = Fma.MultiplyAdd(e, x0, s50);
            s51 = Fma.MultiplyAdd(e, x1, s51);
            xr = ref Unsafe.Add(ref xr, inputCount);
            dr = ref Unsafe.Add(ref dr, WideBlock);
        }

        Store<TStore>(s00, ref w0, 0);
        Store<TStore>(s01, ref w0, 8);
        Store<TStore>(s10, ref w1, 0);
        Store<TStore>(s11, ref w1, 8);
        Store<TStore>(s20, ref w2, 0);
        Store<TStore>(s21, ref w2, 8);
        Store<TStore>(s30, ref w3, 0);
        Store<TStore>(s31, ref w3, 8);
        Store<TStore>(s40, ref w4, 0);
        Store<TStore>(s41, ref w4, 8);
        Store<TStore>(s50, ref w5, 0);
        Store<TStore>(s51, ref w5, 8);
    }

    /// <summary>dW[u..u+3, i..i+15] (rows inputCount apart) += the products of n rows: <see cref="WeightChunk6x2"/> for 4 units, δ packed 4 a row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightChunk4x2<TStore>(ref float w0, ref float d, ref float x, int rows, int inputCount)
        where TStore : struct
    {
        ref float w1 = ref Unsafe.Add(ref w0, inputCount);
        ref float w2 = ref Unsafe.Add(ref w1, inputCount);
        ref float w3 = ref Unsafe.Add(ref w2, inputCount);
        Vector256<float> s00 = Start<TStore>(ref w0, 0), s01 = Start<TStore>(ref w0, 8);
        Vector256<float> s10 = Start<TStore>(ref w1, 0), s11 = Start<TStore>(ref w1, 8);
        Vector256<float> s20 = Start<TStore>(ref w2, 0), s21 = Start<TStore>(ref w2, 8);
        Vector256<float> s30 = Start<TStore>(ref w3, 0), s31 = Start<TStore>(ref w3, 8);
        ref float xr = ref x;
        ref float dr = ref d;
        for (int r = 0; r < rows; r++)
        {
            Vector256<float> x0 = Vector256.LoadUnsafe(ref xr), x1 = Vector256.LoadUnsafe(ref xr, 8);
            Vector256<float> e = Vector256.Create(dr);
            s00 = Fma.MultiplyAdd(e, x0, s00);
            s01 = Fma.MultiplyAdd(e, x1, s01);
            e = Vector256.Create(Unsafe.Add(ref dr, 1));
            s10 = Fma.MultiplyAdd(e, x0, s10);
            s11 = Fma.MultiplyAdd(e, x1, s11);
            e = Vector256.Create(Unsafe.Add(ref dr, 2));
            s20 = Fma.MultiplyAdd(e, x0, s20);
            s21 = Fma.MultiplyAdd(e, x1, s21);
            e = Vector256.Create(Unsafe.Add(ref dr, 3));
            s30 = Fma.MultiplyAdd(e, x0, s30);
            s31 = Fma.MultiplyAdd(e, x1, s31);
            xr = ref Unsafe.Add(ref xr, inputCount);
            dr = ref Unsafe.Add(ref dr, 4);
        }

        Store<TStore>(s00, ref w0, 0);
        Store<TStore>(s01, ref w0, 8);
        Store<TStore>(s10, ref w1, 0);
        Store<TStore>(s11, ref w1, 8);
        Store<TStore>(s20, ref w2, 0);
        Store<TStore>(s21, ref w2, 8);
        Store<TStore>(s30, ref w3, 0);
        Store<TStore>(s31, ref w3, 8);
    }

    /// <summary>One unit's weight-gradient row (the units after the last block of 6): δ d, rows units apart.</summary>
    private static void WeightRowFused<TStore>(ref float w, ref float d, ref float x, int rows, int units, int inputCount)
        where TStore : struct
    {
        bool addsChunk = typeof(TStore) == typeof(AddsAtStore);
        int i = 0;
        for (; i <= inputCount - 16; i += 16)
        {
            Vector256<float> s0 = Start<TStore>(ref w, i), s1 = Start<TStore>(ref w, i + 8);
            ref float xr = ref Unsafe.Add(ref x, i);
            ref float dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                Vector256<float> e = Vector256.Create(dr);
                s0 = Fma.MultiplyAdd(e, Vector256.LoadUnsafe(ref xr), s0);
                s1 = Fma.MultiplyAdd(e, Vector256.LoadUnsafe(ref xr, 8), s1);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            Store<TStore>(s0, ref w, i);
            Store<TStore>(s1, ref w, i + 8);
        }

        for (; i < inputCount; i++)
        {
            ref float value = ref Unsafe.Add(ref w, i);
            float s = addsChunk ? 0f : value;
            for (int r = 0; r < rows; r++)
            {
                s = MathF.FusedMultiplyAdd(Unsafe.Add(ref d, r * units), Unsafe.Add(ref x, (r * inputCount) + i), s);
            }

            value = addsChunk ? value + s : s;
        }
    }

    /// <summary>A weight-gradient sum's start: the 8 stored values at w + at, or zeros for a chunk added at the store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Start<TStore>(ref float w, int at)
        where TStore : struct =>
        typeof(TStore) == typeof(AddsAtStore) ? Vector256<float>.Zero : Vector256.LoadUnsafe(ref w, (nuint)at);

    /// <summary>Stores a weight-gradient sum at w + at: the sum, or for a chunk added at the store the stored values plus the sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TStore>(Vector256<float> sum, ref float w, int at)
        where TStore : struct =>
        (typeof(TStore) == typeof(AddsAtStore) ? Vector256.LoadUnsafe(ref w, (nuint)at) + sum : sum).StoreUnsafe(ref w, (nuint)at);

    /// <summary>The weight gradient's sums continue each stored value's chain: dW += δᵀ X.</summary>
    private struct Chains
    {
    }

    /// <summary>The weight gradient's sums start from zero and are added to the stored values (<see cref="AddsChunk"/>).</summary>
    private struct AddsAtStore
    {
    }

    /// <summary>gIn = δ W for a wide float layer, one fused multiply-add per product, units in order from zero.</summary>
    private static void WideInputGradient(ref float gIn, ref float d, ref float w, int rows, int units, int inputCount)
    {
        if (!Fma.IsSupported || !Vector256.IsHardwareAccelerated)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int i = 0; i < inputCount; i++)
                {
                    float s = 0f;
                    for (int u = 0; u < units; u++)
                    {
                        s = MathF.FusedMultiplyAdd(Unsafe.Add(ref d, (r * units) + u), Unsafe.Add(ref w, (u * inputCount) + i), s);
                    }

                    Unsafe.Add(ref gIn, (r * inputCount) + i) = s;
                }
            }

            return;
        }

        // Inputs outer: a chunk of 16 columns of W (one cache line per unit) stays in L1 while every block of rows reads it.
        // Blocks of 6 rows, then of 4: 2 or 3 rows left after the 6-row blocks take one 6-row block with them as two
        // 4-row blocks (a 32-row tile: 4 x 6 + 2 x 4), since a single row keeps only 2 sums in flight.
        int six = rows - (rows % WideBlock);
        if (rows % WideBlock is 2 or 3 && six >= WideBlock)
        {
            six -= WideBlock;
        }

        int i0 = 0;
        for (; i0 <= inputCount - 16; i0 += 16)
        {
            int r = 0;
            for (; r < six; r += WideBlock)
            {
                InputChunk6x2(ref Unsafe.Add(ref gIn, (r * inputCount) + i0), ref Unsafe.Add(ref d, r * units), ref Unsafe.Add(ref w, i0), units, inputCount);
            }

            for (; r <= rows - 4; r += 4)
            {
                InputChunk4x2(ref Unsafe.Add(ref gIn, (r * inputCount) + i0), ref Unsafe.Add(ref d, r * units), ref Unsafe.Add(ref w, i0), units, inputCount);
            }

            for (; r < rows; r++)
            {
                ref float dr = ref Unsafe.Add(ref d, r * units);
                ref float wu = ref Unsafe.Add(ref w, i0);
                Vector256<float> s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
                for (int u = 0; u < units; u++)
                {
                    Vector256<float> e = Vector256.Create(Unsafe.Add(ref dr, u));
                    s0 = Fma.MultiplyAdd(e, Vector256.LoadUnsafe(ref wu), s0);
                    s1 = Fma.MultiplyAdd(e, Vector256.LoadUnsafe(ref wu, 8), s1);
                    wu = ref Unsafe.Add(ref wu, inputCount);
                }

                s0.StoreUnsafe(ref gIn, (nuint)((r * inputCount) + i0));
                s1.StoreUnsafe(ref gIn, (nuint)((r * inputCount) + i0 + 8));
            }
        }

        for (; i0 < inputCount; i0++)
        {
            for (int r = 0; r < rows; r++)
            {
                float s = 0f;
                for (int u = 0; u < units; u++)
                {
                    s = MathF.FusedMultiplyAdd(Unsafe.Add(ref d, (r * units) + u), Unsafe.Add(ref w, (u * inputCount) + i0), s);
                }

                Unsafe.Add(ref gIn, (r * inputCount) + i0) = s;
            }
        }
    }

    /// <summary>gIn[r..r+3, i..i+15] (rows inputCount apart) = Σ_u δ[r, u] W[u, i..]: <see cref="InputChunk6x2"/> for 4 rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputChunk4x2(ref float g0, ref float d0, ref float w, int units, int inputCount)
    {
        ref float d1 = ref Unsafe.Add(ref d0, units);
        ref float d2 = ref Unsafe.Add(ref d1, units);
        ref float d3 = ref Unsafe.Add(ref d2, units);
        Vector256<float> s00 = Vector256<float>.Zero, s01 = Vector256<float>.Zero, s10 = Vector256<float>.Zero, s11 = Vector256<float>.Zero;
        Vector256<float> s20 = Vector256<float>.Zero, s21 = Vector256<float>.Zero, s30 = Vector256<float>.Zero, s31 = Vector256<float>.Zero;
        ref float wu = ref w;
        for (int u = 0; u < units; u++)
        {
            Vector256<float> w0 = Vector256.LoadUnsafe(ref wu), w1 = Vector256.LoadUnsafe(ref wu, 8);
            Vector256<float> e = Vector256.Create(Unsafe.Add(ref d0, u));
            s00 = Fma.MultiplyAdd(e, w0, s00);
            s01 = Fma.MultiplyAdd(e, w1, s01);
            e = Vector256.Create(Unsafe.Add(ref d1, u));
            s10 = Fma.MultiplyAdd(e, w0, s10);
            s11 = Fma.MultiplyAdd(e, w1, s11);
            e = Vector256.Create(Unsafe.Add(ref d2, u));
            s20 = Fma.MultiplyAdd(e, w0, s20);
            s21 = Fma.MultiplyAdd(e, w1, s21);
            e = Vector256.Create(Unsafe.Add(ref d3, u));
            s30 = Fma.MultiplyAdd(e, w0, s30);
            s31 = Fma.MultiplyAdd(e, w1, s31);
            wu = ref Unsafe.Add(ref wu, inputCount);
        }

        ref float g1 = ref Unsafe.Add(ref g0, inputCount);
        ref float g2 = ref Unsafe.Add(ref g1, inputCount);
        ref float g3 = ref Unsafe.Add(ref g2, inputCount);
        s00.StoreUnsafe(ref g0);
        s01.StoreUnsafe(ref g0, 8);
        s10.StoreUnsafe(ref g1);
        s11.StoreUnsafe(ref g1, 8);
        s20.StoreUnsafe(ref g2);
        s21.StoreUnsafe(ref g2, 8);
        s30.StoreUnsafe(ref g3);
        s31.StoreUnsafe(ref g3, 8);
    }

    /// <summary>gIn[r..r+5, i..i+15] (rows inputCount apart) = Σ_u δ[r, u] W[u, i..]: δ rows units apart, W rows inputCount apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputChunk6x2(ref float g0, ref float d0, ref float w, int units, int inputCount)
    {
        ref float d1 = ref Unsafe.Add(ref d0, units);
        ref float d2 = ref Unsafe.Add(ref d1, units);
        ref float d3 = ref Unsafe.Add(ref d2, units);
        ref float d4 = ref Unsafe.Add(ref d3, units);
        ref float d5 = ref Unsafe.Add(ref d4, units);
        Vector256<float> s00 = Vector256<float>.Zero, s01 = Vector256<float>.Zero, s10 = Vector256<float>.Zero, s11 = Vector256<float>.Zero;
        Vector256<float> s20 = Vector256<float>.Zero, s21 = Vector256<float>.Zero, s30 = Vector256<float>.Zero, s31 = Vector256<float>.Zero;
        Vector256<float> s40 = Vector256<float>.Zero, s41 = Vector256<float>.Zero, s50 = Vector256<float>.Zero, s51 = Vector256<float>.Zero;
        ref float wu = ref w;
        for (int u = 0; u < units; u++)
        {
            Vector256<float> w0 = Vector256.LoadUnsafe(ref wu), w1 = Vector256.LoadUnsafe(ref wu, 8);
            Vector256<float> e = Vector256.Create(Unsafe.Add(ref d0, u));
            s00 = Fma.MultiplyAdd(e, w0, s00);
            s01 = Fma.MultiplyAdd(e, w1, s01);
            e = Vector256.Create(Unsafe.Add(ref d1, u));
            s10 = Fma.MultiplyAdd(e, w0, s10);
            s11 = Fma.MultiplyAdd(e, w1, s11);
            e = Vector256.Create(Unsafe.Add(ref d2, u));
            s20 = Fma.MultiplyAdd(e, w0, s20);
            s21 = Fma.MultiplyAdd(e, w1, s21);
            e = Vector256.Create(Unsafe.Add(ref d3, u));
            s30 = Fma.MultiplyAdd(e, w0, s30);
            s31 = Fma.MultiplyAdd(e, w1, s31);
            e = Vector256.Create(Unsafe.Add(ref d4, u));
            s40 = Fma.MultiplyAdd(e, w0, s40);
            s41 = Fma.MultiplyAdd(e, w1, s41);
            e = Vector256.Create(Unsafe.Add(ref d5, u));
            s50 = Fma.MultiplyAdd(e, w0, s50);
            s51 = Fma.MultiplyAdd(e, w1, s51);
            wu = ref Unsafe.Add(ref wu, inputCount);
        }

        ref float g1 = ref Unsafe.Add(ref g0, inputCount);
        ref float g2 = ref Unsafe.Add(ref g1, inputCount);
        ref float g3 = ref Unsafe.Add(ref g2, inputCount);
        ref float g4 = ref Unsafe.Add(ref g3, inputCount);
        ref float g5 = ref Unsafe.Add(ref g4, inputCount);
        s00.StoreUnsafe(ref g0);
        s01.StoreUnsafe(ref g0, 8);
        s10.StoreUnsafe(ref g1);
        s11.StoreUnsafe(ref g1, 8);
        s20.StoreUnsafe(ref g2);
        s21.StoreUnsafe(ref g2, 8);
        s30.StoreUnsafe(ref g3);
        s31.StoreUnsafe(ref g3, 8);
        s40.StoreUnsafe(ref g4);
        s41.StoreUnsafe(ref g4, 8);
        s50.StoreUnsafe(ref g5);
        s51.StoreUnsafe(ref g5, 8);
    }
}
