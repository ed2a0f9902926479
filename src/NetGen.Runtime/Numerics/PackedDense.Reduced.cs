using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

// Reduced-precision weights for inference ([Network(WeightPrecision = ...)], docs/performance.md "Reduced-precision
// weights"): the packed copy of a float layer with its weights in bfloat16, the products and sums in float. (int8,
// with integer sums, is PackedDense.Int8.cs.)
public static partial class PackedDense
{
    /// <summary>
    /// Values (floats) a layer takes packed with bfloat16 weights: per panel of 16 units a float bias row, then per
    /// input 8 32-bit values that hold the 16 units' weights in 2 bytes each: value j's low half is unit j's bfloat16
    /// (a shift widens it), and the whole value is unit 8 + j's weight (read as it is: the float nearest the weight
    /// whose low 16 bits are unit j's bfloat16, <see cref="WithLowBits"/>), so one 32-byte load and one shift give
    /// the two float vectors of the 16 units.
    /// </summary>
    public static long PackedLengthBFloat16(int inputs, int units) => ((units + 15L) / 16) * (16 + (8L * inputs));

    /// <summary>
    /// bfloat16 of <paramref name="value"/>: its upper 16 bits after rounding to nearest, ties to even (the bits below
    /// are dropped by the rounding, not truncated); NaN stays a quiet NaN, values past bfloat16's largest finite value
    /// round to infinity.
    /// </summary>
    public static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    /// <summary>The float a bfloat16 stands for (exact: its bits followed by 16 zero bits).</summary>
    public static float FromBFloat16(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);

