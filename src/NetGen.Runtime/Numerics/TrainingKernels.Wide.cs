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
    /// Whether <see cref="WideWeightGradient"/> starts or adds a chunk at its own stores (<see cref="StartsChunk"/>,
    /// <see cref="AddsChunk"/>): with its vector path, for rows it packs in one piece (each value then gets one chain and
    /// one store).
    /// </summary>
    private static bool WideWritesChunk(int rows) => Fma.IsSupported && Vector256.IsHardwareAccelerated && rows <= WideRows;

    /// <summary>
    /// dW += δᵀ X for a wide float layer, one fused multiply-add per product, rows in order; where
    /// <see cref="WideWritesChunk"/>, with <paramref name="write"/> <see cref="ChunkWrite.Starts"/> dW = δᵀ X (summed from
    /// zero, the values found not read) and with <see cref="ChunkWrite.Adds"/> dW = dW + (δᵀ X summed from zero).
    /// </summary>
    private static void WideWeightGradient(ref float dw, ref float d, ref float x, int rows, int units, int inputCount, ChunkWrite write)
    {
        // A compiled copy each, so that the usual one tests nothing: a run-time flag in the register blocks cost about 5%
        // (dW 256 x 784, 32 rows, fastest rounds 145 -> 152-155 µs).
        switch (write)
        {
            case ChunkWrite.Starts:
                WideWeightGradient<StartsAtStore>(ref dw, ref d, ref x, rows, units, inputCount);
                break;
            case ChunkWrite.Adds:
                WideWeightGradient<AddsAtStore>(ref dw, ref d, ref x, rows, units, inputCount);
                break;
            default:
                WideWeightGradient<Chains>(ref dw, ref d, ref x, rows, units, inputCount);
                break;
        }
    }

    private static void WideWeightGradient<TStore>(ref float dw, ref float d, ref float x, int rows, int units, int inputCount)
        where TStore : struct
    {
        bool fromZero = typeof(TStore) != typeof(Chains), addsChunk = typeof(TStore) == typeof(AddsAtStore);
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

                // Chunks of 2 x 16 inputs (two Vector512 a unit) where the CPU runs 512-bit vectors, then of 2 x 8: every
                // chunk is the same chains, so the width changes no bit.
                int i = 0;
                if (Vector512.IsHardwareAccelerated)
                {
                    i = WeightChunks6<TStore, Lanes512<float>>(ref dw, ref pd, ref xRows, g, groupUnits, n, inputCount, i);
                }

                i = WeightChunks6<TStore, Lanes256>(ref dw, ref pd, ref xRows, g, groupUnits, n, inputCount, i);
                for (; i < inputCount; i++)
                {
                    // The inputs after the last chunk, one value at a time: the same fused chain per value.
                    for (int u = g; u < g + groupUnits; u++)
                    {
                        ref float value = ref Unsafe.Add(ref dw, (u * inputCount) + i);
                        float s = fromZero ? 0f : value;
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
                if (Vector512.IsHardwareAccelerated)
                {
                    i = WeightChunks4<TStore, Lanes512<float>>(ref Unsafe.Add(ref dw, first * inputCount), ref pd, ref xRows, n, inputCount, i);
                }

                i = WeightChunks4<TStore, Lanes256>(ref Unsafe.Add(ref dw, first * inputCount), ref pd, ref xRows, n, inputCount, i);

                for (; i < inputCount; i++)
                {
                    for (int u = first; u < first + 4; u++)
                    {
                        ref float value = ref Unsafe.Add(ref dw, (u * inputCount) + i);
                        float s = fromZero ? 0f : value;
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
    /// The chunks of one group of 6-unit blocks from input i: 2 x <typeparamref name="TLanes"/> inputs each, every block
    /// of the group over the chunk before the next chunk; returns the first input left.
    /// </summary>
    private static int WeightChunks6<TStore, TLanes>(ref float dw, ref float pd, ref float xRows, int g, int groupUnits, int n, int inputCount, int i)
        where TStore : struct
        where TLanes : struct, IGradientLanes<TLanes, float>
    {
        int chunk = 2 * TLanes.Count;
        for (; i <= inputCount - chunk; i += chunk)
        {
            for (int b = 0; b < groupUnits; b += WideBlock)
            {
                // The same block's next chunk (the next group's first inputs after the last chunk), a group of blocks
                // ahead: dW is read once per tile, from memory when it is larger than L2.
                int next = i + (2 * chunk) <= inputCount ? ((g + b) * inputCount) + i + chunk : (g + b + WideGroup) * inputCount;
                PrefetchRows(ref Unsafe.Add(ref dw, next), inputCount, chunk);

                WeightChunk6x2<TStore, TLanes>(ref Unsafe.Add(ref dw, ((g + b) * inputCount) + i), ref Unsafe.Add(ref pd, b * n), ref Unsafe.Add(ref xRows, i), n, inputCount);
            }
        }

        return i;
    }

    /// <summary>The chunks of one 4-unit block (w its first unit's row) from input i; returns the first input left.</summary>
    private static int WeightChunks4<TStore, TLanes>(ref float w, ref float pd, ref float xRows, int n, int inputCount, int i)
        where TStore : struct
        where TLanes : struct, IGradientLanes<TLanes, float>
    {
        int chunk = 2 * TLanes.Count;
        for (; i <= inputCount - chunk; i += chunk)
        {
            WeightChunk4x2<TStore, TLanes>(ref Unsafe.Add(ref w, i), ref pd, ref Unsafe.Add(ref xRows, i), n, inputCount);
        }

        return i;
    }

    /// <summary>
    /// Asks for the cache lines of <paramref name="count"/> values at <paramref name="first"/> in each of 6 rows
    /// <paramref name="stride"/> apart (a line every 16 values and the last value's line, as a chunk straddles one line
    /// more unless aligned). A hint: it changes no value, and an address past the array's end does not fault.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchRows(ref float first, int stride, int count)
    {
        if (Sse.IsSupported)
        {
            float* p = (float*)Unsafe.AsPointer(ref first);
            for (int k = 0; k < WideBlock; k++)
            {
                for (int j = 0; j < count; j += 16)
                {
                    Sse.Prefetch0(p + j);
                }

                Sse.Prefetch0(p + count - 1);
                p += stride;
            }
        }
    }

    /// <summary>
    /// dW[u..u+5, i..] (rows inputCount apart) += the products of n rows over 2 x <typeparamref name="TLanes"/> inputs: δ
    /// packed 6 a row, x rows inputCount apart (<typeparamref name="TStore"/> <see cref="AddsAtStore"/>: the products
    /// summed from zero, then added to dW; <see cref="StartsAtStore"/>: summed from zero and stored as dW).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightChunk6x2<TStore, TLanes>(ref float w0, ref float d, ref float x, int rows, int inputCount)
        where TStore : struct
        where TLanes : struct, IGradientLanes<TLanes, float>
    {
        int h = TLanes.Count;
        ref float w1 = ref Unsafe.Add(ref w0, inputCount);
        ref float w2 = ref Unsafe.Add(ref w1, inputCount);
        ref float w3 = ref Unsafe.Add(ref w2, inputCount);
        ref float w4 = ref Unsafe.Add(ref w3, inputCount);
        ref float w5 = ref Unsafe.Add(ref w4, inputCount);
        TLanes s00 = Start<TStore, TLanes>(ref w0, 0), s01 = Start<TStore, TLanes>(ref w0, h);
        TLanes s10 = Start<TStore, TLanes>(ref w1, 0), s11 = Start<TStore, TLanes>(ref w1, h);
        TLanes s20 = Start<TStore, TLanes>(ref w2, 0), s21 = Start<TStore, TLanes>(ref w2, h);
        TLanes s30 = Start<TStore, TLanes>(ref w3, 0), s31 = Start<TStore, TLanes>(ref w3, h);
        TLanes s40 = Start<TStore, TLanes>(ref w4, 0), s41 = Start<TStore, TLanes>(ref w4, h);
        TLanes s50 = Start<TStore, TLanes>(ref w5, 0), s51 = Start<TStore, TLanes>(ref w5, h);
        ref float xr = ref x;
        ref float dr = ref d;
        for (int r = 0; r < rows; r++)
        {
            TLanes x0 = TLanes.Load(ref xr, 0), x1 = TLanes.Load(ref xr, (nuint)h);
            TLanes e = TLanes.Create(dr);
            s00 = TLanes.MultiplyAdd(e, x0, s00);
            s01 = TLanes.MultiplyAdd(e, x1, s01);
            e = TLanes.Create(Unsafe.Add(ref dr, 1));
            s10 = TLanes.MultiplyAdd(e, x0, s10);
            s11 = TLanes.MultiplyAdd(e, x1, s11);
            e = TLanes.Create(Unsafe.Add(ref dr, 2));
            s20 = TLanes.MultiplyAdd(e, x0, s20);
            s21 = TLanes.MultiplyAdd(e, x1, s21);
            e = TLanes.Create(Unsafe.Add(ref dr, 3));
            s30 = TLanes.MultiplyAdd(e, x0, s30);
            s31 = TLanes.MultiplyAdd(e, x1, s31);
            e = TLanes.Create(Unsafe.Add(ref dr, 4));
            s40 = TLanes.MultiplyAdd(e, x0, s40);
            s41 = TLanes.MultiplyAdd(e, x1, s41);
            e = TLanes.Create(Unsafe.Add(ref dr, 5));
            s50 = TLanes.MultiplyAdd(e, x0, s50);
            s51 = TLanes.MultiplyAdd(e, x1, s51);
            xr = ref Unsafe.Add(ref xr, inputCount);
            dr = ref Unsafe.Add(ref dr, WideBlock);
        }

        StoreSum<TStore, TLanes>(s00, ref w0, 0);
        StoreSum<TStore, TLanes>(s01, ref w0, h);
        StoreSum<TStore, TLanes>(s10, ref w1, 0);
        StoreSum<TStore, TLanes>(s11, ref w1, h);
        StoreSum<TStore, TLanes>(s20, ref w2, 0);
        StoreSum<TStore, TLanes>(s21, ref w2, h);
        StoreSum<TStore, TLanes>(s30, ref w3, 0);
        StoreSum<TStore, TLanes>(s31, ref w3, h);
        StoreSum<TStore, TLanes>(s40, ref w4, 0);
        StoreSum<TStore, TLanes>(s41, ref w4, h);
        StoreSum<TStore, TLanes>(s50, ref w5, 0);
        StoreSum<TStore, TLanes>(s51, ref w5, h);
    }

    /// <summary>dW[u..u+3, i..] (rows inputCount apart) += the products of n rows: <see cref="WeightChunk6x2"/> for 4 units, δ packed 4 a row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightChunk4x2<TStore, TLanes>(ref float w0, ref float d, ref float x, int rows, int inputCount)
        where TStore : struct
        where TLanes : struct, IGradientLanes<TLanes, float>
    {
        int h = TLanes.Count;
        ref float w1 = ref Unsafe.Add(ref w0, inputCount);
        ref float w2 = ref Unsafe.Add(ref w1, inputCount);
        ref float w3 = ref Unsafe.Add(ref w2, inputCount);
        TLanes s00 = Start<TStore, TLanes>(ref w0, 0), s01 = Start<TStore, TLanes>(ref w0, h);
        TLanes s10 = Start<TStore, TLanes>(ref w1, 0), s11 = Start<TStore, TLanes>(ref w1, h);
        TLanes s20 = Start<TStore, TLanes>(ref w2, 0), s21 = Start<TStore, TLanes>(ref w2, h);
        TLanes s30 = Start<TStore, TLanes>(ref w3, 0), s31 = Start<TStore, TLanes>(ref w3, h);
        ref float xr = ref x;
        ref float dr = ref d;
        for (int r = 0; r < rows; r++)
        {
            TLanes x0 = TLanes.Load(ref xr, 0), x1 = TLanes.Load(ref xr, (nuint)h);
            TLanes e = TLanes.Create(dr);
            s00 = TLanes.MultiplyAdd(e, x0, s00);
            s01 = TLanes.MultiplyAdd(e, x1, s01);
            e = TLanes.Create(Unsafe.Add(ref dr, 1));
            s10 = TLanes.MultiplyAdd(e, x0, s10);
            s11 = TLanes.MultiplyAdd(e, x1, s11);
            e = TLanes.Create(Unsafe.Add(ref dr, 2));
            s20 = TLanes.MultiplyAdd(e, x0, s20);
            s21 = TLanes.MultiplyAdd(e, x1, s21);
            e = TLanes.Create(Unsafe.Add(ref dr, 3));
            s30 = TLanes.MultiplyAdd(e, x0, s30);
            s31 = TLanes.MultiplyAdd(e, x1, s31);
            xr = ref Unsafe.Add(ref xr, inputCount);
            dr = ref Unsafe.Add(ref dr, 4);
        }

        StoreSum<TStore, TLanes>(s00, ref w0, 0);
        StoreSum<TStore, TLanes>(s01, ref w0, h);
        StoreSum<TStore, TLanes>(s10, ref w1, 0);
        StoreSum<TStore, TLanes>(s11, ref w1, h);
        StoreSum<TStore, TLanes>(s20, ref w2, 0);
        StoreSum<TStore, TLanes>(s21, ref w2, h);
        StoreSum<TStore, TLanes>(s30, ref w3, 0);
        StoreSum<TStore, TLanes>(s31, ref w3, h);
    }

    /// <summary>One unit's weight-gradient row (the units after the last block of 4): δ d, rows units apart.</summary>
    private static void WeightRowFused<TStore>(ref float w, ref float d, ref float x, int rows, int units, int inputCount)
        where TStore : struct
    {
        bool fromZero = typeof(TStore) != typeof(Chains), addsChunk = typeof(TStore) == typeof(AddsAtStore);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            i = WeightRowChunks<TStore, Lanes512<float>>(ref w, ref d, ref x, rows, units, inputCount, i);
        }

        i = WeightRowChunks<TStore, Lanes256>(ref w, ref d, ref x, rows, units, inputCount, i);
        for (; i < inputCount; i++)
        {
            ref float value = ref Unsafe.Add(ref w, i);
            float s = fromZero ? 0f : value;
            for (int r = 0; r < rows; r++)
            {
                s = MathF.FusedMultiplyAdd(Unsafe.Add(ref d, r * units), Unsafe.Add(ref x, (r * inputCount) + i), s);
            }

            value = addsChunk ? value + s : s;
        }
    }

    /// <summary>The chunks of <see cref="WeightRowFused"/> from input i, 2 x <typeparamref name="TLanes"/> inputs each; returns the first input left.</summary>
    private static int WeightRowChunks<TStore, TLanes>(ref float w, ref float d, ref float x, int rows, int units, int inputCount, int i)
        where TStore : struct
        where TLanes : struct, IGradientLanes<TLanes, float>
    {
        int h = TLanes.Count;
        for (; i <= inputCount - (2 * h); i += 2 * h)
        {
            TLanes s0 = Start<TStore, TLanes>(ref w, i), s1 = Start<TStore, TLanes>(ref w, i + h);
            ref float xr = ref Unsafe.Add(ref x, i);
            ref float dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                TLanes e = TLanes.Create(dr);
                s0 = TLanes.MultiplyAdd(e, TLanes.Load(ref xr, 0), s0);
                s1 = TLanes.MultiplyAdd(e, TLanes.Load(ref xr, (nuint)h), s1);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            StoreSum<TStore, TLanes>(s0, ref w, i);
            StoreSum<TStore, TLanes>(s1, ref w, i + h);
        }

        return i;
    }

    /// <summary>A weight-gradient sum's start: the stored values at w + at, or zeros for a chunk started or added at the store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TLanes Start<TStore, TLanes>(ref float w, int at)
        where TStore : struct
        where TLanes : struct, IGradientLanes<TLanes, float> =>
        typeof(TStore) == typeof(Chains) ? TLanes.Load(ref w, (nuint)at) : TLanes.Zero;

    /// <summary>Stores a weight-gradient sum at w + at: the sum, or for a chunk added at the store the stored values plus the sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSum<TStore, TLanes>(TLanes sum, ref float w, int at)
        where TStore : struct
        where TLanes : struct, IGradientLanes<TLanes, float>
    {
        if (typeof(TStore) == typeof(AddsAtStore))
        {
            sum = TLanes.Add(TLanes.Load(ref w, (nuint)at), sum);
        }

        TLanes.Store(sum, ref w, (nuint)at);
    }

    /// <summary>The weight gradient's sums continue each stored value's chain: dW += δᵀ X.</summary>
    private struct Chains
    {
    }

    /// <summary>The weight gradient's sums start from zero and are added to the stored values (<see cref="AddsChunk"/>).</summary>
    private struct AddsAtStore
    {
    }

    /// <summary>The weight gradient's sums start from zero and are stored over the values found (<see cref="StartsChunk"/>).</summary>
    private struct StartsAtStore
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

        // Chunks of 2 x 16 columns where the CPU runs 512-bit vectors, then of 2 x 8, then single columns: each value is
        // the same chain whichever takes it.
        int i0 = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            i0 = InputChunks<Lanes512<float>>(ref gIn, ref d, ref w, rows, units, inputCount, i0);
        }

        i0 = InputChunks<Lanes256>(ref gIn, ref d, ref w, rows, units, inputCount, i0);
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

    /// <summary>
    /// The columns of gIn from i0 in chunks of 2 x <typeparamref name="TLanes"/>: inputs outer, so that a chunk of W's
    /// columns stays in L1 while every block of rows reads it; returns the first column left.
    /// </summary>
    private static int InputChunks<TLanes>(ref float gIn, ref float d, ref float w, int rows, int units, int inputCount, int i0)
        where TLanes : struct, IGradientLanes<TLanes, float>
    {
        // Blocks of 6 rows, then of 4: 2 or 3 rows left after the 6-row blocks take one 6-row block with them as two
        // 4-row blocks (a 32-row tile: 4 x 6 + 2 x 4), since a single row keeps only 2 sums in flight.
        int six = rows - (rows % WideBlock);
        if (rows % WideBlock is 2 or 3 && six >= WideBlock)
        {
            six -= WideBlock;
        }

        int h = TLanes.Count;
        for (; i0 <= inputCount - (2 * h); i0 += 2 * h)
        {
            int r = 0;
            for (; r < six; r += WideBlock)
            {
                InputChunk6x2<TLanes>(ref Unsafe.Add(ref gIn, (r * inputCount) + i0), ref Unsafe.Add(ref d, r * units), ref Unsafe.Add(ref w, i0), units, inputCount);
            }

            for (; r <= rows - 4; r += 4)
            {
                InputChunk4x2<TLanes>(ref Unsafe.Add(ref gIn, (r * inputCount) + i0), ref Unsafe.Add(ref d, r * units), ref Unsafe.Add(ref w, i0), units, inputCount);
            }

            for (; r < rows; r++)
            {
                ref float dr = ref Unsafe.Add(ref d, r * units);
                ref float wu = ref Unsafe.Add(ref w, i0);
                TLanes s0 = TLanes.Zero, s1 = TLanes.Zero;
                for (int u = 0; u < units; u++)
                {
                    TLanes e = TLanes.Create(Unsafe.Add(ref dr, u));
                    s0 = TLanes.MultiplyAdd(e, TLanes.Load(ref wu, 0), s0);
                    s1 = TLanes.MultiplyAdd(e, TLanes.Load(ref wu, (nuint)h), s1);
                    wu = ref Unsafe.Add(ref wu, inputCount);
                }

                TLanes.Store(s0, ref gIn, (nuint)((r * inputCount) + i0));
                TLanes.Store(s1, ref gIn, (nuint)((r * inputCount) + i0 + h));
            }
        }

        return i0;
    }

    /// <summary>gIn[r..r+3, i..] (rows inputCount apart) = Σ_u δ[r, u] W[u, i..]: <see cref="InputChunk6x2"/> for 4 rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputChunk4x2<TLanes>(ref float g0, ref float d0, ref float w, int units, int inputCount)
        where TLanes : struct, IGradientLanes<TLanes, float>
    {
        int h = TLanes.Count;
        ref float d1 = ref Unsafe.Add(ref d0, units);
        ref float d2 = ref Unsafe.Add(ref d1, units);
        ref float d3 = ref Unsafe.Add(ref d2, units);
        TLanes s00 = TLanes.Zero, s01 = TLanes.Zero, s10 = TLanes.Zero, s11 = TLanes.Zero;
        TLanes s20 = TLanes.Zero, s21 = TLanes.Zero, s30 = TLanes.Zero, s31 = TLanes.Zero;
        ref float wu = ref w;
        for (int u = 0; u < units; u++)
        {
            TLanes w0 = TLanes.Load(ref wu, 0), w1 = TLanes.Load(ref wu, (nuint)h);
            TLanes e = TLanes.Create(Unsafe.Add(ref d0, u));
            s00 = TLanes.MultiplyAdd(e, w0, s00);
            s01 = TLanes.MultiplyAdd(e, w1, s01);
            e = TLanes.Create(Unsafe.Add(ref d1, u));
            s10 = TLanes.MultiplyAdd(e, w0, s10);
            s11 = TLanes.MultiplyAdd(e, w1, s11);
            e = TLanes.Create(Unsafe.Add(ref d2, u));
            s20 = TLanes.MultiplyAdd(e, w0, s20);
            s21 = TLanes.MultiplyAdd(e, w1, s21);
            e = TLanes.Create(Unsafe.Add(ref d3, u));
            s30 = TLanes.MultiplyAdd(e, w0, s30);
            s31 = TLanes.MultiplyAdd(e, w1, s31);
            wu = ref Unsafe.Add(ref wu, inputCount);
        }

        ref float g1 = ref Unsafe.Add(ref g0, inputCount);
        ref float g2 = ref Unsafe.Add(ref g1, inputCount);
        ref float g3 = ref Unsafe.Add(ref g2, inputCount);
        TLanes.Store(s00, ref g0, 0);
        TLanes.Store(s01, ref g0, (nuint)h);
        TLanes.Store(s10, ref g1, 0);
        TLanes.Store(s11, ref g1, (nuint)h);
        TLanes.Store(s20, ref g2, 0);
        TLanes.Store(s21, ref g2, (nuint)h);
        TLanes.Store(s30, ref g3, 0);
        TLanes.Store(s31, ref g3, (nuint)h);
    }

    /// <summary>gIn[r..r+5, i..] (rows inputCount apart) = Σ_u δ[r, u] W[u, i..] over 2 x <typeparamref name="TLanes"/> columns: δ rows units apart, W rows inputCount apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputChunk6x2<TLanes>(ref float g0, ref float d0, ref float w, int units, int inputCount)
        where TLanes : struct, IGradientLanes<TLanes, float>
    {
        int h = TLanes.Count;
        ref float d1 = ref Unsafe.Add(ref d0, units);
        ref float d2 = ref Unsafe.Add(ref d1, units);
        ref float d3 = ref Unsafe.Add(ref d2, units);
        ref float d4 = ref Unsafe.Add(ref d3, units);
        ref float d5 = ref Unsafe.Add(ref d4, units);
        TLanes s00 = TLanes.Zero, s01 = TLanes.Zero, s10 = TLanes.Zero, s11 = TLanes.Zero;
        TLanes s20 = TLanes.Zero, s21 = TLanes.Zero, s30 = TLanes.Zero, s31 = TLanes.Zero;
        TLanes s40 = TLanes.Zero, s41 = TLanes.Zero, s50 = TLanes.Zero, s51 = TLanes.Zero;
        ref float wu = ref w;
        for (int u = 0; u < units; u++)
        {
            TLanes w0 = TLanes.Load(ref wu, 0), w1 = TLanes.Load(ref wu, (nuint)h);
            TLanes e = TLanes.Create(Unsafe.Add(ref d0, u));
            s00 = TLanes.MultiplyAdd(e, w0, s00);
            s01 = TLanes.MultiplyAdd(e, w1, s01);
            e = TLanes.Create(Unsafe.Add(ref d1, u));
            s10 = TLanes.MultiplyAdd(e, w0, s10);
            s11 = TLanes.MultiplyAdd(e, w1, s11);
            e = TLanes.Create(Unsafe.Add(ref d2, u));
            s20 = TLanes.MultiplyAdd(e, w0, s20);
            s21 = TLanes.MultiplyAdd(e, w1, s21);
            e = TLanes.Create(Unsafe.Add(ref d3, u));
            s30 = TLanes.MultiplyAdd(e, w0, s30);
            s31 = TLanes.MultiplyAdd(e, w1, s31);
            e = TLanes.Create(Unsafe.Add(ref d4, u));
            s40 = TLanes.MultiplyAdd(e, w0, s40);
            s41 = TLanes.MultiplyAdd(e, w1, s41);
            e = TLanes.Create(Unsafe.Add(ref d5, u));
            s50 = TLanes.MultiplyAdd(e, w0, s50);
            s51 = TLanes.MultiplyAdd(e, w1, s51);
            wu = ref Unsafe.Add(ref wu, inputCount);
        }

        ref float g1 = ref Unsafe.Add(ref g0, inputCount);
        ref float g2 = ref Unsafe.Add(ref g1, inputCount);
        ref float g3 = ref Unsafe.Add(ref g2, inputCount);
        ref float g4 = ref Unsafe.Add(ref g3, inputCount);
        ref float g5 = ref Unsafe.Add(ref g4, inputCount);
        TLanes.Store(s00, ref g0, 0);
        TLanes.Store(s01, ref g0, (nuint)h);
        TLanes.Store(s10, ref g1, 0);
        TLanes.Store(s11, ref g1, (nuint)h);
        TLanes.Store(s20, ref g2, 0);
        TLanes.Store(s21, ref g2, (nuint)h);
        TLanes.Store(s30, ref g3, 0);
        TLanes.Store(s31, ref g3, (nuint)h);
        TLanes.Store(s40, ref g4, 0);
        TLanes.Store(s41, ref g4, (nuint)h);
        TLanes.Store(s50, ref g5, 0);
        TLanes.Store(s51, ref g5, (nuint)h);
    }
}
