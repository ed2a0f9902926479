using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

// AvxVnni (vpdpbusd) is still marked [RequiresPreviewFeatures] in .NET 10; it is a plain instruction used only where
// AvxVnni.IsSupported, and the analyzer's warning is all the preview marking does.
#pragma warning disable CA2252

// int8 inference with integer dot products ([Network(WeightPrecision = WeightPrecision.Int8)], docs/performance.md
// "Reduced-precision weights"): 7-bit weights with a scale per unit, each input row quantised to 7 bits with its own
// scale and zero point, exact int32 sums, and the scales, the bias and the activation applied once per output.
public static partial class PackedDense
{
    /// <summary>Largest |q| of an int8 weight: 63 (7 bits), so that two vpmaddubsw results add in int16 without overflow.</summary>
    internal const int WeightLevels = 63;

    /// <summary>Largest quantised input value (7 bits, unsigned): 4 x 127 x 63 = 32,004 fits an int16.</summary>
    internal const int InputLevels = 127;

    /// <summary>Floats before an int8 panel's weights: 16 biases, 16 scales, 16 weight sums (int32).</summary>
    private const int Int8Head = 48;

    /// <summary>Quantised bytes per thread buffer the batch is cut to (rows at a time, at least 4, at most 64).</summary>
    private const int QuantisedBytes = 64 * 1024;

    /// <summary>The inputs of an int8 layer padded to a multiple of 8 (pairs of 4-input groups); the pad weights are zero.</summary>
    internal static int Int8Inputs(int inputs) => (int)((inputs + 7L) & ~7L);

    /// <summary>
    /// The levels inputs are quantised to over <paramref name="padded"/> inputs: 127, fewer only where the int32 sum of
    /// padded x 127 x 63 could overflow (more than 268,000 inputs), so every sum is exact.
    /// </summary>
    internal static int InputLevelsFor(int padded) => (int)Math.Clamp(int.MaxValue / (padded * (long)WeightLevels), 1, InputLevels);

    /// <summary>
    /// Values (floats) a layer takes packed with int8 weights: per panel of 16 units a float bias row, a float scale row
    /// and an int32 row of each unit's weight sum, then the weights in groups of 4 inputs, 64 bytes each (units 0-7,
    /// then 8-15, each unit's 4 weights side by side), the inputs padded with zero weights to a multiple of 8.
    /// </summary>
    public static long PackedLengthInt8(int inputs, int units) => ((units + 15L) / 16) * (Int8Head + (4 * ((inputs + 7L) & ~7L)));

    /// <summary>
    /// Packs a float layer with int8 weights into <paramref name="packed"/>, <see cref="PackedLengthInt8"/> values:
    /// unit u's scale is the largest |w| of its row over 63, each weight its value over the scale rounded to the
    /// nearest integer (ties to even), so no weight is off by more than half its unit's scale; the weight sum is the sum
    /// of the unit's integers (it corrects for the inputs' zero point). The bias stays float.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void PackInt8(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int inputs, int units, Span<float> packed)
    {
        CheckReduced(weights, bias, inputs, units, packed.Length, PackedLengthInt8(inputs, units));
        int block = Int8Head + (4 * Int8Inputs(inputs));
        packed.Clear();
        Span<sbyte> bytes = MemoryMarshal.Cast<float, sbyte>(packed);
        Span<int> sums = MemoryMarshal.Cast<float, int>(packed);
        for (int u = 0; u < units; u++)
        {
            int panel = (u / 16) * block, lane = u % 16;
            ReadOnlySpan<float> row = weights.Slice(u * inputs, inputs);
            float largest = 0;
            foreach (float w in row)
            {
                largest = MathF.Max(largest, MathF.Abs(w)); // NaN weights: MathF.Max propagates NaN, and so does the scale
            }

            float scale = largest / WeightLevels;
            packed[panel + lane] = bias.Length != 0 ? bias[u] : 0;
            packed[panel + 16 + lane] = scale;
            int sum = 0, at = (4 * (panel + Int8Head)) + ((lane / 8) * 32) + ((lane % 8) * 4);
            for (int i = 0; i < row.Length; i++)
            {
                int q = scale > 0 ? (int)Math.Clamp(MathF.Round(row[i] / scale, MidpointRounding.ToEven), -WeightLevels, WeightLevels) : 0;
                bytes[at + ((i / 4) * 64) + (i % 4)] = (sbyte)q;
                sum += q;
            }

            sums[panel + 32 + lane] = sum;
        }
    }

