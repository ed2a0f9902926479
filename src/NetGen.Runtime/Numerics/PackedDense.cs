using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>
/// An activation applied to a vector of a dense layer's pre-activations, at each width the packed kernels run.
/// Generated networks implement it once per layer (a struct, so the kernel is compiled with the activation inlined).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public interface IVectorActivation<T>
    where T : struct
{
    /// <summary>f(z) for each lane.</summary>
    Vector128<T> Apply(Vector128<T> z);

    /// <inheritdoc cref="Apply(Vector128{T})"/>
    Vector256<T> Apply(Vector256<T> z);

    /// <inheritdoc cref="Apply(Vector128{T})"/>
    Vector512<T> Apply(Vector512<T> z);
}

/// <summary>
/// The dense-layer kernel of generated <c>Predict</c> and <c>PredictBatch</c>: y = f(W x + b) for rows of x, from a
/// packed copy of W and b (docs/architecture.md, "The packed inference copy"; docs/performance.md for the measurements
/// behind the shapes). For generated code: no argument is checked.
/// </summary>
/// <remarks>
/// <para>Layout: the units are cut into panels of <see cref="PanelWidth{T}"/> units (64 bytes: 16 floats or 8
/// doubles). A panel is one row of its units' biases followed by one row per input holding the weights of its units
/// for that input (input-major), so the kernel reads a panel from front to back. Units past the layer's last are zero.
/// A layer takes <see cref="PackedLength{T}"/> values.</para>
/// <para>Kernel: register tiles of several rows by one panel (with <see cref="Vector256{T}"/>: 6 rows x 2 vectors =
/// 12 accumulators, then the rows after the last whole tile in tiles of 2 to 5 rows, 1 to 3 rows left taking one 6-row
/// tile with them), panels in the outer loop so a panel stays in cache while every row tile passes over it; one-row
/// calls go over groups of 4, 2 or 1 panels. Each accumulator starts
/// at the bias and adds w x for input 0, 1, 2, ... in order, with a fused multiply-add where the CPU has one; a short
/// layer (<see cref="IsShort{T}"/>) adds them in two chains instead, the bias and the even inputs, the odd inputs from
/// zero, then the two. The tile
/// stores the sums and applies the activation to what it stored (a single row: to the whole row once it is stored). So every output is computed by the same operations in the same order whatever the tile,
/// the number of rows and the vector width: one row gives the same bits as the same row inside a batch, and
/// <see cref="Vector128{T}"/>, <see cref="Vector256{T}"/> and <see cref="Vector512{T}"/> give the same bits on one
/// machine. A machine without fused multiply-add (or a NativeAOT build without that instruction set) rounds the
/// product and the sum separately, so its results differ from an FMA machine's in the last bits.</para>
/// <para>Width: <see cref="Vector512{T}"/> where it is hardware-accelerated, else <see cref="Vector256{T}"/> where
/// that is, else <see cref="Vector128{T}"/> (also the portable path: emulated where no SIMD exists). The checks are
/// JIT-time constants, so only one path is compiled.</para>
/// </remarks>
public static partial class PackedDense
{
    /// <summary>Units per panel: 64 bytes of <typeparamref name="T"/> (16 floats, 8 doubles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int PanelWidth<T>()
        where T : struct => Unsafe.SizeOf<T>() == 4 ? 16 : 8;

    /// <summary>The vector width in bits the kernel runs at in this process: 512, 256 or 128.</summary>
    public static int VectorBits => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>
    /// One row through a layer of more packed bytes than this (256 KB, half this machine's L2) reads the layer's
    /// panels in the opposite order on every other call of the thread (<see cref="Backwards"/>).
    /// </summary>
    internal const long AlternateBytes = 256 * 1024;

    /// <summary>Whether one-row calls alternate the panel order at all (bench --predict-profile turns it off to time both).</summary>
    private static bool s_alternate = true;

    [ThreadStatic]
    private static bool t_backwards;