    /// <summary>
    /// The float nearest <paramref name="value"/> whose low 16 bits are <paramref name="low"/>, as bits: the weight of a
    /// panel's unit 8 + j, whose low bits hold unit j's bfloat16. Those floats lie 2^16 bit patterns apart, one
    /// bfloat16 step, and share their exponent with the bfloat16 of the same upper bits, so the nearest is off by at
    /// most half a bfloat16 step, as rounding to bfloat16 is (ties go to the even upper half). Only zero and normal
    /// floats are chosen (no subnormal weight reaches the multiply-adds): a weight of 0 becomes ±2^-126 × (1 + low ×
    /// 2^-23) unless <paramref name="low"/> is 0. NaN stays a quiet NaN; an infinity becomes the largest finite float with
    /// these low bits (about ±3.4e38; still infinity when <paramref name="low"/> is 0).
    /// </summary>
    internal static uint WithLowBits(float value, ushort low)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value), sign = bits & 0x8000_0000u;
        if (float.IsNaN(value))
        {
            return sign | 0x7FC0_0000u | low;
        }

        if (float.IsInfinity(value))
        {
            return low == 0 ? bits : sign | 0x7F7F_0000u | low;
        }

        // Candidates: the same upper half as the value and its two neighbours (magnitudes), and the smallest normal
        // magnitude (the nearest normal float to a zero or subnormal value); zero itself only when low is 0.
        int upper = (int)((bits >> 16) & 0x7FFF);
        uint best = 0;
        double bestError = double.PositiveInfinity;
        foreach (int candidate in stackalloc int[] { upper - 1, upper, upper + 1, 0x0080 })
        {
            if (candidate > 0x7F7F || (candidate < 0x0080 && !(candidate == 0 && low == 0)))
            {
                continue;
            }

            uint pattern = sign | ((uint)candidate << 16) | low;
            double error = Math.Abs((double)BitConverter.UInt32BitsToSingle(pattern) - value);
            if (error < bestError || (error == bestError && (candidate & 1) == 0))
            {
                best = pattern;
                bestError = error;
            }
        }

        return best;
    }

    /// <summary>
    /// Packs a float layer (PyTorch's [units, inputs] weights, bias or empty) with bfloat16 weights into
    /// <paramref name="packed"/>, <see cref="PackedLengthBFloat16"/> values: units 0-7 of each panel rounded to
    /// bfloat16 (<see cref="ToBFloat16"/>), units 8-15 to the float nearest them with the low bits that leaves
    /// (<see cref="WithLowBits"/>); the units past the last are weights of 0. The bias stays float.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void PackBFloat16(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int inputs, int units, Span<float> packed)
    {
        CheckReduced(weights, bias, inputs, units, packed.Length, PackedLengthBFloat16(inputs, units));
        int block = 16 + (8 * inputs);
        packed.Clear();
        Span<uint> bits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, uint>(packed);
        for (int first = 0; first < units; first += 16)
        {
            int panel = (first / 16) * block;
            for (int lane = 0; lane < 16 && first + lane < units; lane++)
            {
                packed[panel + lane] = bias.Length != 0 ? bias[first + lane] : 0;
            }

            for (int slot = 0; slot < 8; slot++)
            {
                int low = first + slot, high = low + 8;
                for (int i = 0; i < inputs; i++)
                {
                    ushort half = low < units ? ToBFloat16(weights[(low * inputs) + i]) : (ushort)0;
                    bits[panel + 16 + (8 * i) + slot] = WithLowBits(high < units ? weights[(high * inputs) + i] : 0, half);
                }
            }
        }
    }

    private static void CheckReduced(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int inputs, int units, int packedLength, long expected)
    {
        if (inputs < 1 || units < 1 || weights.Length != (long)inputs * units || (bias.Length != 0 && bias.Length != units)
            || packedLength != expected)
        {
            throw new ArgumentException("The weights, bias or packed span does not match the layer's size.");
        }
    }

    /// <summary>
    /// y = f(W x + b) for <paramref name="rows"/> rows from a copy packed by <see cref="PackBFloat16"/>: each
    /// accumulator starts at the bias and adds w x for input 0, 1, 2, ... in order (fused), the bfloat16 weights widened
    /// to float exactly. One row gives the same bits alone and in a batch, and every width the same bits. Nothing is checked.
    /// </summary>
    public static void ForwardBFloat16<TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, int rows, TActivation activation)
        where TActivation : struct, IVectorActivation<float>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Reduced512<BFloat16Rows, TActivation>(ref packed, inputs, units, ref x, ref y, rows, activation);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Reduced256<BFloat16Rows, TActivation>(ref packed, inputs, units, ref x, ref y, rows, activation);
        }
        else
        {
            Reduced128<BFloat16Rows, TActivation>(ref packed, inputs, units, ref x, ref y, rows, activation);
        }
    }

    /// <summary>How a reduced panel's input rows decode into float vectors, and how its accumulators start.</summary>
    internal interface IReducedRows
    {
        /// <summary>Floats before the first input row (the bias).</summary>
        static abstract int Head { get; }

        /// <summary>Floats per input row.</summary>
        static abstract int Row { get; }

        /// <summary>Units 0-7 of the input row at <paramref name="row"/>.</summary>
        static abstract Vector256<float> Low(ref float row);

        /// <summary>Units 8-15 of the input row at <paramref name="row"/>.</summary>
        static abstract Vector256<float> High(ref float row);

        /// <summary>
        /// The 32-bit values of two panels' input rows, <paramref name="row"/> and the one <paramref name="block"/> floats
        /// after it, as one vector: lanes 0-7 the first panel's, 8-15 the second's (a 32-byte load and a 32-byte insert).
        /// </summary>
        static abstract Vector512<float> Pair(ref float row, int block);

        /// <summary>Units 0-7 of the two panels of a <see cref="Pair"/> (lanes 0-7 the first panel's, 8-15 the second's).</summary>
        static abstract Vector512<float> Low(Vector512<float> pair);

        /// <summary>Units 8-15 of the two panels of a <see cref="Pair"/>.</summary>
        static abstract Vector512<float> High(Vector512<float> pair);

        /// <summary>Units 0-3, 4-7, 8-11 and 12-15 of the input row at <paramref name="row"/>.</summary>
        static abstract (Vector128<float> A, Vector128<float> B, Vector128<float> C, Vector128<float> D) Decode128(ref float row);

        /// <summary>The accumulator of the 8 (or 4) units from <paramref name="unit"/> before the first input.</summary>
        static abstract Vector256<float> Start(ref float panel, int unit);

        /// <inheritdoc cref="Start(ref float, int)"/>
        static abstract Vector128<float> Start128(ref float panel, int unit);

        /// <summary>
        /// The accumulator of the 8 units from <paramref name="unit"/> of the panel at <paramref name="panel"/> (lanes 0-7)
        /// and of the panel <paramref name="block"/> floats after it (lanes 8-15), before the first input.
        /// </summary>
        static abstract Vector512<float> Start512(ref float panel, int unit, int block);

        /// <summary>
        /// Writes the panel as a float panel of <see cref="PackedDense"/>'s layout (<paramref name="inputs"/> + 1 rows of
        /// 16): the accumulators' start (<see cref="Start"/>), then each input's 16 weights widened exactly.
        /// </summary>
        static abstract void Decode(ref float panel, int inputs, ref float target);
    }

    /// <summary>bfloat16 rows: 8 values hold 16 weights; accumulators start at the bias.</summary>
    internal readonly struct BFloat16Rows : IReducedRows
    {
        public static int Head => 16;

        public static int Row => 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Low(ref float row) => Vector256.ShiftLeft(Vector256.LoadUnsafe(ref Unsafe.As<float, uint>(ref row)), 16).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> High(ref float row) => Vector256.LoadUnsafe(ref row);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Pair(ref float row, int block)
        {
            // Avx512F.InsertVector256 of a load compiles to one vinsertf32x8 with a memory operand; Vector512.Create of two
            // loads to two loads and two inserts (.NET 10.0.12, docs/performance.md "bfloat16 at 512 bits").
            Vector256<float> second = Vector256.LoadUnsafe(ref row, (nuint)block);
            return Avx512F.IsSupported
                ? Avx512F.InsertVector256(Vector256.LoadUnsafe(ref row).ToVector512Unsafe(), second, 1)
                : Vector512.Create(Vector256.LoadUnsafe(ref row), second);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Low(Vector512<float> pair) => Vector512.ShiftLeft(pair.AsUInt32(), 16).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> High(Vector512<float> pair) => pair;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Vector128<float> A, Vector128<float> B, Vector128<float> C, Vector128<float> D) Decode128(ref float row)
        {
            Vector128<uint> first = Vector128.LoadUnsafe(ref Unsafe.As<float, uint>(ref row));
            Vector128<uint> second = Vector128.LoadUnsafe(ref Unsafe.As<float, uint>(ref row), 4);
            return (Vector128.ShiftLeft(first, 16).AsSingle(), Vector128.ShiftLeft(second, 16).AsSingle(), first.AsSingle(), second.AsSingle());
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Start(ref float panel, int unit) => Vector256.LoadUnsafe(ref panel, (nuint)unit);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Start128(ref float panel, int unit) => Vector128.LoadUnsafe(ref panel, (nuint)unit);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Start512(ref float panel, int unit, int block) => Pair(ref Unsafe.Add(ref panel, unit), block);

        public static void Decode(ref float panel, int inputs, ref float target)
        {
            Vector256.LoadUnsafe(ref panel).StoreUnsafe(ref target);
            Vector256.LoadUnsafe(ref panel, 8).StoreUnsafe(ref target, 8);
            ref float w = ref Unsafe.Add(ref panel, Head);
            for (int i = 0; i < inputs; i++)
            {
                ref float row = ref Unsafe.Add(ref w, i * Row);
                ref float to = ref Unsafe.Add(ref target, 16 + (16 * i));
                Low(ref row).StoreUnsafe(ref to);
                High(ref row).StoreUnsafe(ref to, 8);
            }
        }
    }

    /// <summary>Rows from which <see cref="Reduced256"/> widens each panel to float once and runs the float tiles over it.</summary>
    internal const int DecodedRows = 12;

    /// <summary>Each thread's float panel for <see cref="ReducedDecoded"/>, grown to the widest layer on first use.</summary>
    [ThreadStatic]
    private static float[]? t_decodedPanel;

    /// <summary>
    /// A reduced layer with Vector256: from <see cref="DecodedRows"/> rows each panel widened to float once and the
    /// float tiles run over it (<see cref="ReducedDecoded"/>); below that tiles of 4 rows x 1 panel (8 accumulators,
    /// leaving registers for the decoding) with the panels outer; rows left over one at a time over groups of 4 panels
    /// (8 accumulators, four weight streams), then single panels (<see cref="ReducedRow"/>; a one-row call alternates
    /// the panel order over a large layer). Every path gives the same bits.
    /// </summary>
    internal static void Reduced256<TRows, TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, int rows, TActivation activation)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        if (rows == 1)
        {
            ReducedRow<TRows, TActivation>(ref packed, inputs, units, ref x, ref y, activation, alternate: true);
            return;
        }

        int tiled;
        if (rows >= DecodedRows)
        {
            tiled = ReducedDecoded<TRows, TActivation>(ref packed, inputs, units, ref x, ref y, rows, activation);
        }
        else
        {
            tiled = rows - (rows % 4);
            ReducedTiles<TRows, TActivation>(ref packed, inputs, units, ref x, ref y, tiled, activation);
        }

        for (int r = tiled; r < rows; r++)
        {
            ReducedRow<TRows, TActivation>(ref packed, inputs, units, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, r * units), activation, alternate: false);
        }
    }

    /// <summary>
    /// One row over groups of 4 panels, then single panels. If <paramref name="alternate"/> (a one-row call), a layer of
    /// more than <see cref="AlternateBytes"/> takes the same groups last to first on every other call of the thread
    /// (<see cref="Backwards"/>): bfloat16's 784 -> 256 (402 KB) nearly fills the 512 KB L2, and read in one order
    /// every call, what did not stay from the last call is what this call reads first. Each panel's outputs come from
    /// the same operations in either order, so the bits do not change.
    /// </summary>
    private static void ReducedRow<TRows, TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, TActivation activation, bool alternate)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        int block = TRows.Head + (TRows.Row * inputs), panels = (units + 15) / 16, grouped = panels - (panels % 4);
        if (alternate && Backwards((long)panels * block * sizeof(float)))
        {
            for (int p = panels - 1; p >= grouped; p--)
            {
                ReducedR1P1<TRows, TActivation>(ref Unsafe.Add(ref packed, p * block), inputs, ref x, ref Unsafe.Add(ref y, p * 16), units - (p * 16), activation);
            }

            for (int p = grouped - 4; p >= 0; p -= 4)
            {
                ReducedR1P4<TRows, TActivation>(ref Unsafe.Add(ref packed, p * block), block, inputs, ref x, ref Unsafe.Add(ref y, p * 16), units - (p * 16), activation);
            }

            return;
        }

        for (int p = 0; p < grouped; p += 4)
        {
            ReducedR1P4<TRows, TActivation>(ref Unsafe.Add(ref packed, p * block), block, inputs, ref x, ref Unsafe.Add(ref y, p * 16), units - (p * 16), activation);
        }

        for (int p = grouped; p < panels; p++)
        {
            ReducedR1P1<TRows, TActivation>(ref Unsafe.Add(ref packed, p * block), inputs, ref x, ref Unsafe.Add(ref y, p * 16), units - (p * 16), activation);
        }
    }

    /// <summary>
    /// A reduced layer with Vector512 over the same panels of 16 units: one row (alone, or each row a batch leaves over)
    /// over groups of 8 panels whose input rows are loaded in pairs, one 512-bit vector per two panels (8 accumulators,
    /// four 64-byte streams of weights; <see cref="ReducedRow512"/>); batches as <see cref="Reduced256"/> runs them.
    /// The same operations per output as the other widths, so the same bits.
    /// </summary>
    internal static void Reduced512<TRows, TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, int rows, TActivation activation)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        if (rows == 1)
        {
            ReducedRow512<TRows, TActivation>(ref packed, inputs, units, ref x, ref y, activation, alternate: true);
            return;
        }

        int tiled;
        if (rows >= DecodedRows)
        {
            tiled = ReducedDecoded<TRows, TActivation>(ref packed, inputs, units, ref x, ref y, rows, activation);
        }
        else
        {
            tiled = rows - (rows % 4);
            ReducedTiles<TRows, TActivation>(ref packed, inputs, units, ref x, ref y, tiled, activation);
        }

        for (int r = tiled; r < rows; r++)
        {
            ReducedRow512<TRows, TActivation>(ref packed, inputs, units, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, r * units), activation, alternate: false);
        }
    }

    /// <summary>
    /// One row with Vector512: groups of 8 panels (<see cref="ReducedR1P8"/>), then the panels left over as
    /// <see cref="ReducedRow"/> takes them (groups of 4, single panels; 256-bit). If <paramref name="alternate"/>, a layer
    /// of more than <see cref="AlternateBytes"/> is read last to first on every other call, as there.
    /// </summary>
    private static void ReducedRow512<TRows, TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, TActivation activation, bool alternate)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        int block = TRows.Head + (TRows.Row * inputs), panels = (units + 15) / 16, wide = panels - (panels % 8);
        int grouped = wide + ((panels - wide) & ~3);
        if (alternate && Backwards((long)panels * block * sizeof(float)))
        {
            for (int p = panels - 1; p >= grouped; p--)
            {
                ReducedR1P1<TRows, TActivation>(ref Unsafe.Add(ref packed, p * block), inputs, ref x, ref Unsafe.Add(ref y, p * 16), units - (p * 16), activation);
            }

            if (grouped > wide)
            {
                ReducedR1P4<TRows, TActivation>(ref Unsafe.Add(ref packed, wide * block), block, inputs, ref x, ref Unsafe.Add(ref y, wide * 16), units - (wide * 16), activation);
            }

            for (int p = wide - 8; p >= 0; p -= 8)
            {
                ReducedR1P8<TRows, TActivation>(ref Unsafe.Add(ref packed, p * block), block, inputs, ref x, ref Unsafe.Add(ref y, p * 16), units - (p * 16), activation);
            }

            return;
        }

        for (int p = 0; p < wide; p += 8)
        {
            ReducedR1P8<TRows, TActivation>(ref Unsafe.Add(ref packed, p * block), block, inputs, ref x, ref Unsafe.Add(ref y, p * 16), units - (p * 16), activation);
        }

        if (grouped > wide)
        {
            ReducedR1P4<TRows, TActivation>(ref Unsafe.Add(ref packed, wide * block), block, inputs, ref x, ref Unsafe.Add(ref y, wide * 16), units - (wide * 16), activation);
        }

        for (int p = grouped; p < panels; p++)
        {
            ReducedR1P1<TRows, TActivation>(ref Unsafe.Add(ref packed, p * block), inputs, ref x, ref Unsafe.Add(ref y, p * 16), units - (p * 16), activation);
        }
    }

    /// <summary>
    /// One row over 8 panels with Vector512: panels 2k and 2k + 1 share two accumulators (<see cref="IReducedRows.Pair"/>:
    /// lanes 0-7 the first panel's, 8-15 the second's), so each input takes 4 pair loads, 4 shifts and 8 multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReducedR1P8<TRows, TActivation>(ref float packed, int block, int inputs, ref float x, ref float y, int left, TActivation activation)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        int twice = 2 * block;
        ref float p0 = ref packed, p2 = ref Unsafe.Add(ref p0, twice), p4 = ref Unsafe.Add(ref p2, twice), p6 = ref Unsafe.Add(ref p4, twice);
        Vector512<float> a00 = TRows.Start512(ref p0, 0, block), a01 = TRows.Start512(ref p0, 8, block), a10 = TRows.Start512(ref p2, 0, block), a11 = TRows.Start512(ref p2, 8, block);
        Vector512<float> a20 = TRows.Start512(ref p4, 0, block), a21 = TRows.Start512(ref p4, 8, block), a30 = TRows.Start512(ref p6, 0, block), a31 = TRows.Start512(ref p6, 8, block);
        ref float w0 = ref Unsafe.Add(ref p0, TRows.Head), w2 = ref Unsafe.Add(ref p2, TRows.Head);
        ref float w4 = ref Unsafe.Add(ref p4, TRows.Head), w6 = ref Unsafe.Add(ref p6, TRows.Head);
        for (int i = 0; i < inputs; i++)
        {
            Vector512<float> v = Vector512.Create(Unsafe.Add(ref x, i));
            int o = i * TRows.Row;
            Vector512<float> r0 = TRows.Pair(ref Unsafe.Add(ref w0, o), block), r1 = TRows.Pair(ref Unsafe.Add(ref w2, o), block);
            Vector512<float> r2 = TRows.Pair(ref Unsafe.Add(ref w4, o), block), r3 = TRows.Pair(ref Unsafe.Add(ref w6, o), block);
            a00 = MulAdd(v, TRows.Low(r0), a00);
            a01 = MulAdd(v, TRows.High(r0), a01);
            a10 = MulAdd(v, TRows.Low(r1), a10);
            a11 = MulAdd(v, TRows.High(r1), a11);
            a20 = MulAdd(v, TRows.Low(r2), a20);
            a21 = MulAdd(v, TRows.High(r2), a21);
            a30 = MulAdd(v, TRows.Low(r3), a30);
            a31 = MulAdd(v, TRows.High(r3), a31);
        }

        StorePair(a00, a01, ref y, left);
        StorePair(a10, a11, ref Unsafe.Add(ref y, 32), left - 32);
        StorePair(a20, a21, ref Unsafe.Add(ref y, 64), left - 64);
        StorePair(a30, a31, ref Unsafe.Add(ref y, 96), left - 96);
        Activate(ref y, 0, 1, 128, left, activation);
    }

    /// <summary>Stores the real units of two panels' accumulators of one row (<see cref="IReducedRows.Pair"/>'s lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair(Vector512<float> low, Vector512<float> high, ref float y, int left)
    {
        Store(low.GetLower(), ref y, 0, left);
        Store(high.GetLower(), ref y, 8, left);
        Store(low.GetUpper(), ref y, 16, left);
        Store(high.GetUpper(), ref y, 24, left);
    }

    /// <summary>The first <paramref name="tiled"/> rows (a multiple of 4) in reduced tiles of 4 rows x 1 panel, panels outer.</summary>
    private static void ReducedTiles<TRows, TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, int tiled, TActivation activation)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        int block = TRows.Head + (TRows.Row * inputs), panels = (units + 15) / 16;
        for (int p = 0; p < panels; p++)
        {
            ref float panel = ref Unsafe.Add(ref packed, p * block);
            for (int r = 0; r < tiled; r += 4)
            {
                ReducedR4<TRows, TActivation>(ref panel, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + (p * 16)), units, units - (p * 16), activation);
            }
        }
    }

    /// <summary>
    /// Batches of <see cref="DecodedRows"/> rows or more: each panel widened once to a float panel (this thread's
    /// buffer, 4 x (inputs + 1) x 16 bytes), then the float kernel's tiles of 6 rows and one of 4 over it, panels outer.
    /// The reduced tiles of 4 rows decode every weight once per 4 rows and keep only 8 accumulators (ran at 0.65-0.68x
    /// ONNX Runtime in float where the float kernel ran at 0.86-0.94x, docs/performance.md); here the decoding is paid
    /// once per panel and batch. The same operations per output as the reduced tiles: the accumulators start where
    /// <see cref="IReducedRows.Start"/> starts them and add the same widened weights times x in input order (fused).
    /// Returns the rows done (the rest go one at a time).
    /// </summary>
    private static int ReducedDecoded<TRows, TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, int rows, TActivation activation)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        int block = TRows.Head + (TRows.Row * inputs), panels = (units + 15) / 16, floatBlock = (inputs + 1) * 16;
        float[] buffer = t_decodedPanel is { } b && b.Length >= floatBlock ? b : (t_decodedPanel = new float[floatBlock]);
        ref float decoded = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(buffer);
        int tiled = rows - (rows % 6);
        int last = rows - tiled >= 4 ? 4 : 0;
        for (int p = 0; p < panels; p++)
        {
            ref float panel = ref Unsafe.Add(ref packed, p * block);
            TRows.Decode(ref panel, inputs, ref decoded);
            int column = p * 16, left = units - column;
            ref float yp = ref Unsafe.Add(ref y, column);
            for (int r = 0; r < tiled; r += 6)
            {
                Tile256R6P1(ref decoded, floatBlock, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref yp, r * units), units, left, activation);
            }

            if (last != 0)
            {
                Tile256R4P1(ref decoded, floatBlock, inputs, ref Unsafe.Add(ref x, tiled * inputs), ref Unsafe.Add(ref yp, tiled * units), units, left, activation);
            }
        }

        return tiled + last;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReducedR4<TRows, TActivation>(ref float panel, int inputs, ref float x, ref float y, int units, int left, TActivation activation)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        Vector256<float> s0 = TRows.Start(ref panel, 0), s1 = TRows.Start(ref panel, 8);
        Vector256<float> a00 = s0, a01 = s1, a10 = s0, a11 = s1, a20 = s0, a21 = s1, a30 = s0, a31 = s1;
        ref float w = ref Unsafe.Add(ref panel, TRows.Head);
        ref float x1 = ref Unsafe.Add(ref x, inputs), x2 = ref Unsafe.Add(ref x1, inputs), x3 = ref Unsafe.Add(ref x2, inputs);
        for (int i = 0; i < inputs; i++)
        {
            ref float row = ref Unsafe.Add(ref w, i * TRows.Row);
            Vector256<float> w0 = TRows.Low(ref row), w1 = TRows.High(ref row);
            Vector256<float> v = Vector256.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v, w0, a00);
            a01 = MulAdd(v, w1, a01);
            v = Vector256.Create(Unsafe.Add(ref x1, i));
            a10 = MulAdd(v, w0, a10);
            a11 = MulAdd(v, w1, a11);
            v = Vector256.Create(Unsafe.Add(ref x2, i));
            a20 = MulAdd(v, w0, a20);
            a21 = MulAdd(v, w1, a21);
            v = Vector256.Create(Unsafe.Add(ref x3, i));
            a30 = MulAdd(v, w0, a30);
            a31 = MulAdd(v, w1, a31);
        }

        StoreReduced<TRows, TActivation>(a00, a01, ref panel, ref y, left, activation);
        StoreReduced<TRows, TActivation>(a10, a11, ref panel, ref Unsafe.Add(ref y, units), left, activation);
        StoreReduced<TRows, TActivation>(a20, a21, ref panel, ref Unsafe.Add(ref y, 2 * units), left, activation);
        StoreReduced<TRows, TActivation>(a30, a31, ref panel, ref Unsafe.Add(ref y, 3 * units), left, activation);
        Activate(ref y, units, 4, 16, left, activation);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReducedR1P4<TRows, TActivation>(ref float packed, int block, int inputs, ref float x, ref float y, int left, TActivation activation)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        ref float p0 = ref packed, p1 = ref Unsafe.Add(ref p0, block), p2 = ref Unsafe.Add(ref p1, block), p3 = ref Unsafe.Add(ref p2, block);
        Vector256<float> a00 = TRows.Start(ref p0, 0), a01 = TRows.Start(ref p0, 8), a10 = TRows.Start(ref p1, 0), a11 = TRows.Start(ref p1, 8);
        Vector256<float> a20 = TRows.Start(ref p2, 0), a21 = TRows.Start(ref p2, 8), a30 = TRows.Start(ref p3, 0), a31 = TRows.Start(ref p3, 8);
        ref float w0 = ref Unsafe.Add(ref p0, TRows.Head), w1 = ref Unsafe.Add(ref p1, TRows.Head);
        ref float w2 = ref Unsafe.Add(ref p2, TRows.Head), w3 = ref Unsafe.Add(ref p3, TRows.Head);
        for (int i = 0; i < inputs; i++)
        {
            Vector256<float> v = Vector256.Create(Unsafe.Add(ref x, i));
            int o = i * TRows.Row;
            a00 = MulAdd(v, TRows.Low(ref Unsafe.Add(ref w0, o)), a00);
            a01 = MulAdd(v, TRows.High(ref Unsafe.Add(ref w0, o)), a01);
            a10 = MulAdd(v, TRows.Low(ref Unsafe.Add(ref w1, o)), a10);
            a11 = MulAdd(v, TRows.High(ref Unsafe.Add(ref w1, o)), a11);
            a20 = MulAdd(v, TRows.Low(ref Unsafe.Add(ref w2, o)), a20);
            a21 = MulAdd(v, TRows.High(ref Unsafe.Add(ref w2, o)), a21);
            a30 = MulAdd(v, TRows.Low(ref Unsafe.Add(ref w3, o)), a30);
            a31 = MulAdd(v, TRows.High(ref Unsafe.Add(ref w3, o)), a31);
        }

        StoreReduced<TRows, TActivation>(a00, a01, ref p0, ref y, left, activation);
        StoreReduced<TRows, TActivation>(a10, a11, ref p1, ref Unsafe.Add(ref y, 16), left - 16, activation);
        StoreReduced<TRows, TActivation>(a20, a21, ref p2, ref Unsafe.Add(ref y, 32), left - 32, activation);
        StoreReduced<TRows, TActivation>(a30, a31, ref p3, ref Unsafe.Add(ref y, 48), left - 48, activation);
        Activate(ref y, 0, 1, 64, left, activation);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReducedR1P1<TRows, TActivation>(ref float panel, int inputs, ref float x, ref float y, int left, TActivation activation)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        Vector256<float> a0 = TRows.Start(ref panel, 0), a1 = TRows.Start(ref panel, 8);
        ref float w = ref Unsafe.Add(ref panel, TRows.Head);
        for (int i = 0; i < inputs; i++)
        {
            ref float row = ref Unsafe.Add(ref w, i * TRows.Row);
            Vector256<float> v = Vector256.Create(Unsafe.Add(ref x, i));
            a0 = MulAdd(v, TRows.Low(ref row), a0);
            a1 = MulAdd(v, TRows.High(ref row), a1);
        }

        StoreReduced<TRows, TActivation>(a0, a1, ref panel, ref y, left, activation);
        Activate(ref y, 0, 1, 16, left, activation);
    }

    /// <summary>Stores the real units of a panel's two accumulators of one row; the tile then activates them (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreReduced<TRows, TActivation>(Vector256<float> low, Vector256<float> high, ref float panel, ref float y, int left, TActivation activation)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        Store(low, ref y, 0, left);
        Store(high, ref y, 8, left);
    }

    /// <summary>
    /// A reduced layer with Vector128 (the portable path): one row at a time over one panel (4 accumulators), the same
    /// operations per output as <see cref="Reduced256"/>.
    /// </summary>
    internal static void Reduced128<TRows, TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, int rows, TActivation activation)
        where TRows : struct, IReducedRows
        where TActivation : struct, IVectorActivation<float>
    {
        int block = TRows.Head + (TRows.Row * inputs), panels = (units + 15) / 16;
        for (int r = 0; r < rows; r++)
        {
            ref float xr = ref Unsafe.Add(ref x, r * inputs);
            for (int p = 0; p < panels; p++)
            {
                ref float panel = ref Unsafe.Add(ref packed, p * block);
                ref float w = ref Unsafe.Add(ref panel, TRows.Head);
                Vector128<float> a0 = TRows.Start128(ref panel, 0), a1 = TRows.Start128(ref panel, 4);
                Vector128<float> a2 = TRows.Start128(ref panel, 8), a3 = TRows.Start128(ref panel, 12);
                for (int i = 0; i < inputs; i++)
                {
                    (Vector128<float> w0, Vector128<float> w1, Vector128<float> w2, Vector128<float> w3) = TRows.Decode128(ref Unsafe.Add(ref w, i * TRows.Row));
                    Vector128<float> v = Vector128.Create(Unsafe.Add(ref xr, i));
                    a0 = MulAdd(v, w0, a0);
                    a1 = MulAdd(v, w1, a1);
                    a2 = MulAdd(v, w2, a2);
                    a3 = MulAdd(v, w3, a3);
                }

                ref float yp = ref Unsafe.Add(ref y, (r * units) + (p * 16));
                int left = units - (p * 16);
                Store(a0, ref yp, 0, left);
                Store(a1, ref yp, 4, left);
                Store(a2, ref yp, 8, left);
                Store(a3, ref yp, 12, left);
                Activate(ref yp, 0, 1, 16, left, activation);
            }
        }
    }
}