    /// <summary>
    /// y = f(s_u s_r (Σ q (a - z)) + b) for <paramref name="rows"/> rows from a copy packed by <see cref="PackInt8"/>:
    /// each row is quantised first (<see cref="QuantiseRow"/>: a = round(x / s_r) + z in 0..127), the sums over the
    /// inputs are exact int32 (Σ q a - z Σ q), and each output is one conversion to float and one fused multiply-add
    /// with s_u s_r and the bias, then the activation. Integer sums do not depend on their order, so one row gives the
    /// same bits alone and in a batch, with AVX2 and on the portable path. Nothing is checked.
    /// </summary>
    public static void ForwardInt8<TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, int rows, TActivation activation)
        where TActivation : struct, IVectorActivation<float>
    {
        if (Avx2.IsSupported)
        {
            Int8Avx2(ref packed, inputs, units, ref x, ref y, rows, activation, AvxVnni.IsSupported, Wide512Int8);
        }
        else
        {
            Int8Portable(ref packed, inputs, units, ref x, ref y, rows, activation);
        }
    }

    /// <summary>One thread's quantised rows: the bytes, then per row its scale and zero point.</summary>
    private sealed class QuantisedRows
    {
        [ThreadStatic]
        private static QuantisedRows? t_rows;

        public QuantisedRows(int bytes, int rows)
        {
            Bytes = new byte[bytes];
            Scales = new float[rows];
            Zeros = new int[rows];
        }

        public byte[] Bytes { get; }

        public float[] Scales { get; }

        public int[] Zeros { get; }

        /// <summary>Rows quantised at a time for <paramref name="padded"/> inputs: 64, fewer (at least 4) for wide layers.</summary>
        public static int ChunkRows(int padded) => Math.Clamp(QuantisedBytes / padded, 4, 64) & ~3;

        /// <summary>
        /// This thread's buffer, grown to hold <see cref="ChunkRows"/> rows of <paramref name="padded"/> bytes: whatever
        /// the row count (one row too), so a thread that first predicts one row does not allocate again at its first batch.
        /// </summary>
        public static QuantisedRows For(int padded)
        {
            long bytes = (long)ChunkRows(padded) * padded;
            if (t_rows is { } rows && rows.Bytes.Length >= bytes)
            {
                return rows;
            }

            return t_rows = new QuantisedRows((int)Math.Max(bytes, t_rows?.Bytes.Length ?? 0), 64);
        }
    }

    /// <summary>
    /// The scale s, its inverse and the zero point z of a row whose values lie in [<paramref name="min"/>,
    /// <paramref name="max"/>] (min ≤ 0 ≤ max), so that x ≈ s (a - z) with a in 0..<paramref name="levels"/>:
    /// a row without negative values gets z = 0 and s = max / levels (every level for values ≥ 0: ReLU's outputs);
    /// otherwise s = (max - min) / levels and z = round(-min / s). A row with a NaN or infinite value gets s = NaN, so
    /// every output of that row is NaN.
    /// </summary>
    internal static (float Scale, float Inverse, int Zero) RowScale(float min, float max, bool finite, int levels)
    {
        if (!finite)
        {
            return (float.NaN, 0, 0);
        }

        if (min == 0)
        {
            return (max / levels, max > 0 ? levels / max : 0, 0);
        }

        float range = max - min, inverse = levels / range;
        return (range / levels, inverse, Math.Clamp((int)MathF.Round(-min * inverse), 0, levels));
    }

    /// <summary>
    /// Quantises one row of <paramref name="inputs"/> values to bytes a = clamp(round(x inverse) + z, 0, levels), ties
    /// to even, and zero bytes up to <paramref name="padded"/>; returns the row's scale and zero point (<see cref="RowScale"/>).
    /// AVX2 and scalar give the same bytes: the same multiply, the same rounding, exact conversions.
    /// </summary>
    internal static (float Scale, int Zero) QuantiseRow(ref float x, int inputs, int padded, int levels, ref byte q)
    {
        int i = 0;
        float min = 0, max = 0;
        bool finite = true;
        if (Avx2.IsSupported)
        {
            // Two chains each of min and max; the finiteness check is a bitwise or of v - v, off the chains' latency.
            Vector256<float> low0 = Vector256<float>.Zero, low1 = low0, high0 = low0, high1 = low0, check0 = low0, check1 = low0;
            for (; i + 16 <= inputs; i += 16)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref x, (nuint)i), u = Vector256.LoadUnsafe(ref x, (nuint)(i + 8));
                low0 = Avx.Min(low0, v);
                low1 = Avx.Min(low1, u);
                high0 = Avx.Max(high0, v);
                high1 = Avx.Max(high1, u);
                check0 |= v - v; // v - v is +0 for every finite v, NaN otherwise: nonzero bits once any value was not finite
                check1 |= u - u;
            }

            for (; i + 8 <= inputs; i += 8)
            {
                Vector256<float> v = Vector256.LoadUnsafe(ref x, (nuint)i);
                low0 = Avx.Min(low0, v);
                high0 = Avx.Max(high0, v);
                check0 |= v - v;
            }

            // Across the 8 lanes in registers: halves, then pairs, then neighbours (a lane holds a NaN only when the check
            // found one, and then the row's scale is NaN whatever min and max are).
            Vector256<float> low = Avx.Min(low0, low1), high = Avx.Max(high0, high1);
            low = Avx.Min(low, Avx.Permute2x128(low, low, 1));
            high = Avx.Max(high, Avx.Permute2x128(high, high, 1));
            low = Avx.Min(low, Avx.Permute(low, 0b01_00_11_10));
            high = Avx.Max(high, Avx.Permute(high, 0b01_00_11_10));
            low = Avx.Min(low, Avx.Permute(low, 0b10_11_00_01));
            high = Avx.Max(high, Avx.Permute(high, 0b10_11_00_01));
            min = low.ToScalar();
            max = high.ToScalar();
            finite = (check0 | check1).AsInt32() == Vector256<int>.Zero;
        }

        for (int j = i; j < inputs; j++)
        {
            float v = Unsafe.Add(ref x, j);
            min = MathF.Min(min, v);
            max = MathF.Max(max, v);
            finite &= float.IsFinite(v);
        }

        // Exactly 0 when no value is below (above) it: no negative zero reaches the scale.
        min = min < 0 ? min : 0;
        max = max > 0 ? max : 0;
        (float scale, float inverse, int zero) = RowScale(min, max, finite, levels);
        i = 0;
        if (finite && Avx2.IsSupported)
        {
            Vector256<float> by = Vector256.Create(inverse);
            Vector256<int> z = Vector256.Create(zero), order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
            Vector256<byte> top = Vector256.Create((byte)levels);
            for (; i + 32 <= inputs; i += 32)
            {
                Vector256<int> a0 = Level(Vector256.LoadUnsafe(ref x, (nuint)i), by, z);
                Vector256<int> a1 = Level(Vector256.LoadUnsafe(ref x, (nuint)(i + 8)), by, z);
                Vector256<int> a2 = Level(Vector256.LoadUnsafe(ref x, (nuint)(i + 16)), by, z);
                Vector256<int> a3 = Level(Vector256.LoadUnsafe(ref x, (nuint)(i + 24)), by, z);
                // The saturating packs clamp at 0 (and keep everything up to 255), the byte minimum at levels: the clamp of
                // the scalar path. They work within 128-bit lanes, so the bytes come out as a0[0..3] a1[0..3] a2[0..3]
                // a3[0..3] a0[4..7] ..., and the permutation of 32-bit groups puts them back in order.
                Vector256<byte> bytes = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(a0, a1), Avx2.PackSignedSaturate(a2, a3));
                Avx2.Min(Avx2.PermuteVar8x32(bytes.AsInt32(), order).AsByte(), top).StoreUnsafe(ref q, (nuint)i);
            }

            for (; i + 8 <= inputs; i += 8)
            {
                Vector256<short> a = Avx2.PackSignedSaturate(Level(Vector256.LoadUnsafe(ref x, (nuint)i), by, z), Vector256<int>.Zero);
                Vector256<byte> bytes = Avx2.PermuteVar8x32(Avx2.PackUnsignedSaturate(a, Vector256<short>.Zero).AsInt32(), order).AsByte();
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref q, i), Avx2.Min(bytes, top).AsInt64().ToScalar());
            }
        }

        for (; i < inputs; i++)
        {
            Unsafe.Add(ref q, i) = finite ? (byte)Math.Clamp((int)MathF.Round(Unsafe.Add(ref x, i) * inverse) + zero, 0, levels) : (byte)0;
        }

        for (; i < padded; i++)
        {
            Unsafe.Add(ref q, i) = 0;
        }

        return (scale, zero);
    }

    /// <summary>
    /// round(v inverse) + z in int32 lanes: vcvtps2dq rounds in the current rounding mode, which .NET keeps at its
    /// default (to nearest, ties to even: MathF.Round's, and what every float operation here already relies on).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Level(Vector256<float> v, Vector256<float> inverse, Vector256<int> zero) =>
        Avx2.Add(Avx.ConvertToVector256Int32(v * inverse), zero);

    /// <summary>Quantises <paramref name="rows"/> rows into this thread's buffer.</summary>
    private static void QuantiseRows(ref float x, int inputs, int padded, int levels, int rows, QuantisedRows buffer)
    {
        ref byte q = ref MemoryMarshal.GetArrayDataReference(buffer.Bytes);
        for (int r = 0; r < rows; r++)
        {
            (buffer.Scales[r], buffer.Zeros[r]) = QuantiseRow(ref Unsafe.Add(ref x, (nint)r * inputs), inputs, padded, levels, ref Unsafe.Add(ref q, (nint)r * padded));
        }
    }

    /// <summary>
    /// The products of 8 inputs of one row for 8 units, added to 8 int32 sums: the two 4-byte broadcasts of the row's
    /// bytes against the weights of inputs 0-3 and 4-7. Every form gives the exact sums, so the same bits.
    /// </summary>
    internal interface IInt8Products
    {
        /// <summary>Whether the kernel runs tiles of 6 rows (<see cref="Int8R6"/>, AVX-VNNI only) before those of 4.</summary>
        bool SixRows { get; }

        /// <summary>
        /// Whether the tiles run at 512 bits (<see cref="Int8R8x512"/>, then <see cref="Int8R4x512"/>; AVX-512BW only):
        /// a whole panel's 16 units in one vector per row. The rows left over take <see cref="Add"/> at 256 bits.
        /// </summary>
        bool Wide { get; }

        Vector256<int> Add(Vector256<int> sum, Vector256<byte> v, Vector256<sbyte> w, Vector256<byte> u, Vector256<sbyte> w2);
    }

    /// <summary>
    /// AVX2: two vpmaddubsw (u8 x s8 pair sums, each at most 2 x 127 x 63) added in int16 (at most 32,004: no
    /// saturation), one vpmaddwd with ones into int32 and one vpaddd.
    /// </summary>
    internal readonly struct PairProducts : IInt8Products
    {
        public bool SixRows => false;

        public bool Wide => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<int> Add(Vector256<int> sum, Vector256<byte> v, Vector256<sbyte> w, Vector256<byte> u, Vector256<sbyte> w2) =>
            Avx2.Add(sum, Dot8(v, w, u, w2));
    }

    /// <summary>AVX-VNNI: two vpdpbusd (4 u8 x s8 products added to each int32 lane, without saturation).</summary>
    internal readonly struct VnniProducts : IInt8Products
    {
        public bool SixRows => true;

        public bool Wide => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<int> Add(Vector256<int> sum, Vector256<byte> v, Vector256<sbyte> w, Vector256<byte> u, Vector256<sbyte> w2) =>
            AvxVnni.MultiplyWideningAndAdd(AvxVnni.MultiplyWideningAndAdd(sum, v, w), u, w2);
    }

    /// <summary>
    /// AVX-512BW without AVX-VNNI: the tiles take vpmaddubsw/vpmaddwd at 512 bits (<see cref="Dot16"/>), the rows left
    /// over <see cref="PairProducts"/>' 256-bit form. The same integer operations lane by lane, so the same bits.
    /// </summary>
    internal readonly struct Wide512Products : IInt8Products
    {
        public bool SixRows => false;

        public bool Wide => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<int> Add(Vector256<int> sum, Vector256<byte> v, Vector256<sbyte> w, Vector256<byte> u, Vector256<sbyte> w2) =>
            Avx2.Add(sum, Dot8(v, w, u, w2));
    }

    /// <summary>Whether int8 tiles run at 512 bits where AVX-VNNI is missing: AVX-512BW, and Vector512 accelerated.</summary>
    internal static bool Wide512Int8 => Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>
    /// An int8 layer with AVX2, its products with AVX-VNNI's vpdpbusd when <paramref name="vnni"/> (which needs
    /// AvxVnni.IsSupported), else with vpmaddubsw/vpmaddwd, the tiles at 512 bits when <paramref name="wide"/> (which
    /// needs <see cref="Wide512Int8"/>): the same exact sums, so the same bits. Where a CPU has both, AVX-VNNI's
    /// one instruction per 4 products at 256 bits is taken over the three of the 512-bit pair form.
    /// </summary>
    internal static void Int8Avx2<TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, int rows, TActivation activation, bool vnni, bool wide)
        where TActivation : struct, IVectorActivation<float>
    {
        if (vnni)
        {
            Int8Tiles<TActivation, VnniProducts>(ref packed, inputs, units, ref x, ref y, rows, activation);
        }
        else if (wide)
        {
            Int8Tiles<TActivation, Wide512Products>(ref packed, inputs, units, ref x, ref y, rows, activation);
        }
        else
        {
            Int8Tiles<TActivation, PairProducts>(ref packed, inputs, units, ref x, ref y, rows, activation);
        }
    }

    /// <summary>
    /// The rows quantised <see cref="QuantisedRows.ChunkRows"/> at a time into this thread's buffer, then per chunk,
    /// panels outer, tiles of 6 rows x 1 panel (AVX-VNNI: 12 int32 accumulators) or of 8 rows x 1 panel at 512 bits
    /// (AVX-512BW: 8 accumulators of 16 units), then of 4 rows x 1 panel (8
    /// accumulators, the panel's weight vectors in registers), and the rows left over one at a time over groups of 4
    /// panels, then single panels. Per 8 inputs, row and 8 units: two 4-byte broadcasts of the row's bytes and the
    /// products of <typeparamref name="TProducts"/>.
    /// </summary>
    private static void Int8Tiles<TActivation, TProducts>(ref float packed, int inputs, int units, ref float x, ref float y, int rows, TActivation activation)
        where TActivation : struct, IVectorActivation<float>
        where TProducts : struct, IInt8Products
    {
        int padded = Int8Inputs(inputs), levels = InputLevelsFor(padded), panels = (units + 15) / 16;
        int block = Int8Head + (4 * padded);
        QuantisedRows buffer = QuantisedRows.For(padded);
        int chunk = QuantisedRows.ChunkRows(padded);
        ref byte q = ref MemoryMarshal.GetArrayDataReference(buffer.Bytes);
        ref float scales = ref MemoryMarshal.GetArrayDataReference(buffer.Scales);
        ref int zeros = ref MemoryMarshal.GetArrayDataReference(buffer.Zeros);
        for (int start = 0; start < rows; start += chunk)
        {
            int n = Math.Min(chunk, rows - start);
            ref float ys = ref Unsafe.Add(ref y, (nint)start * units);
            QuantiseRows(ref Unsafe.Add(ref x, (nint)start * inputs), inputs, padded, levels, n, buffer);
            int big = default(TProducts).SixRows ? 6 : default(TProducts).Wide ? 8 : 4;
            int first = n - (n % big), tiled = first + ((n - first) & ~3);
            for (int p = 0; p < panels; p++)
            {
                ref float panel = ref Unsafe.Add(ref packed, (nint)p * block);
                int r = 0;
                if (default(TProducts).SixRows)
                {
                    for (; r < first; r += 6)
                    {
                        Int8R6(ref panel, padded, ref Unsafe.Add(ref q, (nint)r * padded), ref Unsafe.Add(ref scales, r), ref Unsafe.Add(ref zeros, r),
                            ref Unsafe.Add(ref ys, ((nint)r * units) + (p * 16)), units, units - (p * 16), activation);
                    }
                }

                if (default(TProducts).Wide)
                {
                    for (; r < first; r += 8)
                    {
                        Int8R8x512(ref panel, padded, ref Unsafe.Add(ref q, (nint)r * padded), ref Unsafe.Add(ref scales, r), ref Unsafe.Add(ref zeros, r),
                            ref Unsafe.Add(ref ys, ((nint)r * units) + (p * 16)), units, units - (p * 16), activation);
                    }

                    for (; r < tiled; r += 4)
                    {
                        Int8R4x512(ref panel, padded, ref Unsafe.Add(ref q, (nint)r * padded), ref Unsafe.Add(ref scales, r), ref Unsafe.Add(ref zeros, r),
                            ref Unsafe.Add(ref ys, ((nint)r * units) + (p * 16)), units, units - (p * 16), activation);
                    }
                }

                for (; r < tiled; r += 4)
                {
                    Int8R4<TActivation, TProducts>(ref panel, padded, ref Unsafe.Add(ref q, (nint)r * padded), ref Unsafe.Add(ref scales, r), ref Unsafe.Add(ref zeros, r),
                        ref Unsafe.Add(ref ys, ((nint)r * units) + (p * 16)), units, units - (p * 16), activation);
                }
            }

            for (int r = tiled; r < n; r++)
            {
                ref byte qr = ref Unsafe.Add(ref q, (nint)r * padded);
                ref float yr = ref Unsafe.Add(ref ys, (nint)r * units);
                float scale = Unsafe.Add(ref scales, r);
                int zero = Unsafe.Add(ref zeros, r), p = 0;
                for (; p + 4 <= panels; p += 4)
                {
                    Int8R1P4<TActivation, TProducts>(ref Unsafe.Add(ref packed, (nint)p * block), block, padded, ref qr, scale, zero, ref Unsafe.Add(ref yr, p * 16), units - (p * 16), activation);
                }

                for (; p < panels; p++)
                {
                    Int8R1P1<TActivation, TProducts>(ref Unsafe.Add(ref packed, (nint)p * block), padded, ref qr, scale, zero, ref Unsafe.Add(ref yr, p * 16), units - (p * 16), activation);
                }
            }
        }
    }

    /// <summary>The 4 input bytes at <paramref name="at"/> in every 32-bit lane (one vpbroadcastd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Four(ref byte row, int at) => Vector256.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref row, at))).AsByte();

    /// <summary>8 inputs' products for 8 units into int32: (v w + u w') pair sums in int16, then summed in pairs into int32 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Dot8(Vector256<byte> v, Vector256<sbyte> w, Vector256<byte> u, Vector256<sbyte> w2) =>
        Avx2.MultiplyAddAdjacent(Avx2.Add(Avx2.MultiplyAddAdjacent(v, w), Avx2.MultiplyAddAdjacent(u, w2)), Vector256.Create((short)1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<sbyte> Weights(ref byte w, int at) => Vector256.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref Unsafe.Add(ref w, at)));

    /// <summary>
    /// 4 rows x 1 panel: 8 int32 accumulators; per 8 inputs each row's bytes come as two broadcasts and the panel's 4
    /// weight vectors are memory operands of the vpmaddubsw (the JIT folds each load into its instruction; the same
    /// weights read by the 4 rows come from L1). Holding the weights in registers instead needs 17 vector registers
    /// with the broadcasts and temporaries, one more than AVX2 has: the JIT then kept an accumulator on the stack,
    /// 4-5% slower; two passes of 8 units (no spill, every broadcast twice) were slower still (bench --int8-profile,
    /// layer 1, fastest rounds: weights as operands 2.00, in registers 2.09, two passes 2.86 µs per row, 2.19 in
    /// that run for the registers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Int8R4<TActivation, TProducts>(ref float panel, int padded, ref byte q, ref float scales, ref int zeros, ref float y, int units, int left, TActivation activation)
        where TActivation : struct, IVectorActivation<float>
        where TProducts : struct, IInt8Products
    {
        TProducts d = default;
        Vector256<int> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
        ref byte g = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref panel, Int8Head));
        nint stride = padded;
        ref byte x0 = ref q;
        ref byte end = ref Unsafe.Add(ref q, padded);
        while (Unsafe.IsAddressLessThan(ref x0, ref end))
        {
            Vector256<byte> v = Four(ref x0, 0), u = Four(ref x0, 4);
            a00 = d.Add(a00, v, Weights(ref g, 0), u, Weights(ref g, 64));
            a01 = d.Add(a01, v, Weights(ref g, 32), u, Weights(ref g, 96));
            ref byte x1 = ref Unsafe.Add(ref x0, stride);
            v = Four(ref x1, 0);
            u = Four(ref x1, 4);
            a10 = d.Add(a10, v, Weights(ref g, 0), u, Weights(ref g, 64));
            a11 = d.Add(a11, v, Weights(ref g, 32), u, Weights(ref g, 96));
            ref byte x2 = ref Unsafe.Add(ref x1, stride);
            v = Four(ref x2, 0);
            u = Four(ref x2, 4);
            a20 = d.Add(a20, v, Weights(ref g, 0), u, Weights(ref g, 64));
            a21 = d.Add(a21, v, Weights(ref g, 32), u, Weights(ref g, 96));
            ref byte x3 = ref Unsafe.Add(ref x2, stride);
            v = Four(ref x3, 0);
            u = Four(ref x3, 4);
            a30 = d.Add(a30, v, Weights(ref g, 0), u, Weights(ref g, 64));
            a31 = d.Add(a31, v, Weights(ref g, 32), u, Weights(ref g, 96));
            x0 = ref Unsafe.Add(ref x0, 8);
            g = ref Unsafe.Add(ref g, 128);
        }

        FinishInt8(a00, a01, ref panel, scales, zeros, ref y, left);
        FinishInt8(a10, a11, ref panel, Unsafe.Add(ref scales, 1), Unsafe.Add(ref zeros, 1), ref Unsafe.Add(ref y, units), left);
        FinishInt8(a20, a21, ref panel, Unsafe.Add(ref scales, 2), Unsafe.Add(ref zeros, 2), ref Unsafe.Add(ref y, 2 * units), left);
        FinishInt8(a30, a31, ref panel, Unsafe.Add(ref scales, 3), Unsafe.Add(ref zeros, 3), ref Unsafe.Add(ref y, 3 * units), left);
        Activate(ref y, units, 4, 16, left, activation);
    }

    /// <summary>
    /// 6 rows x 1 panel with AVX-VNNI: 12 int32 accumulators (vpdpbusd's 5-cycle latency at 2 a cycle wants 10 chains
    /// or more), per 4 inputs the panel's 2 weight vectors and one broadcast per row: 15 vector registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Int8R6<TActivation>(ref float panel, int padded, ref byte q, ref float scales, ref int zeros, ref float y, int units, int left, TActivation activation)
        where TActivation : struct, IVectorActivation<float>
    {
        Vector256<int> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        Vector256<int> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
        ref byte g = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref panel, Int8Head));
        nint stride = padded;
        ref byte x0 = ref q;
        ref byte end = ref Unsafe.Add(ref q, padded);
        while (Unsafe.IsAddressLessThan(ref x0, ref end))
        {
            Vector256<sbyte> w0 = Weights(ref g, 0), w1 = Weights(ref g, 32);
            Vector256<byte> v = Four(ref x0, 0);
            a00 = AvxVnni.MultiplyWideningAndAdd(a00, v, w0);
            a01 = AvxVnni.MultiplyWideningAndAdd(a01, v, w1);
            v = Four(ref Unsafe.Add(ref x0, stride), 0);
            a10 = AvxVnni.MultiplyWideningAndAdd(a10, v, w0);
            a11 = AvxVnni.MultiplyWideningAndAdd(a11, v, w1);
            v = Four(ref Unsafe.Add(ref x0, 2 * stride), 0);
            a20 = AvxVnni.MultiplyWideningAndAdd(a20, v, w0);
            a21 = AvxVnni.MultiplyWideningAndAdd(a21, v, w1);
            v = Four(ref Unsafe.Add(ref x0, 3 * stride), 0);
            a30 = AvxVnni.MultiplyWideningAndAdd(a30, v, w0);
            a31 = AvxVnni.MultiplyWideningAndAdd(a31, v, w1);
            v = Four(ref Unsafe.Add(ref x0, 4 * stride), 0);
            a40 = AvxVnni.MultiplyWideningAndAdd(a40, v, w0);
            a41 = AvxVnni.MultiplyWideningAndAdd(a41, v, w1);
            v = Four(ref Unsafe.Add(ref x0, 5 * stride), 0);
            a50 = AvxVnni.MultiplyWideningAndAdd(a50, v, w0);
            a51 = AvxVnni.MultiplyWideningAndAdd(a51, v, w1);
            x0 = ref Unsafe.Add(ref x0, 4);
            g = ref Unsafe.Add(ref g, 64);
        }

        FinishInt8(a00, a01, ref panel, scales, zeros, ref y, left);
        FinishInt8(a10, a11, ref panel, Unsafe.Add(ref scales, 1), Unsafe.Add(ref zeros, 1), ref Unsafe.Add(ref y, units), left);
        FinishInt8(a20, a21, ref panel, Unsafe.Add(ref scales, 2), Unsafe.Add(ref zeros, 2), ref Unsafe.Add(ref y, 2 * units), left);
        FinishInt8(a30, a31, ref panel, Unsafe.Add(ref scales, 3), Unsafe.Add(ref zeros, 3), ref Unsafe.Add(ref y, 3 * units), left);
        FinishInt8(a40, a41, ref panel, Unsafe.Add(ref scales, 4), Unsafe.Add(ref zeros, 4), ref Unsafe.Add(ref y, 4 * units), left);
        FinishInt8(a50, a51, ref panel, Unsafe.Add(ref scales, 5), Unsafe.Add(ref zeros, 5), ref Unsafe.Add(ref y, 5 * units), left);
        Activate(ref y, units, 6, 16, left, activation);
    }

    /// <summary>
    /// One row's products of 8 inputs for a panel's 16 units at 512 bits, added to its 16 int32 sums: the row's bytes 0-3
    /// and 4-7 broadcast to every 32-bit lane, against the panel's 64 weight bytes of inputs 0-3 (16 units x 4) and
    /// the 64 of inputs 4-7 (the panel's layout, <see cref="PackInt8"/>). vpmaddubsw pairs (each at most 2 x 127 x 63)
    /// add in int16 to at most 32,004, then vpmaddwd with ones into int32: <see cref="Dot8"/>'s operations on both of
    /// its halves at once, so the same sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Dot16(Vector512<int> sum, ref byte row, Vector512<sbyte> w0, Vector512<sbyte> w1)
    {
        Vector512<byte> v = Vector512.Create(Unsafe.ReadUnaligned<int>(ref row)).AsByte();
        Vector512<byte> u = Vector512.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref row, 4))).AsByte();
        Vector512<short> pairs = Avx512BW.Add(Avx512BW.MultiplyAddAdjacent(v, w0), Avx512BW.MultiplyAddAdjacent(u, w1));
        return sum + Avx512BW.MultiplyAddAdjacent(pairs, Vector512.Create((short)1));
    }

    /// <summary>
    /// 8 rows x 1 panel at 512 bits (AVX-512BW): one int32 accumulator of the panel's 16 units per row, the panel's two
    /// 64-byte weight vectors of each 8 inputs loaded once for the 8 rows; 8 accumulators, 2 weights and the
    /// broadcasts and products fit AVX-512's 32 vector registers. Out of line, as <see cref="Int8R4x512"/>: inlined
    /// into <see cref="Int8Tiles"/>, they made the one-row calls that method also runs four times slower (bench
    /// --int8-profile, int8 `Predict` of one row: 20 µs against 4.2; the batch the same either way).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Int8R8x512<TActivation>(ref float panel, int padded, ref byte q, ref float scales, ref int zeros, ref float y, int units, int left, TActivation activation)
        where TActivation : struct, IVectorActivation<float>
    {
        Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        ref sbyte g = ref Unsafe.As<float, sbyte>(ref Unsafe.Add(ref panel, Int8Head));
        nint stride = padded;
        ref byte x0 = ref q;
        ref byte end = ref Unsafe.Add(ref q, padded);
        while (Unsafe.IsAddressLessThan(ref x0, ref end))
        {
            Vector512<sbyte> w0 = Vector512.LoadUnsafe(ref g), w1 = Vector512.LoadUnsafe(ref g, 64);
            a0 = Dot16(a0, ref x0, w0, w1);
            a1 = Dot16(a1, ref Unsafe.Add(ref x0, stride), w0, w1);
            a2 = Dot16(a2, ref Unsafe.Add(ref x0, 2 * stride), w0, w1);
            a3 = Dot16(a3, ref Unsafe.Add(ref x0, 3 * stride), w0, w1);
            a4 = Dot16(a4, ref Unsafe.Add(ref x0, 4 * stride), w0, w1);
            a5 = Dot16(a5, ref Unsafe.Add(ref x0, 5 * stride), w0, w1);
            a6 = Dot16(a6, ref Unsafe.Add(ref x0, 6 * stride), w0, w1);
            a7 = Dot16(a7, ref Unsafe.Add(ref x0, 7 * stride), w0, w1);
            x0 = ref Unsafe.Add(ref x0, 8);
            g = ref Unsafe.Add(ref g, 128);
        }

        FinishInt8(a0.GetLower(), a0.GetUpper(), ref panel, scales, zeros, ref y, left);
        FinishInt8(a1.GetLower(), a1.GetUpper(), ref panel, Unsafe.Add(ref scales, 1), Unsafe.Add(ref zeros, 1), ref Unsafe.Add(ref y, units), left);
        FinishInt8(a2.GetLower(), a2.GetUpper(), ref panel, Unsafe.Add(ref scales, 2), Unsafe.Add(ref zeros, 2), ref Unsafe.Add(ref y, 2 * units), left);
        FinishInt8(a3.GetLower(), a3.GetUpper(), ref panel, Unsafe.Add(ref scales, 3), Unsafe.Add(ref zeros, 3), ref Unsafe.Add(ref y, 3 * units), left);
        FinishInt8(a4.GetLower(), a4.GetUpper(), ref panel, Unsafe.Add(ref scales, 4), Unsafe.Add(ref zeros, 4), ref Unsafe.Add(ref y, 4 * units), left);
        FinishInt8(a5.GetLower(), a5.GetUpper(), ref panel, Unsafe.Add(ref scales, 5), Unsafe.Add(ref zeros, 5), ref Unsafe.Add(ref y, 5 * units), left);
        FinishInt8(a6.GetLower(), a6.GetUpper(), ref panel, Unsafe.Add(ref scales, 6), Unsafe.Add(ref zeros, 6), ref Unsafe.Add(ref y, 6 * units), left);
        FinishInt8(a7.GetLower(), a7.GetUpper(), ref panel, Unsafe.Add(ref scales, 7), Unsafe.Add(ref zeros, 7), ref Unsafe.Add(ref y, 7 * units), left);
        Activate(ref y, units, 8, 16, left, activation);
    }

    /// <summary><see cref="Int8R8x512"/> for 4 rows (the rows after the 8-row tiles, 4 at a time).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Int8R4x512<TActivation>(ref float panel, int padded, ref byte q, ref float scales, ref int zeros, ref float y, int units, int left, TActivation activation)
        where TActivation : struct, IVectorActivation<float>
    {
        Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default;
        ref sbyte g = ref Unsafe.As<float, sbyte>(ref Unsafe.Add(ref panel, Int8Head));
        nint stride = padded;
        ref byte x0 = ref q;
        ref byte end = ref Unsafe.Add(ref q, padded);
        while (Unsafe.IsAddressLessThan(ref x0, ref end))
        {
            Vector512<sbyte> w0 = Vector512.LoadUnsafe(ref g), w1 = Vector512.LoadUnsafe(ref g, 64);
            a0 = Dot16(a0, ref x0, w0, w1);
            a1 = Dot16(a1, ref Unsafe.Add(ref x0, stride), w0, w1);
            a2 = Dot16(a2, ref Unsafe.Add(ref x0, 2 * stride), w0, w1);
            a3 = Dot16(a3, ref Unsafe.Add(ref x0, 3 * stride), w0, w1);
            x0 = ref Unsafe.Add(ref x0, 8);
            g = ref Unsafe.Add(ref g, 128);
        }

        FinishInt8(a0.GetLower(), a0.GetUpper(), ref panel, scales, zeros, ref y, left);
        FinishInt8(a1.GetLower(), a1.GetUpper(), ref panel, Unsafe.Add(ref scales, 1), Unsafe.Add(ref zeros, 1), ref Unsafe.Add(ref y, units), left);
        FinishInt8(a2.GetLower(), a2.GetUpper(), ref panel, Unsafe.Add(ref scales, 2), Unsafe.Add(ref zeros, 2), ref Unsafe.Add(ref y, 2 * units), left);
        FinishInt8(a3.GetLower(), a3.GetUpper(), ref panel, Unsafe.Add(ref scales, 3), Unsafe.Add(ref zeros, 3), ref Unsafe.Add(ref y, 3 * units), left);
        Activate(ref y, units, 4, 16, left, activation);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Int8R1P4<TActivation, TProducts>(ref float packed, int block, int padded, ref byte q, float scale, int zero, ref float y, int left, TActivation activation)
        where TActivation : struct, IVectorActivation<float>
        where TProducts : struct, IInt8Products
    {
        TProducts d = default;
        ref float p0 = ref packed, p1 = ref Unsafe.Add(ref p0, block), p2 = ref Unsafe.Add(ref p1, block), p3 = ref Unsafe.Add(ref p2, block);
        ref byte w0 = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref p0, Int8Head)), w1 = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref p1, Int8Head));
        ref byte w2 = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref p2, Int8Head)), w3 = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref p3, Int8Head));
        Vector256<int> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
        for (int i = 0; i < padded; i += 8)
        {
            Vector256<byte> v = Four(ref q, i), u = Four(ref q, i + 4);
            int o = i * 16;
            a00 = d.Add(a00, v, Weights(ref w0, o), u, Weights(ref w0, o + 64));
            a01 = d.Add(a01, v, Weights(ref w0, o + 32), u, Weights(ref w0, o + 96));
            a10 = d.Add(a10, v, Weights(ref w1, o), u, Weights(ref w1, o + 64));
            a11 = d.Add(a11, v, Weights(ref w1, o + 32), u, Weights(ref w1, o + 96));
            a20 = d.Add(a20, v, Weights(ref w2, o), u, Weights(ref w2, o + 64));
            a21 = d.Add(a21, v, Weights(ref w2, o + 32), u, Weights(ref w2, o + 96));
            a30 = d.Add(a30, v, Weights(ref w3, o), u, Weights(ref w3, o + 64));
            a31 = d.Add(a31, v, Weights(ref w3, o + 32), u, Weights(ref w3, o + 96));
        }

        FinishInt8(a00, a01, ref p0, scale, zero, ref y, left);
        FinishInt8(a10, a11, ref p1, scale, zero, ref Unsafe.Add(ref y, 16), left - 16);
        FinishInt8(a20, a21, ref p2, scale, zero, ref Unsafe.Add(ref y, 32), left - 32);
        FinishInt8(a30, a31, ref p3, scale, zero, ref Unsafe.Add(ref y, 48), left - 48);
        Activate(ref y, 0, 1, 64, left, activation);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Int8R1P1<TActivation, TProducts>(ref float panel, int padded, ref byte q, float scale, int zero, ref float y, int left, TActivation activation)
        where TActivation : struct, IVectorActivation<float>
        where TProducts : struct, IInt8Products
    {
        TProducts d = default;
        ref byte w = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref panel, Int8Head));
        Vector256<int> a0 = default, a1 = default;
        for (int i = 0; i < padded; i += 8)
        {
            Vector256<byte> v = Four(ref q, i), u = Four(ref q, i + 4);
            int o = i * 16;
            a0 = d.Add(a0, v, Weights(ref w, o), u, Weights(ref w, o + 64));
            a1 = d.Add(a1, v, Weights(ref w, o + 32), u, Weights(ref w, o + 96));
        }

        FinishInt8(a0, a1, ref panel, scale, zero, ref y, left);
        Activate(ref y, 0, 1, 16, left, activation);
    }

    /// <summary>
    /// One row's 16 sums of a panel to outputs (<see cref="FinishInt8(Vector256{int}, ref float, int, float, int, ref float, int)"/> on each 8).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishInt8(Vector256<int> low, Vector256<int> high, ref float panel, float scale, int zero, ref float y, int left)
    {
        FinishInt8(low, ref panel, 0, scale, zero, ref y, left);
        FinishInt8(high, ref panel, 8, scale, zero, ref y, left);
    }

    /// <summary>
    /// One row's sums of the panel's 8 units from <paramref name="unit"/> to outputs: t = (float)(sum - z Σq) (exact
    /// integers, rounded to float only past 2^24), y = t (s_r s_u) + b in one fused multiply-add; stores the units before
    /// <paramref name="left"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishInt8(Vector256<int> sum, ref float panel, int unit, float scale, int zero, ref float y, int left)
    {
        ref int sums = ref Unsafe.As<float, int>(ref Unsafe.Add(ref panel, 32 + unit));
        Vector256<float> t = Vector256.ConvertToSingle(sum - (Vector256.Create(zero) * Vector256.LoadUnsafe(ref sums)));
        Store(MulAdd(t, Vector256.Create(scale) * Vector256.LoadUnsafe(ref panel, (nuint)(16 + unit)), Vector256.LoadUnsafe(ref panel, (nuint)unit)), ref y, unit, left);
    }

    /// <summary>
    /// An int8 layer without AVX2 (the portable path): the same quantisation (scalar), the same exact int32 sums with
    /// Vector128 (u8 x s8 products widened to int16, exact up to 127 x 63, then to int32 per unit), one row x one panel
    /// at a time, and the same finish per 4 units as <see cref="FinishInt8(Vector256{int}, ref float, int, float, int, ref float, int)"/> does per 8. The same bits as
    /// <see cref="Int8Avx2"/> wherever both run with the same fused multiply-add.
    /// </summary>
    internal static void Int8Portable<TActivation>(ref float packed, int inputs, int units, ref float x, ref float y, int rows, TActivation activation)
        where TActivation : struct, IVectorActivation<float>
    {
        int padded = Int8Inputs(inputs), levels = InputLevelsFor(padded), panels = (units + 15) / 16;
        int block = Int8Head + (4 * padded);
        QuantisedRows buffer = QuantisedRows.For(padded);
        ref byte q = ref MemoryMarshal.GetArrayDataReference(buffer.Bytes);
        Span<int> sums = stackalloc int[16];
        for (int r = 0; r < rows; r++)
        {
            (float scale, int zero) = QuantiseRowPortable(ref Unsafe.Add(ref x, (nint)r * inputs), inputs, padded, levels, ref q);
            for (int p = 0; p < panels; p++)
            {
                ref float panel = ref Unsafe.Add(ref packed, (nint)p * block);
                ref byte w = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref panel, Int8Head));
                for (int half = 0; half < 2; half++)
                {
                    // 8 units at a time: per 4 inputs their 32 bytes, units 2k and 2k + 1 in each 8-byte quarter.
                    Vector128<int> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
                    for (int i = 0; i < padded; i += 4)
                    {
                        Vector128<short> a = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref q, i))).AsByte()).AsInt16();
                        a = Vector128.Shuffle(a, Vector128.Create((short)0, 1, 2, 3, 0, 1, 2, 3));
                        ref byte g = ref Unsafe.Add(ref w, (i * 16) + (half * 32));
                        Vector128<sbyte> lowUnits = Vector128.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref g));
                        Vector128<sbyte> highUnits = Vector128.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref g), 16);
                        Vector128<short> p01 = Vector128.WidenLower(lowUnits) * a, p23 = Vector128.WidenUpper(lowUnits) * a;
                        Vector128<short> p45 = Vector128.WidenLower(highUnits) * a, p67 = Vector128.WidenUpper(highUnits) * a;
                        s0 += Vector128.WidenLower(p01);
                        s1 += Vector128.WidenUpper(p01);
                        s2 += Vector128.WidenLower(p23);
                        s3 += Vector128.WidenUpper(p23);
                        s4 += Vector128.WidenLower(p45);
                        s5 += Vector128.WidenUpper(p45);
                        s6 += Vector128.WidenLower(p67);
                        s7 += Vector128.WidenUpper(p67);
                    }

                    int o = half * 8;
                    sums[o] = Vector128.Sum(s0);
                    sums[o + 1] = Vector128.Sum(s1);
                    sums[o + 2] = Vector128.Sum(s2);
                    sums[o + 3] = Vector128.Sum(s3);
                    sums[o + 4] = Vector128.Sum(s4);
                    sums[o + 5] = Vector128.Sum(s5);
                    sums[o + 6] = Vector128.Sum(s6);
                    sums[o + 7] = Vector128.Sum(s7);
                }

                ref float yp = ref Unsafe.Add(ref y, ((nint)r * units) + (p * 16));
                int left = units - (p * 16);
                Vector128<float> s = Vector128.Create(scale);
                Vector128<int> z = Vector128.Create(zero);
                ref int total = ref MemoryMarshal.GetReference(sums);
                ref int weightSums = ref Unsafe.As<float, int>(ref Unsafe.Add(ref panel, 32));
                for (int j = 0; j < 16; j += 4)
                {
                    Vector128<float> t = Vector128.ConvertToSingle(Vector128.LoadUnsafe(ref total, (nuint)j) - (z * Vector128.LoadUnsafe(ref weightSums, (nuint)j)));
                    Store(MulAdd(t, s * Vector128.LoadUnsafe(ref panel, (nuint)(16 + j)), Vector128.LoadUnsafe(ref panel, (nuint)j)), ref yp, j, left);
                }

                Activate(ref yp, 0, 1, 16, left, activation);
            }
        }
    }

    /// <summary><see cref="QuantiseRow"/> without AVX2: the same bytes, scale and zero point, a value at a time.</summary>
    internal static (float Scale, int Zero) QuantiseRowPortable(ref float x, int inputs, int padded, int levels, ref byte q)
    {
        float min = 0, max = 0;
        bool finite = true;
        for (int i = 0; i < inputs; i++)
        {
            float v = Unsafe.Add(ref x, i);
            min = MathF.Min(min, v);
            max = MathF.Max(max, v);
            finite &= float.IsFinite(v);
        }

        min = min < 0 ? min : 0;
        max = max > 0 ? max : 0;
        (float scale, float inverse, int zero) = RowScale(min, max, finite, levels);
        for (int i = 0; i < padded; i++)
        {
            Unsafe.Add(ref q, i) = finite && i < inputs ? (byte)Math.Clamp((int)MathF.Round(Unsafe.Add(ref x, i) * inverse) + zero, 0, levels) : (byte)0;
        }

        return (scale, zero);
    }
}