    /// <summary>
    /// Whether this one-row call over a layer of <paramref name="bytes"/> packed bytes reads its panels last to
    /// first. A layer bigger than the cache it streams through evicts its own first panels before the next call
    /// reads them again; read in the opposite order, the next call starts with the panels the last one read last,
    /// which are still in L2. Every panel's outputs are computed by the same operations whichever order the panels
    /// come in, so the results are the same bits. Layers of at most <see cref="AlternateBytes"/> keep the forward
    /// order (no per-call state to read for small networks). The flag is per thread and flips at each large layer, so
    /// with one large layer (784-256-128-10), or an odd number of them, each alternates from call to call; with an
    /// even number every large layer keeps one order per call pattern (no gain there, no loss).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Backwards(long bytes) => bytes > AlternateBytes && s_alternate && (t_backwards = !t_backwards);

    /// <summary>Values a layer of <paramref name="units"/> units over <paramref name="inputs"/> inputs takes when packed.</summary>
    public static long PackedLength<T>(int inputs, int units)
        where T : struct
    {
        long width = PanelWidth<T>();
        return ((units + width - 1) / width) * (inputs + 1L) * width;
    }

    /// <summary>
    /// Packs a layer's weights (PyTorch's [units, inputs] layout, row-major) and bias (empty: none) into
    /// <paramref name="packed"/>, <see cref="PackedLength{T}"/> values, zeros in the padding.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Pack<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, int inputs, int units, Span<T> packed)
        where T : struct
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException("The packed kernels compute in float or double.");
        }

        if (inputs < 1 || units < 1 || weights.Length != (long)inputs * units || (bias.Length != 0 && bias.Length != units)
            || packed.Length != PackedLength<T>(inputs, units))
        {
            throw new ArgumentException("The weights, bias or packed span does not match the layer's size.");
        }

        // A large layer (784-256's 200,960 values: about 30 µs) is written in ranges of panels on both threads where
        // RowSplit's worker is free: each panel by the same loop (ParameterSplit.Pack, docs/performance.md).
        if (ParameterSplit.Splits(packed.Length))
        {
            ParameterSplit.Pack(weights, bias, inputs, units, packed, PanelPackers<T>.Pack);
            return;
        }

        PackPanels(weights, bias, inputs, units, packed, 0, units);
    }

    /// <summary><see cref="PackPanels{T}"/> as a delegate, created once per type.</summary>
    private static class PanelPackers<T>
        where T : struct
    {
        public static readonly PanelPacker<T> Pack = PackPanels;
    }

    /// <summary><see cref="Pack{T}"/>'s panels of units <paramref name="start"/> to <paramref name="end"/> - 1 (<paramref name="start"/>: a panel's first unit).</summary>
    private static void PackPanels<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, int inputs, int units, Span<T> packed, int start, int end)
        where T : struct
    {
        // Input by input within each panel: the reads walk the panel's weight rows side by side and the writes run front
        // to back, so one pass over the weights (it runs before every training batch) touches each value once.
        int width = PanelWidth<T>();
        int block = (inputs + 1) * width;
        ref T w = ref MemoryMarshal.GetReference(weights);
        for (int first = start; first < end; first += width)
        {
            // Unit first + j is lane j of the panel: its bias in the panel's first row, weight i in row i + 1.
            int count = Math.Min(width, units - first);
            Span<T> panel = packed.Slice((first / width) * block, block);
            if (bias.IsEmpty)
            {
                panel.Slice(0, width).Clear();
            }
            else
            {
                bias.Slice(first, count).CopyTo(panel);
                panel.Slice(count, width - count).Clear();
            }

            ref T target = ref Unsafe.Add(ref MemoryMarshal.GetReference(panel), width);
            ref T source = ref Unsafe.Add(ref w, first * inputs);
            int i = 0;
            bool finite = true;
            if (Avx.IsSupported && typeof(T) == typeof(float) && count == width)
            {
                // 8 x 8 blocks transposed in registers: 8 inputs of 8 units in, 8 panel rows of 8 lanes out. v - v is +0
                // for a finite v and NaN otherwise, so the check's bits stay zero while every weight is finite.
                Vector256<float> check = Vector256<float>.Zero;
                for (; i <= inputs - 8; i += 8)
                {
                    check |= Transpose8(ref Unsafe.As<T, float>(ref Unsafe.Add(ref source, i)), inputs, ref Unsafe.As<T, float>(ref target), width);
                    check |= Transpose8(ref Unsafe.As<T, float>(ref Unsafe.Add(ref source, (8 * inputs) + i)), inputs, ref Unsafe.As<T, float>(ref Unsafe.Add(ref target, 8)), width);
                    target = ref Unsafe.Add(ref target, 8 * width);
                }

                finite = check.AsUInt32() == Vector256<uint>.Zero;
            }

            for (; i < inputs; i++)
            {
                for (int j = 0; j < count; j++)
                {
                    T value = Unsafe.Add(ref source, (j * inputs) + i);
                    finite &= IsFinite(value);
                    Unsafe.Add(ref target, j) = value;
                }

                for (int j = count; j < width; j++)
                {
                    Unsafe.Add(ref target, j) = default;
                }

                target = ref Unsafe.Add(ref target, width);
            }

            if (!finite)
            {
                NoteNonFiniteWeight();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsFinite<T>(T value)
        where T : struct =>
        typeof(T) == typeof(float) ? float.IsFinite(Unsafe.As<T, float>(ref value)) : double.IsFinite(Unsafe.As<T, double>(ref value));

    /// <summary>
    /// Writes the 8 x 8 block of rows <paramref name="rowStride"/> apart at <paramref name="source"/> transposed: its
    /// column k to <paramref name="target"/> + k × <paramref name="targetStride"/>. Returns the or of each source row
    /// minus itself: zero bits while every value is finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Transpose8(ref float source, int rowStride, ref float target, int targetStride)
    {
        Vector256<float> r0 = Vector256.LoadUnsafe(ref source), r1 = Vector256.LoadUnsafe(ref source, (nuint)rowStride);
        Vector256<float> r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * rowStride)), r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * rowStride));
        Vector256<float> r4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * rowStride)), r5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * rowStride));
        Vector256<float> r6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * rowStride)), r7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * rowStride));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(s0, s4, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(s1, s5, 0x20).StoreUnsafe(ref target, (nuint)targetStride);
        Avx.Permute2x128(s2, s6, 0x20).StoreUnsafe(ref target, (nuint)(2 * targetStride));
        Avx.Permute2x128(s3, s7, 0x20).StoreUnsafe(ref target, (nuint)(3 * targetStride));
        Avx.Permute2x128(s0, s4, 0x31).StoreUnsafe(ref target, (nuint)(4 * targetStride));
        Avx.Permute2x128(s1, s5, 0x31).StoreUnsafe(ref target, (nuint)(5 * targetStride));
        Avx.Permute2x128(s2, s6, 0x31).StoreUnsafe(ref target, (nuint)(6 * targetStride));
        Avx.Permute2x128(s3, s7, 0x31).StoreUnsafe(ref target, (nuint)(7 * targetStride));
        return ((r0 - r0) | (r1 - r1)) | ((r2 - r2) | (r3 - r3)) | ((r4 - r4) | (r5 - r5)) | ((r6 - r6) | (r7 - r7));
    }

    /// <summary>
    /// y = f(W x + b) for <paramref name="rows"/> rows: x rows <paramref name="inputs"/> apart, y rows
    /// <paramref name="units"/> apart; <paramref name="packed"/> is the layer's packed copy. Nothing is checked.
    /// </summary>
    public static void Forward<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        // One row (Predict) runs a method of its own: the one-row tiles and one copy of the activation, not the batch
        // method with every tile in it.
        if (Vector512.IsHardwareAccelerated)
        {
            if (rows == 1)
            {
                Row512(ref packed, inputs, units, ref x, ref y, activation, alternate: true);
            }
            else
            {
                Forward512(ref packed, inputs, units, ref x, ref y, rows, activation);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            if (rows == 1)
            {
                if (units <= 2 * PanelWidth<T>() && inputs <= SmallRowInputs && s_smallRows)
                {
                    SmallRow256(ref packed, inputs, units, ref x, ref y, activation);
                }
                else
                {
                    Row256(ref packed, inputs, units, ref x, ref y, activation, alternate: true);
                }
            }
            else
            {
                Forward256(ref packed, inputs, units, ref x, ref y, rows, activation);
            }
        }
        else if (rows == 1)
        {
            Row128(ref packed, inputs, units, ref x, ref y, activation, alternate: true);
        }
        else
        {
            Forward128(ref packed, inputs, units, ref x, ref y, rows, activation);
        }
    }

    /// <summary>The fewest inputs of a short layer (<see cref="IsShort{T}"/>).</summary>
    internal const int ShortMinInputs = 8;

    /// <summary>
    /// Whether a layer is short: <see cref="ShortMinInputs"/> to <see cref="SparseRowInputs"/> - 1 inputs and at most
    /// 2 panels of units (13-32-16-3's three layers, 4-32-16-4's last two). A one-row call over such a layer has one
    /// accumulator per vector of units (one or two at 512 bits), each a chain of as many dependent multiply-adds as there
    /// are inputs (4 cycles each: a 32-input layer waits 128 cycles for its sums), so every kernel runs each of its sums
    /// as two chains: the bias plus inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero, added before the store (half the
    /// chain, one add more per output). All rows, tiles and widths of such a layer use this order (the ShortForward and
    /// ShortRow kernels), so its bits still do not depend on them. From 64 inputs a one-row call may skip zero inputs
    /// (<see cref="SparseRowInputs"/>), whose tiles keep the one chain; below 8 the extra add costs a batch more than a
    /// row gains.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsShort<T>(int inputs, int units)
        where T : struct => inputs >= ShortMinInputs && inputs < SparseRowInputs && units <= 2 * PanelWidth<T>();

    /// <summary>The most inputs a one-row call takes <see cref="SmallRow256"/> with (2 panels of 1,025 rows: 131 KB, never alternated).</summary>
    internal const int SmallRowInputs = 1024;

    /// <summary>Whether one-row calls over small layers take <see cref="SmallRow256"/> (bench --small-row-ab turns it off to time the generated Predict both ways).</summary>
    private static bool s_smallRows = true;

    /// <summary>
    /// One row with Vector256 through a layer of at most 2 panels (32 floats, 16 doubles) and at most
    /// <see cref="SmallRowInputs"/> inputs that is not short (a short one runs <see cref="ShortRow256"/>): 4-32-16-4's first
    /// layer, a 100-input layer of 20 units. <see cref="Row256"/>'s
    /// work without its groups and panel order, with accumulators only for the vectors that hold units (a layer of at
    /// most <see cref="Vector256{T}.Count"/> units takes one instead of its panel's two)
    /// and the input loop several inputs a step. Each accumulator starts at the bias and adds w x for input 0, 1, 2, ...
    /// in order, as in Row256, so the same bits. Up to 2 vectors the activation runs on the accumulators before they are
    /// stored (no store and reload of the row between the sums and the activation); the activation works lane by lane,
    /// so that gives the bits of Row256's pass over the stored row, which the 2-panel case keeps. Three methods, so that
    /// each has the JIT's inlining budget for its copies of the activation (tanh through VectorMath's lane wrappers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SmallRow256<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (IsShort<T>(inputs, units))
        {
            ShortRow256(ref packed, inputs, units, ref x, ref y, activation);
        }
        else if (units <= Vector256<T>.Count)
        {
            SmallRow256Vector(ref packed, inputs, units, ref x, ref y, activation);
        }
        else if (units <= PanelWidth<T>())
        {
            SmallRow256Panel(ref packed, inputs, units, ref x, ref y, activation);
        }
        else
        {
            SmallRow256Panels(ref packed, inputs, units, ref x, ref y, activation);
        }
    }

    /// <summary><see cref="SmallRow256"/> for at most one vector of units: one accumulator, four inputs a step.</summary>
    private static void SmallRow256Vector<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        nuint w1 = (nuint)PanelWidth<T>(), w2 = 2 * w1, w3 = 3 * w1;
        ref T p0 = ref Unsafe.Add(ref packed, w1); // the weights, after the bias row
        Vector256<T> a0 = Vector256.LoadUnsafe(ref packed);
        int i = 0;
        for (; i <= inputs - 4; i += 4)
        {
            ref T w = ref Unsafe.Add(ref p0, (nuint)i * w1);
            ref T xi = ref Unsafe.Add(ref x, i);
            a0 = MulAdd(Vector256.Create(xi), Vector256.LoadUnsafe(ref w), a0);
            a0 = MulAdd(Vector256.Create(Unsafe.Add(ref xi, 1)), Vector256.LoadUnsafe(ref w, w1), a0);
            a0 = MulAdd(Vector256.Create(Unsafe.Add(ref xi, 2)), Vector256.LoadUnsafe(ref w, w2), a0);
            a0 = MulAdd(Vector256.Create(Unsafe.Add(ref xi, 3)), Vector256.LoadUnsafe(ref w, w3), a0);
        }

        for (; i < inputs; i++)
        {
            a0 = MulAdd(Vector256.Create(Unsafe.Add(ref x, i)), Vector256.LoadUnsafe(ref p0, (nuint)i * w1), a0);
        }

        Store(activation.Apply(a0), ref y, 0, units);
    }

    /// <summary><see cref="SmallRow256"/> for one panel: two accumulators, four inputs a step.</summary>
    private static void SmallRow256Panel<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        nuint w1 = (nuint)PanelWidth<T>(), w2 = 2 * w1, w3 = 3 * w1, c1 = (nuint)Vector256<T>.Count;
        ref T p0 = ref Unsafe.Add(ref packed, w1); // the weights, after the bias row
        Vector256<T> a0 = Vector256.LoadUnsafe(ref packed), a1 = Vector256.LoadUnsafe(ref packed, c1);
        int i = 0;
        for (; i <= inputs - 4; i += 4)
        {
            ref T w = ref Unsafe.Add(ref p0, (nuint)i * w1);
            ref T xi = ref Unsafe.Add(ref x, i);
            Vector256<T> v = Vector256.Create(xi);
            a0 = MulAdd(v, Vector256.LoadUnsafe(ref w), a0);
            a1 = MulAdd(v, Vector256.LoadUnsafe(ref w, c1), a1);
            v = Vector256.Create(Unsafe.Add(ref xi, 1));
            a0 = MulAdd(v, Vector256.LoadUnsafe(ref w, w1), a0);
            a1 = MulAdd(v, Vector256.LoadUnsafe(ref w, w1 + c1), a1);
            v = Vector256.Create(Unsafe.Add(ref xi, 2));
            a0 = MulAdd(v, Vector256.LoadUnsafe(ref w, w2), a0);
            a1 = MulAdd(v, Vector256.LoadUnsafe(ref w, w2 + c1), a1);
            v = Vector256.Create(Unsafe.Add(ref xi, 3));
            a0 = MulAdd(v, Vector256.LoadUnsafe(ref w, w3), a0);
            a1 = MulAdd(v, Vector256.LoadUnsafe(ref w, w3 + c1), a1);
        }

        for (; i < inputs; i++)
        {
            Vector256<T> v = Vector256.Create(Unsafe.Add(ref x, i));
            nuint o = (nuint)i * w1;
            a0 = MulAdd(v, Vector256.LoadUnsafe(ref p0, o), a0);
            a1 = MulAdd(v, Vector256.LoadUnsafe(ref p0, o + c1), a1);
        }

        Store(activation.Apply(a0), ref y, 0, units);
        Store(activation.Apply(a1), ref y, (int)c1, units);
    }

    /// <summary><see cref="SmallRow256"/> for two panels: four accumulators, one input a step, stored, then Row256's activation pass.</summary>
    private static void SmallRow256Panels<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>(), c = Vector256<T>.Count;
        nuint w1 = (nuint)width, c1 = (nuint)c;
        ref T b1 = ref Unsafe.Add(ref packed, (inputs + 1) * width); // panel 1's bias row
        ref T p0 = ref Unsafe.Add(ref packed, width); // the weights, after each bias row
        ref T p1 = ref Unsafe.Add(ref b1, width);
        Vector256<T> a0 = Vector256.LoadUnsafe(ref packed), a1 = Vector256.LoadUnsafe(ref packed, c1);
        Vector256<T> a2 = Vector256.LoadUnsafe(ref b1), a3 = Vector256.LoadUnsafe(ref b1, c1);
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * w1;
            Vector256<T> v = Vector256.Create(Unsafe.Add(ref x, i));
            a0 = MulAdd(v, Vector256.LoadUnsafe(ref p0, o), a0);
            a1 = MulAdd(v, Vector256.LoadUnsafe(ref p0, o + c1), a1);
            a2 = MulAdd(v, Vector256.LoadUnsafe(ref p1, o), a2);
            a3 = MulAdd(v, Vector256.LoadUnsafe(ref p1, o + c1), a3);
        }

        Store(a0, ref y, 0, units);
        Store(a1, ref y, c, units);
        Store(a2, ref y, width, units);
        Store(a3, ref y, width + c, units);
        ActivateRow(ref y, units, activation);
    }

    /// <summary>a b + c, fused where the CPU has the instruction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> MulAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
        where T : struct
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }
        }

        if (AdvSimd.IsSupported && typeof(T) == typeof(float))
        {
            return AdvSimd.FusedMultiplyAdd(c.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>();
        }

        if (AdvSimd.Arm64.IsSupported && typeof(T) == typeof(double))
        {
            return AdvSimd.Arm64.FusedMultiplyAdd(c.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();
        }

        return (a * b) + c;
    }

    /// <inheritdoc cref="MulAdd{T}(Vector128{T}, Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MulAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        where T : struct
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }
        }

        if (!Vector256.IsHardwareAccelerated)
        {
            // Emulated (the tests run every width): the 128-bit halves, fused where the CPU can.
            return Vector256.Create(MulAdd(a.GetLower(), b.GetLower(), c.GetLower()), MulAdd(a.GetUpper(), b.GetUpper(), c.GetUpper()));
        }

        return (a * b) + c;
    }

    /// <inheritdoc cref="MulAdd{T}(Vector128{T}, Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MulAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        where T : struct
    {
        if (Avx512F.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }
        }

        // Emulated 512-bit (the tests run every width): the 256-bit halves, fused where the CPU can.
        return Vector512.Create(MulAdd(a.GetLower(), b.GetLower(), c.GetLower()), MulAdd(a.GetUpper(), b.GetUpper(), c.GetUpper()));
    }

    /// <summary>
    /// Applies the activation in place to <paramref name="rows"/> rows of min(<paramref name="span"/>,
    /// <paramref name="left"/>) values, <paramref name="stride"/> apart: what a tile stored. Not inlined, on purpose:
    /// the activation (for tanh, VectorMath's polynomial through its generic wrappers) is compiled once here instead
    /// of at each of a tile's 8-12 accumulators, where the JIT's inlining budget ran out and left calls in the tile
    /// (tanh layers ran about 10 times slower than ReLU ones; docs/performance.md). The activation works lane by lane,
    /// so the width used here does not change a bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Activate<T, TActivation>(ref T y, int stride, int rows, int span, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        // The identity (linear layers, and training's forward, which activates a whole tile afterwards) has nothing to do:
        // no call and no pass over what the tile stored.
        if (typeof(TActivation) != typeof(IdentityActivation<T>))
        {
            ActivateTile(ref y, stride, rows, span, left, activation);
        }
    }

    /// <summary><see cref="Activate"/>'s pass, compiled once per activation (see there).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ActivateTile<T, TActivation>(ref T y, int stride, int rows, int span, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int count = Math.Min(span, left);
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref y, r * stride);
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; j + Vector512<T>.Count <= count; j += Vector512<T>.Count)
                {
                    activation.Apply(Vector512.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
                }
            }

            if (Vector256.IsHardwareAccelerated)
            {
                for (; j + Vector256<T>.Count <= count; j += Vector256<T>.Count)
                {
                    activation.Apply(Vector256.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
                }
            }

            for (; j + Vector128<T>.Count <= count; j += Vector128<T>.Count)
            {
                activation.Apply(Vector128.LoadUnsafe(ref row, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
            }

            if (j < count)
            {
                // The last few values through one vector, its unused lanes zero and not stored: written into the
                // vector's lanes in memory and read back from them (WithElement and GetElement at a variable lane each
                // went through memory on their own: 13-32-16-3's 3-unit output layer spent most of its time here).
                Vector128<T> v = Vector128<T>.Zero;
                ref T lanes = ref Unsafe.As<Vector128<T>, T>(ref v);
                for (int k = 0; j + k < count; k++)
                {
                    Unsafe.Add(ref lanes, k) = Unsafe.Add(ref row, j + k);
                }

                v = activation.Apply(v);
                for (int k = 0; j + k < count; k++)
                {
                    Unsafe.Add(ref row, j + k) = Unsafe.Add(ref lanes, k);
                }
            }
        }
    }

    /// <summary>
    /// Applies the activation in place to the <paramref name="count"/> values of one row (what Row128/256/512 stored),
    /// a vector of the process's width at a time (one inlined copy of the activation), the last few values through
    /// <see cref="ActivateTile"/>. The activation works lane by lane, so this gives the bits the tiles' pass gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ActivateRow<T, TActivation>(ref T y, int count, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (typeof(TActivation) == typeof(IdentityActivation<T>))
        {
            return;
        }

        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<T>.Count <= count; j += Vector512<T>.Count)
            {
                activation.Apply(Vector512.LoadUnsafe(ref y, (nuint)j)).StoreUnsafe(ref y, (nuint)j);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<T>.Count <= count; j += Vector256<T>.Count)
            {
                activation.Apply(Vector256.LoadUnsafe(ref y, (nuint)j)).StoreUnsafe(ref y, (nuint)j);
            }
        }
        else
        {
            for (; j + Vector128<T>.Count <= count; j += Vector128<T>.Count)
            {
                activation.Apply(Vector128.LoadUnsafe(ref y, (nuint)j)).StoreUnsafe(ref y, (nuint)j);
            }
        }

        if (j < count)
        {
            // The last few values: ActivateTile's pass (a call, after everything the row kept in registers).
            ActivateTile(ref Unsafe.Add(ref y, j), 0, 1, count - j, count - j, activation);
        }
    }

    /// <summary>Stores the lanes of <paramref name="v"/> that fall before <paramref name="left"/> at row + offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector128<T> v, ref T row, int offset, int left)
        where T : struct
    {
        if (offset + Vector128<T>.Count <= left)
        {
            v.StoreUnsafe(ref row, (nuint)offset);
        }
        else if (offset < left)
        {
            StoreFirst(v, ref Unsafe.Add(ref row, offset), left - offset);
        }
    }

    /// <inheritdoc cref="Store{T}(Vector128{T}, ref T, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector256<T> v, ref T row, int offset, int left)
        where T : struct
    {
        if (offset + Vector256<T>.Count <= left)
        {
            v.StoreUnsafe(ref row, (nuint)offset);
        }
        else if (offset < left)
        {
            StoreFirst(v, ref Unsafe.Add(ref row, offset), left - offset);
        }
    }

    /// <inheritdoc cref="Store{T}(Vector128{T}, ref T, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector512<T> v, ref T row, int offset, int left)
        where T : struct
    {
        if (offset + Vector512<T>.Count <= left)
        {
            v.StoreUnsafe(ref row, (nuint)offset);
        }
        else if (offset < left)
        {
            StoreFirst(v, ref Unsafe.Add(ref row, offset), left - offset);
        }
    }

    /// <summary>
    /// Stores the first <paramref name="count"/> lanes of <paramref name="v"/> (fewer than all) at target: whole halves,
    /// then pairs and single lanes, each taken from a register. Not through memory: taking the vector's address would keep
    /// it, and so every accumulator a tile passes here, in the stack frame of the whole method; not a call either, which
    /// would send every vector live across it to the stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFirst<T>(Vector128<T> v, ref T target, int count)
        where T : struct
    {
        if (Vector128<T>.Count == 4 && count >= 2)
        {
            // Two floats as one 64-bit lane, then the upper pair moved down.
            Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref target), v.AsUInt64().ToScalar());
            v = Vector128.Create(v.AsUInt64().GetElement(1)).As<ulong, T>();
            target = ref Unsafe.Add(ref target, 2);
            count -= 2;
        }

        if (count == 1)
        {
            target = v.ToScalar();
        }
    }

    /// <inheritdoc cref="StoreFirst{T}(Vector128{T}, ref T, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFirst<T>(Vector256<T> v, ref T target, int count)
        where T : struct
    {
        Vector128<T> half = v.GetLower();
        if (count >= Vector128<T>.Count)
        {
            half.StoreUnsafe(ref target);
            half = v.GetUpper();
            target = ref Unsafe.Add(ref target, Vector128<T>.Count);
            count -= Vector128<T>.Count;
        }

        StoreFirst(half, ref target, count);
    }

    /// <inheritdoc cref="StoreFirst{T}(Vector128{T}, ref T, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFirst<T>(Vector512<T> v, ref T target, int count)
        where T : struct
    {
        Vector256<T> half = v.GetLower();
        if (count >= Vector256<T>.Count)
        {
            half.StoreUnsafe(ref target);
            half = v.GetUpper();
            target = ref Unsafe.Add(ref target, Vector256<T>.Count);
            count -= Vector256<T>.Count;
        }

        StoreFirst(half, ref target, count);
    }
}
