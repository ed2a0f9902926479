using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>
/// The products of backpropagation over a tile of rows that generated <c>TrainBatch</c> code calls for each dense
/// layer: the bias gradient as column sums of δ, the weight gradient δᵀ X and the input gradient δ W. Rows are stored
/// one after another (row-major), weights as PyTorch stores them ([units, inputs], row-major).
/// </summary>
/// <remarks>
/// Each kernel keeps a block of results in registers over a whole loop (4 units or 4 rows by up to two
/// <see cref="Vector{T}"/> of inputs), so the weight gradient is read and written once per tile instead of once per
/// row, and each vector of weights is loaded once for 4 rows. Every result is nevertheless the same sum in the same
/// order as adding one row after another would give (rows in order for the parameter gradients, units in order for
/// the input gradient), for float with one fused multiply-add per product (<see cref="MathF.FusedMultiplyAdd"/>'s
/// rounding where the CPU has no such instruction), for double with a separate multiply and add: the results do not
/// depend on the tile size, the vector width or the machine. See docs/performance.md, "Training kernels".
/// </remarks>
public static partial class TrainingKernels
{
    /// <summary>Units of the weight gradient, and rows of the input gradient, held in registers together.</summary>
    private const int Block = 4;

    /// <summary>
    /// Training's forward pass through one dense layer for a tile of <paramref name="rows"/> rows: z = W x + b from the
    /// packed copy through <see cref="PackedDense"/> (the operations <c>Predict</c> runs, so the same bits), written to
    /// <paramref name="z"/>, then y = f(z) a vector at a time into <paramref name="y"/> (which may be z itself).
    /// Nothing is checked (generated code calls it with its own constants).
    /// </summary>
    /// <remarks>
    /// The activation runs as a pass of its own over the tile rather than on the kernel's accumulators: one inlined
    /// copy of f in a loop, instead of one per accumulator of a register tile (twelve copies of a transcendental
    /// function exceed what the JIT inlines, and the calls that remain cost more than the pass). An
    /// <see cref="IdentityActivation{T}"/> with y = z skips the pass.
    /// </remarks>
    /// <param name="packed">The layer's packed weights and biases (<see cref="PackedDense.Pack{T}"/>).</param>
    /// <param name="inputs">The layer's inputs.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="x">The input rows, <paramref name="inputs"/> apart.</param>
    /// <param name="z">Where the pre-activations go, rows <paramref name="units"/> apart.</param>
    /// <param name="y">Where the outputs go, rows <paramref name="units"/> apart.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="activation">f.</param>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TActivation">The layer's vector activation.</typeparam>
    public static void DenseForward<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T z, ref T y, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (typeof(T) == typeof(float) && Fma.IsSupported && Vector256.IsHardwareAccelerated && units <= Vector256<float>.Count)
        {
            NarrowForward(ref Unsafe.As<T, float>(ref packed), inputs, units, ref Unsafe.As<T, float>(ref x), ref Unsafe.As<T, float>(ref z), rows);
        }
        else if (Vector256.IsHardwareAccelerated && rows % 6 == 2 && rows >= 8)
        {
            // PackedDense's tiles are 6 rows, then one of 4, and any rows after those go one at a time, each over every
            // panel of the layer (a 32-row tile: 5 x 6, then 2 single rows, each streaming the layer's weights from
            // memory again). Rows - 4 rows end on a 4-row tile, and the last 4 rows are a 4-row tile: every row in a
            // register tile. Each output is the same operations in the same order whichever tile computes it.
            PackedDense.Forward(ref packed, inputs, units, ref x, ref z, rows - 4, default(IdentityActivation<T>));
            PackedDense.Forward(ref packed, inputs, units, ref Unsafe.Add(ref x, (rows - 4) * inputs), ref Unsafe.Add(ref z, (rows - 4) * units), 4,
                default(IdentityActivation<T>));
        }
        else
        {
            PackedDense.Forward(ref packed, inputs, units, ref x, ref z, rows, default(IdentityActivation<T>));
        }

        if (typeof(TActivation) == typeof(IdentityActivation<T>))
        {
            if (!Unsafe.AreSame(ref z, ref y))
            {
                MemoryMarshal.CreateReadOnlySpan(ref z, rows * units).CopyTo(MemoryMarshal.CreateSpan(ref y, rows * units));
            }

            return;
        }

        Activate(ref z, ref y, rows * units, activation);
    }

    /// <summary>
    /// z = W x + b for a layer of at most 8 units (float, <see cref="Vector256{T}"/> with fused multiply-add), 8 rows
    /// at a time from the first 8 units of the layer's one packed panel: <see cref="PackedDense"/>'s tiles compute the
    /// panel's 16 units whatever the layer uses (4 of 16 for 4-32-16-4's output). Each value is the bias, then one fused
    /// multiply-add per input in order: PackedDense's operations, so the same bits.
    /// </summary>
    private static void NarrowForward(ref float packed, int inputs, int units, ref float x, ref float z, int rows)
    {
        const int Width = 16; // PackedDense.PanelWidth<float>(): the bias row, then one row per input
        Vector256<float> bias = Vector256.LoadUnsafe(ref packed);
        ref float w = ref Unsafe.Add(ref packed, Width);
        int end = rows * units;
        int r = 0;
        for (; r <= rows - 8; r += 8)
        {
            ref float x0 = ref Unsafe.Add(ref x, r * inputs);
            ref float x1 = ref Unsafe.Add(ref x0, inputs);
            ref float x2 = ref Unsafe.Add(ref x1, inputs);
            ref float x3 = ref Unsafe.Add(ref x2, inputs);
            ref float x4 = ref Unsafe.Add(ref x3, inputs);
            ref float x5 = ref Unsafe.Add(ref x4, inputs);
            ref float x6 = ref Unsafe.Add(ref x5, inputs);
            ref float x7 = ref Unsafe.Add(ref x6, inputs);
            Vector256<float> a0 = bias, a1 = bias, a2 = bias, a3 = bias, a4 = bias, a5 = bias, a6 = bias, a7 = bias;
            for (int i = 0; i < inputs; i++)
            {
                Vector256<float> wi = Vector256.LoadUnsafe(ref w, (nuint)(i * Width));
                a0 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x0, i)), wi, a0);
                a1 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x1, i)), wi, a1);
                a2 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x2, i)), wi, a2);
                a3 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x3, i)), wi, a3);
                a4 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x4, i)), wi, a4);
                a5 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x5, i)), wi, a5);
                a6 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x6, i)), wi, a6);
                a7 = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref x7, i)), wi, a7);
            }

            // Rows in order: a whole-vector store spills into the next row's values, which the next store rewrites.
            int at = r * units;
            StoreNarrow(a0, ref z, at, units, end);
            StoreNarrow(a1, ref z, at + units, units, end);
            StoreNarrow(a2, ref z, at + (2 * units), units, end);
            StoreNarrow(a3, ref z, at + (3 * units), units, end);
            StoreNarrow(a4, ref z, at + (4 * units), units, end);
            StoreNarrow(a5, ref z, at + (5 * units), units, end);
            StoreNarrow(a6, ref z, at + (6 * units), units, end);
            StoreNarrow(a7, ref z, at + (7 * units), units, end);
        }

        for (; r < rows; r++)
        {
            ref float xr = ref Unsafe.Add(ref x, r * inputs);
            Vector256<float> a = bias;
            for (int i = 0; i < inputs; i++)
            {
                a = Fma.MultiplyAdd(Vector256.Create(Unsafe.Add(ref xr, i)), Vector256.LoadUnsafe(ref w, (nuint)(i * Width)), a);
            }

            StoreNarrow(a, ref z, r * units, units, end);
        }
    }

    /// <summary>Stores a row's <paramref name="units"/> values at z + at: the whole vector while it ends inside the tile, else lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreNarrow(Vector256<float> v, ref float z, int at, int units, int end)
    {
        if (at + Vector256<float>.Count <= end)
        {
            v.StoreUnsafe(ref z, (nuint)at);
        }
        else
        {
            for (int j = 0; j < units; j++)
            {
                Unsafe.Add(ref z, at + j) = v.GetElement(j);
            }
        }
    }

    /// <summary>
    /// y[k] = f(z[k]) for <paramref name="count"/> values (in place when y is z), at the width <see cref="PackedDense"/>
    /// runs; the last values that do not fill a vector go through one vector padded with zeros. Each lane is computed
    /// alone, so the results are those of f on the kernel's accumulators.
    /// </summary>
    /// <param name="z">The pre-activations.</param>
    /// <param name="y">Where f(z) goes.</param>
    /// <param name="count">The number of values.</param>
    /// <param name="activation">f.</param>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TActivation">The layer's vector activation.</typeparam>
    public static void Activate<T, TActivation>(ref T z, ref T y, int count, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; k <= count - Vector512<T>.Count; k += Vector512<T>.Count)
            {
                activation.Apply(Vector512.LoadUnsafe(ref z, (nuint)k)).StoreUnsafe(ref y, (nuint)k);
            }

            if (k < count)
            {
                Vector512<T> last = Vector512<T>.Zero;
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref z, k), count - k).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.As<Vector512<T>, T>(ref last), Vector512<T>.Count));
                last = activation.Apply(last);
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Vector512<T>, T>(ref last), count - k).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref y, k), count - k));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; k <= count - Vector256<T>.Count; k += Vector256<T>.Count)
            {
                activation.Apply(Vector256.LoadUnsafe(ref z, (nuint)k)).StoreUnsafe(ref y, (nuint)k);
            }

            if (k < count)
            {
                Vector256<T> last = Vector256<T>.Zero;
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref z, k), count - k).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.As<Vector256<T>, T>(ref last), Vector256<T>.Count));
                last = activation.Apply(last);
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Vector256<T>, T>(ref last), count - k).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref y, k), count - k));
            }
        }
        else
        {
            for (; k <= count - Vector128<T>.Count; k += Vector128<T>.Count)
            {
                activation.Apply(Vector128.LoadUnsafe(ref z, (nuint)k)).StoreUnsafe(ref y, (nuint)k);
            }

            if (k < count)
            {
                Vector128<T> last = Vector128<T>.Zero;
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref z, k), count - k).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.As<Vector128<T>, T>(ref last), Vector128<T>.Count));
                last = activation.Apply(last);
                MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Vector128<T>, T>(ref last), count - k).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref y, k), count - k));
            }
        }
    }

    /// <summary>sums[c] += values[r, c] for each row r in order: the column sums of <paramref name="rows"/> rows of <c>sums.Length</c> values, added in.</summary>
    /// <param name="sums">One value per column, added to.</param>
    /// <param name="values">At least <paramref name="rows"/> × <c>sums.Length</c> values, row after row.</param>
    /// <param name="rows">The number of rows.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void AddColumnSums<T>(Span<T> sums, ReadOnlySpan<T> values, int rows)
        where T : unmanaged, INumberBase<T>
    {
        Check(values.Length, rows, sums.Length, nameof(values));
        if (AddsChunk)
        {
            // A later chunk on one thread (TrainingKernels.Chunks.cs): the sums from zero, then added to the values found.
            Span<T> saved = SaveAndClear(sums);
            ColumnSums(sums, values, rows);
            AddSaved(sums, saved);
            return;
        }

        ColumnSums(sums, values, rows);
    }

    private static void ColumnSums<T>(Span<T> sums, ReadOnlySpan<T> values, int rows)
        where T : unmanaged, INumberBase<T>
    {
        int columns = sums.Length;
        ref T s = ref MemoryMarshal.GetReference(sums);
        ref T v = ref MemoryMarshal.GetReference(values);
        int n = Vector<T>.Count;
        int c = 0;

        // Several columns per pass over the rows: each column's sum is one dependent chain of adds, so four chains
        // keep the adder busy. Every column is still its start value plus row 0, row 1, ... in order.
        for (; c <= columns - (4 * n); c += 4 * n)
        {
            Vector<T> s0 = Vector.LoadUnsafe(ref s, (nuint)c), s1 = Vector.LoadUnsafe(ref s, (nuint)(c + n));
            Vector<T> s2 = Vector.LoadUnsafe(ref s, (nuint)(c + (2 * n))), s3 = Vector.LoadUnsafe(ref s, (nuint)(c + (3 * n)));
            ref T row = ref Unsafe.Add(ref v, c);
            for (int r = 0; r < rows; r++)
            {
                s0 += Vector.LoadUnsafe(ref row);
                s1 += Vector.LoadUnsafe(ref row, (nuint)n);
                s2 += Vector.LoadUnsafe(ref row, (nuint)(2 * n));
                s3 += Vector.LoadUnsafe(ref row, (nuint)(3 * n));
                row = ref Unsafe.Add(ref row, columns);
            }

            s0.StoreUnsafe(ref s, (nuint)c);
            s1.StoreUnsafe(ref s, (nuint)(c + n));
            s2.StoreUnsafe(ref s, (nuint)(c + (2 * n)));
            s3.StoreUnsafe(ref s, (nuint)(c + (3 * n)));
        }

        for (; c <= columns - (2 * n); c += 2 * n)
        {
            Vector<T> s0 = Vector.LoadUnsafe(ref s, (nuint)c), s1 = Vector.LoadUnsafe(ref s, (nuint)(c + n));
            ref T row = ref Unsafe.Add(ref v, c);
            for (int r = 0; r < rows; r++)
            {
                s0 += Vector.LoadUnsafe(ref row);
                s1 += Vector.LoadUnsafe(ref row, (nuint)n);
                row = ref Unsafe.Add(ref row, columns);
            }

            s0.StoreUnsafe(ref s, (nuint)c);
            s1.StoreUnsafe(ref s, (nuint)(c + n));
        }

        for (; c <= columns - n; c += n)
        {
            Vector<T> sum = Vector.LoadUnsafe(ref s, (nuint)c);
            ref T row = ref Unsafe.Add(ref v, c);
            for (int r = 0; r < rows; r++)
            {
                sum += Vector.LoadUnsafe(ref row);
                row = ref Unsafe.Add(ref row, columns);
            }

            sum.StoreUnsafe(ref s, (nuint)c);
        }

        for (; c <= columns - 4; c += 4)
        {
            T s0 = Unsafe.Add(ref s, c), s1 = Unsafe.Add(ref s, c + 1), s2 = Unsafe.Add(ref s, c + 2), s3 = Unsafe.Add(ref s, c + 3);
            ref T row = ref Unsafe.Add(ref v, c);
            for (int r = 0; r < rows; r++)
            {
                s0 += row;
                s1 += Unsafe.Add(ref row, 1);
                s2 += Unsafe.Add(ref row, 2);
                s3 += Unsafe.Add(ref row, 3);
                row = ref Unsafe.Add(ref row, columns);
            }

            Unsafe.Add(ref s, c) = s0;
            Unsafe.Add(ref s, c + 1) = s1;
            Unsafe.Add(ref s, c + 2) = s2;
            Unsafe.Add(ref s, c + 3) = s3;
        }

        for (; c < columns; c++)
        {
            T sum = Unsafe.Add(ref s, c);
            for (int r = 0; r < rows; r++)
            {
                sum += Unsafe.Add(ref v, (r * columns) + c);
            }

            Unsafe.Add(ref s, c) = sum;
        }
    }

    /// <summary>
    /// weightGradient[u, i] += deltas[r, u] · inputs[r, i] for each row r in order: adds δᵀ X over a tile of rows.
    /// </summary>
    /// <param name="weightGradient"><paramref name="units"/> × <paramref name="inputCount"/> values, added to.</param>
    /// <param name="deltas"><paramref name="rows"/> × <paramref name="units"/> values: dL/dz of each row.</param>
    /// <param name="inputs"><paramref name="rows"/> × <paramref name="inputCount"/> values: the layer's input rows.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="inputCount">The layer's inputs.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void AddWeightGradient<T>(Span<T> weightGradient, ReadOnlySpan<T> deltas, ReadOnlySpan<T> inputs, int rows, int units, int inputCount)
        where T : unmanaged, INumberBase<T>
    {
        Check(weightGradient.Length, units, inputCount, nameof(weightGradient));
        Check(deltas.Length, rows, units, nameof(deltas));
        Check(inputs.Length, rows, inputCount, nameof(inputs));
        ref T dw = ref MemoryMarshal.GetReference(weightGradient);
        ref T d = ref MemoryMarshal.GetReference(deltas);
        ref T x = ref MemoryMarshal.GetReference(inputs);
        bool addsChunk = AddsChunk;
        if (typeof(T) == typeof(float) && IsWide(units, inputCount) && (!addsChunk || WideAddsChunk(rows)))
        {
            WideWeightGradient(ref Unsafe.As<T, float>(ref dw), ref Unsafe.As<T, float>(ref d), ref Unsafe.As<T, float>(ref x), rows, units, inputCount, addsChunk);
            return;
        }

        if (addsChunk)
        {
            // A later chunk on one thread (TrainingKernels.Chunks.cs): the sums from zero, then added to the values found.
            Span<T> target = weightGradient[..(units * inputCount)];
            Span<T> saved = SaveAndClear(target);
            WeightGradient(ref dw, ref d, ref x, rows, units, inputCount);
            AddSaved(target, saved);
            return;
        }

        WeightGradient(ref dw, ref d, ref x, rows, units, inputCount);
    }

    private static void WeightGradient<T>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount)
        where T : unmanaged, INumberBase<T>
    {
        if (typeof(T) == typeof(float) && IsWide(units, inputCount))
        {
            WideWeightGradient(ref Unsafe.As<T, float>(ref dw), ref Unsafe.As<T, float>(ref d), ref Unsafe.As<T, float>(ref x), rows, units, inputCount, addsChunk: false);
            return;
        }

        int u = 0;
        if (inputCount < Vector<T>.Count)
        {
            // Narrow inputs fill no vector: vectors of units instead (δ rows are contiguous over units).
            for (; u <= units - (2 * Vector<T>.Count); u += 2 * Vector<T>.Count)
            {
                int i = 0;
                for (; i <= inputCount - Block; i += Block)
                {
                    UnitsBlock4x2(ref dw, ref d, ref x, rows, units, inputCount, u, i);
                }

                for (; i < inputCount; i++)
                {
                    UnitsBlock1(ref dw, ref d, ref x, rows, units, inputCount, u, i);
                    UnitsBlock1(ref dw, ref d, ref x, rows, units, inputCount, u + Vector<T>.Count, i);
                }
            }

            for (; u <= units - Vector<T>.Count; u += Vector<T>.Count)
            {
                int i = 0;
                for (; i <= inputCount - Block; i += Block)
                {
                    UnitsBlock4(ref dw, ref d, ref x, rows, units, inputCount, u, i);
                }

                for (; i < inputCount; i++)
                {
                    UnitsBlock1(ref dw, ref d, ref x, rows, units, inputCount, u, i);
                }
            }
        }

        for (; u <= units - Block; u += Block)
        {
            WeightBlock4(ref Unsafe.Add(ref dw, u * inputCount), ref Unsafe.Add(ref d, u), ref x, rows, units, inputCount);
        }

        for (; u < units; u++)
        {
            WeightBlock1(ref Unsafe.Add(ref dw, u * inputCount), ref Unsafe.Add(ref d, u), ref x, rows, units, inputCount);
        }
    }

    /// <summary>
    /// inputGradient[r, i] = Σ_u deltas[r, u] · weights[u, i], units in order: writes δ W, the gradient of a layer's
    /// input rows.
    /// </summary>
    /// <param name="inputGradient"><paramref name="rows"/> × <paramref name="inputCount"/> values, overwritten.</param>
    /// <param name="deltas"><paramref name="rows"/> × <paramref name="units"/> values: dL/dz of each row.</param>
    /// <param name="weights"><paramref name="units"/> × <paramref name="inputCount"/> values: the layer's weights.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="inputCount">The layer's inputs.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void InputGradient<T>(Span<T> inputGradient, ReadOnlySpan<T> deltas, ReadOnlySpan<T> weights, int rows, int units, int inputCount)
        where T : unmanaged, INumberBase<T> =>
        InputGradient(inputGradient, deltas, weights, rows, units, inputCount, ReadOnlySpan<T>.Empty, default(NoDerivative<T>));

    /// <summary>
    /// inputGradient[r, i] = (Σ_u deltas[r, u] · weights[u, i]) · f'(inputs[r, i]): δ W, units in order, turned into the
    /// δ of the layer below, whose outputs are this layer's <paramref name="inputs"/> and whose f' reads only them
    /// (tanh's 1 - y², sigmoid's, ReLU's). Each value is the one <see cref="ElementWise.MultiplyByDerivative"/> gives
    /// on the rows <see cref="InputGradient{T}(Span{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, int, int, int)"/> writes (the
    /// same product, g times f'), without a pass of its own over them.
    /// </summary>
    /// <param name="inputGradient"><paramref name="rows"/> × <paramref name="inputCount"/> values, overwritten with δ of the layer below.</param>
    /// <param name="deltas"><paramref name="rows"/> × <paramref name="units"/> values: dL/dz of each row.</param>
    /// <param name="weights"><paramref name="units"/> × <paramref name="inputCount"/> values: the layer's weights.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="inputCount">The layer's inputs.</param>
    /// <param name="inputs"><paramref name="rows"/> × <paramref name="inputCount"/> values: the layer's input rows, the outputs y of the layer below.</param>
    /// <param name="derivative">The layer below's f', called with y for both of its operands.</param>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TDerivative">The layer below's activation.</typeparam>
    public static void InputGradient<T, TDerivative>(Span<T> inputGradient, ReadOnlySpan<T> deltas, ReadOnlySpan<T> weights, int rows, int units, int inputCount,
        ReadOnlySpan<T> inputs, TDerivative derivative)
        where T : unmanaged, INumberBase<T>
        where TDerivative : struct, IVectorDerivative<T>
    {
        Check(inputGradient.Length, rows, inputCount, nameof(inputGradient));
        Check(deltas.Length, rows, units, nameof(deltas));
        Check(weights.Length, units, inputCount, nameof(weights));
        bool fused = typeof(TDerivative) != typeof(NoDerivative<T>);
        if (fused)
        {
            Check(inputs.Length, rows, inputCount, nameof(inputs));
        }

        ref T gIn = ref MemoryMarshal.GetReference(inputGradient);
        ref T d = ref MemoryMarshal.GetReference(deltas);
        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T y = ref fused ? ref MemoryMarshal.GetReference(inputs) : ref gIn; // without f', a reference that is never read
        if (typeof(T) == typeof(float) && IsWide(units, inputCount))
        {
            WideInputGradient(ref Unsafe.As<T, float>(ref gIn), ref Unsafe.As<T, float>(ref d), ref Unsafe.As<T, float>(ref w), rows, units, inputCount);
            if (fused)
            {
                ElementWise.MultiplyByDerivative(ref gIn, ref y, ref y, rows * inputCount, derivative);
            }

            return;
        }

        int r = 0;
        for (; r <= rows - Block; r += Block)
        {
            InputBlock4(ref Unsafe.Add(ref gIn, r * inputCount), ref Unsafe.Add(ref d, r * units), ref w, units, inputCount, ref Unsafe.Add(ref y, r * inputCount), derivative);
        }

        for (; r < rows; r++)
        {
            InputBlock1(ref Unsafe.Add(ref gIn, r * inputCount), ref Unsafe.Add(ref d, r * units), ref w, units, inputCount, ref Unsafe.Add(ref y, r * inputCount), derivative);
        }
    }

    /// <summary>
    /// The weight gradient of units u..u+Vector&lt;T&gt;.Count-1 for inputs i..i+3, one vector of units per input, held in
    /// registers over all the rows (gathered from dw first and scattered back, so each value is still dw + the rows' products in order).
    /// </summary>
    private static void UnitsBlock4<T>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount, int u, int i)
        where T : unmanaged, INumberBase<T>
    {
        ref T column = ref Unsafe.Add(ref dw, (u * inputCount) + i);
        Vector<T> s0 = Gather(ref column, inputCount), s1 = Gather(ref Unsafe.Add(ref column, 1), inputCount);
        Vector<T> s2 = Gather(ref Unsafe.Add(ref column, 2), inputCount), s3 = Gather(ref Unsafe.Add(ref column, 3), inputCount);
        ref T dr = ref Unsafe.Add(ref d, u);
        ref T xr = ref Unsafe.Add(ref x, i);
        for (int r = 0; r < rows; r++)
        {
            Vector<T> delta = Vector.LoadUnsafe(ref dr);
            s0 = MulAdd(delta, new Vector<T>(xr), s0);
            s1 = MulAdd(delta, new Vector<T>(Unsafe.Add(ref xr, 1)), s1);
            s2 = MulAdd(delta, new Vector<T>(Unsafe.Add(ref xr, 2)), s2);
            s3 = MulAdd(delta, new Vector<T>(Unsafe.Add(ref xr, 3)), s3);
            dr = ref Unsafe.Add(ref dr, units);
            xr = ref Unsafe.Add(ref xr, inputCount);
        }

        Scatter(s0, ref column, inputCount);
        Scatter(s1, ref Unsafe.Add(ref column, 1), inputCount);
        Scatter(s2, ref Unsafe.Add(ref column, 2), inputCount);
        Scatter(s3, ref Unsafe.Add(ref column, 3), inputCount);
    }

    /// <summary>
    /// <see cref="UnitsBlock4"/> for two vectors of units (u..u+2·Vector&lt;T&gt;.Count-1) at once: eight independent sums,
    /// enough to hide the adder's latency, each still dw plus the rows' products in row order.
    /// </summary>
    private static void UnitsBlock4x2<T>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount, int u, int i)
        where T : unmanaged, INumberBase<T>
    {
        int n = Vector<T>.Count;
        ref T column = ref Unsafe.Add(ref dw, (u * inputCount) + i);
        ref T next = ref Unsafe.Add(ref column, n * inputCount);
        Vector<T> s0 = Gather(ref column, inputCount), s1 = Gather(ref Unsafe.Add(ref column, 1), inputCount);
        Vector<T> s2 = Gather(ref Unsafe.Add(ref column, 2), inputCount), s3 = Gather(ref Unsafe.Add(ref column, 3), inputCount);
        Vector<T> t0 = Gather(ref next, inputCount), t1 = Gather(ref Unsafe.Add(ref next, 1), inputCount);
        Vector<T> t2 = Gather(ref Unsafe.Add(ref next, 2), inputCount), t3 = Gather(ref Unsafe.Add(ref next, 3), inputCount);
        ref T dr = ref Unsafe.Add(ref d, u);
        ref T xr = ref Unsafe.Add(ref x, i);
        for (int r = 0; r < rows; r++)
        {
            Vector<T> d0 = Vector.LoadUnsafe(ref dr), d1 = Vector.LoadUnsafe(ref dr, (nuint)n);
            Vector<T> x0 = new(xr), x1 = new(Unsafe.Add(ref xr, 1)), x2 = new(Unsafe.Add(ref xr, 2)), x3 = new(Unsafe.Add(ref xr, 3));
            s0 = MulAdd(d0, x0, s0);
            t0 = MulAdd(d1, x0, t0);
            s1 = MulAdd(d0, x1, s1);
            t1 = MulAdd(d1, x1, t1);
            s2 = MulAdd(d0, x2, s2);
            t2 = MulAdd(d1, x2, t2);
            s3 = MulAdd(d0, x3, s3);
            t3 = MulAdd(d1, x3, t3);
            dr = ref Unsafe.Add(ref dr, units);
            xr = ref Unsafe.Add(ref xr, inputCount);
        }

        Scatter(s0, ref column, inputCount);
        Scatter(s1, ref Unsafe.Add(ref column, 1), inputCount);
        Scatter(s2, ref Unsafe.Add(ref column, 2), inputCount);
        Scatter(s3, ref Unsafe.Add(ref column, 3), inputCount);
        Scatter(t0, ref next, inputCount);
        Scatter(t1, ref Unsafe.Add(ref next, 1), inputCount);
        Scatter(t2, ref Unsafe.Add(ref next, 2), inputCount);
        Scatter(t3, ref Unsafe.Add(ref next, 3), inputCount);
    }

    /// <summary><see cref="UnitsBlock4"/> for one input.</summary>
    private static void UnitsBlock1<T>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount, int u, int i)
        where T : unmanaged, INumberBase<T>
    {
        ref T column = ref Unsafe.Add(ref dw, (u * inputCount) + i);
        Vector<T> s0 = Gather(ref column, inputCount);
        ref T dr = ref Unsafe.Add(ref d, u);
        ref T xr = ref Unsafe.Add(ref x, i);
        for (int r = 0; r < rows; r++)
        {
            s0 = MulAdd(Vector.LoadUnsafe(ref dr), new Vector<T>(xr), s0);
            dr = ref Unsafe.Add(ref dr, units);
            xr = ref Unsafe.Add(ref xr, inputCount);
        }

        Scatter(s0, ref column, inputCount);
    }

    /// <summary>
    /// c + a b for the products of the narrow paths: for float one fused multiply-add (a single rounding, with
    /// <see cref="MathF.FusedMultiplyAdd"/>'s result on a machine without the instruction), for double a separate multiply
    /// and add.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> MulAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c)
        where T : unmanaged, INumberBase<T>
    {
        if (typeof(T) != typeof(float))
        {
            return c + (a * b);
        }

        if (Fma.IsSupported && Vector<T>.Count == Vector256<float>.Count)
        {
            return Fma.MultiplyAdd(a.AsVector256().AsSingle(), b.AsVector256().AsSingle(), c.AsVector256().AsSingle()).As<float, T>().AsVector();
        }

        if (Fma.IsSupported && Vector<T>.Count == Vector128<float>.Count)
        {
            return Fma.MultiplyAdd(a.AsVector128().AsSingle(), b.AsVector128().AsSingle(), c.AsVector128().AsSingle()).As<float, T>().AsVector();
        }

        if (Avx512F.IsSupported && Vector<T>.Count == Vector512<float>.Count)
        {
            return Avx512F.FusedMultiplyAdd(a.AsVector512().AsSingle(), b.AsVector512().AsSingle(), c.AsVector512().AsSingle()).As<float, T>().AsVector();
        }

        Vector<T> sum = default;
        ref float lane = ref Unsafe.As<Vector<T>, float>(ref sum);
        for (int j = 0; j < Vector<T>.Count; j++)
        {
            Unsafe.Add(ref lane, j) = MathF.FusedMultiplyAdd(float.CreateTruncating(a[j]), float.CreateTruncating(b[j]), float.CreateTruncating(c[j]));
        }

        return sum;
    }

    /// <inheritdoc cref="MulAdd{T}(Vector{T}, Vector{T}, Vector{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T MulAdd<T>(T a, T b, T c)
        where T : unmanaged, INumberBase<T>
    {
        if (typeof(T) == typeof(float))
        {
            float sum = MathF.FusedMultiplyAdd(Unsafe.As<T, float>(ref a), Unsafe.As<T, float>(ref b), Unsafe.As<T, float>(ref c));
            return Unsafe.As<float, T>(ref sum);
        }

        return c + (a * b);
    }

    /// <summary>A vector of the values <paramref name="stride"/> apart from <paramref name="first"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Gather<T>(ref T first, int stride)
        where T : unmanaged, INumberBase<T>
    {
        Vector<T> v = default;
        ref T lane = ref Unsafe.As<Vector<T>, T>(ref v);
        for (int j = 0; j < Vector<T>.Count; j++)
        {
            Unsafe.Add(ref lane, j) = Unsafe.Add(ref first, j * stride);
        }

        return v;
    }

    /// <summary>Writes the lanes of <paramref name="v"/> <paramref name="stride"/> apart from <paramref name="first"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter<T>(Vector<T> v, ref T first, int stride)
        where T : unmanaged, INumberBase<T>
    {
        ref T lane = ref Unsafe.As<Vector<T>, T>(ref v);
        for (int j = 0; j < Vector<T>.Count; j++)
        {
            Unsafe.Add(ref first, j * stride) = Unsafe.Add(ref lane, j);
        }
    }

    /// <summary>Four units' weight-gradient rows (dw, inputCount apart) from δ[r, u..u+3] (d, a row units apart).</summary>
    private static void WeightBlock4<T>(ref T dw0, ref T d, ref T x, int rows, int units, int inputCount)
        where T : unmanaged, INumberBase<T>
    {
        ref T dw1 = ref Unsafe.Add(ref dw0, inputCount);
        ref T dw2 = ref Unsafe.Add(ref dw1, inputCount);
        ref T dw3 = ref Unsafe.Add(ref dw2, inputCount);
        int n = Vector<T>.Count;
        int i = 0;
        for (; i <= inputCount - (2 * n); i += 2 * n)
        {
            nuint a = (nuint)i, b = (nuint)(i + n);
            Vector<T> s00 = Vector.LoadUnsafe(ref dw0, a), s01 = Vector.LoadUnsafe(ref dw0, b);
            Vector<T> s10 = Vector.LoadUnsafe(ref dw1, a), s11 = Vector.LoadUnsafe(ref dw1, b);
            Vector<T> s20 = Vector.LoadUnsafe(ref dw2, a), s21 = Vector.LoadUnsafe(ref dw2, b);
            Vector<T> s30 = Vector.LoadUnsafe(ref dw3, a), s31 = Vector.LoadUnsafe(ref dw3, b);
            ref T xr = ref x;
            ref T dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                Vector<T> x0 = Vector.LoadUnsafe(ref xr, a), x1 = Vector.LoadUnsafe(ref xr, b);
                Vector<T> d0 = new(dr), d1 = new(Unsafe.Add(ref dr, 1)), d2 = new(Unsafe.Add(ref dr, 2)), d3 = new(Unsafe.Add(ref dr, 3));
                s00 = MulAdd(d0, x0, s00);
                s01 = MulAdd(d0, x1, s01);
                s10 = MulAdd(d1, x0, s10);
                s11 = MulAdd(d1, x1, s11);
                s20 = MulAdd(d2, x0, s20);
                s21 = MulAdd(d2, x1, s21);
                s30 = MulAdd(d3, x0, s30);
                s31 = MulAdd(d3, x1, s31);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            s00.StoreUnsafe(ref dw0, a);
            s01.StoreUnsafe(ref dw0, b);
            s10.StoreUnsafe(ref dw1, a);
            s11.StoreUnsafe(ref dw1, b);
            s20.StoreUnsafe(ref dw2, a);
            s21.StoreUnsafe(ref dw2, b);
            s30.StoreUnsafe(ref dw3, a);
            s31.StoreUnsafe(ref dw3, b);
        }

        for (; i <= inputCount - n; i += n)
        {
            nuint a = (nuint)i;
            Vector<T> s0 = Vector.LoadUnsafe(ref dw0, a), s1 = Vector.LoadUnsafe(ref dw1, a);
            Vector<T> s2 = Vector.LoadUnsafe(ref dw2, a), s3 = Vector.LoadUnsafe(ref dw3, a);
            ref T xr = ref x;
            ref T dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                Vector<T> x0 = Vector.LoadUnsafe(ref xr, a);
                s0 = MulAdd(new Vector<T>(dr), x0, s0);
                s1 = MulAdd(new Vector<T>(Unsafe.Add(ref dr, 1)), x0, s1);
                s2 = MulAdd(new Vector<T>(Unsafe.Add(ref dr, 2)), x0, s2);
                s3 = MulAdd(new Vector<T>(Unsafe.Add(ref dr, 3)), x0, s3);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            s0.StoreUnsafe(ref dw0, a);
            s1.StoreUnsafe(ref dw1, a);
            s2.StoreUnsafe(ref dw2, a);
            s3.StoreUnsafe(ref dw3, a);
        }

        for (; i < inputCount; i++)
        {
            T s0 = Unsafe.Add(ref dw0, i), s1 = Unsafe.Add(ref dw1, i), s2 = Unsafe.Add(ref dw2, i), s3 = Unsafe.Add(ref dw3, i);
            ref T xr = ref Unsafe.Add(ref x, i);
            ref T dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                T x0 = xr;
                s0 = MulAdd(dr, x0, s0);
                s1 = MulAdd(Unsafe.Add(ref dr, 1), x0, s1);
                s2 = MulAdd(Unsafe.Add(ref dr, 2), x0, s2);
                s3 = MulAdd(Unsafe.Add(ref dr, 3), x0, s3);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            Unsafe.Add(ref dw0, i) = s0;
            Unsafe.Add(ref dw1, i) = s1;
            Unsafe.Add(ref dw2, i) = s2;
            Unsafe.Add(ref dw3, i) = s3;
        }
    }

    /// <summary>One unit's weight-gradient row.</summary>
    private static void WeightBlock1<T>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount)
        where T : unmanaged, INumberBase<T>
    {
        int n = Vector<T>.Count;
        int i = 0;
        for (; i <= inputCount - (2 * n); i += 2 * n)
        {
            nuint a = (nuint)i, b = (nuint)(i + n);
            Vector<T> s0 = Vector.LoadUnsafe(ref dw, a), s1 = Vector.LoadUnsafe(ref dw, b);
            ref T xr = ref x;
            ref T dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                Vector<T> d0 = new(dr);
                s0 = MulAdd(d0, Vector.LoadUnsafe(ref xr, a), s0);
                s1 = MulAdd(d0, Vector.LoadUnsafe(ref xr, b), s1);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            s0.StoreUnsafe(ref dw, a);
            s1.StoreUnsafe(ref dw, b);
        }

        for (; i <= inputCount - n; i += n)
        {
            nuint a = (nuint)i;
            Vector<T> s0 = Vector.LoadUnsafe(ref dw, a);
            ref T xr = ref x;
            ref T dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                s0 = MulAdd(new Vector<T>(dr), Vector.LoadUnsafe(ref xr, a), s0);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            s0.StoreUnsafe(ref dw, a);
        }

        for (; i < inputCount; i++)
        {
            T s0 = Unsafe.Add(ref dw, i);
            ref T xr = ref Unsafe.Add(ref x, i);
            ref T dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                s0 = MulAdd(dr, xr, s0);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            Unsafe.Add(ref dw, i) = s0;
        }
    }

    /// <summary>Four rows of the input gradient (gIn, inputCount apart) from their δ rows (d, units apart), each value times f'(y) unless f' is <see cref="NoDerivative{T}"/>.</summary>
    private static void InputBlock4<T, TDerivative>(ref T g0, ref T d0, ref T w, int units, int inputCount, ref T y0, TDerivative f)
        where T : unmanaged, INumberBase<T>
        where TDerivative : struct, IVectorDerivative<T>
    {
        ref T y1 = ref Unsafe.Add(ref y0, inputCount);
        ref T y2 = ref Unsafe.Add(ref y1, inputCount);
        ref T y3 = ref Unsafe.Add(ref y2, inputCount);
        ref T g1 = ref Unsafe.Add(ref g0, inputCount);
        ref T g2 = ref Unsafe.Add(ref g1, inputCount);
        ref T g3 = ref Unsafe.Add(ref g2, inputCount);
        ref T d1 = ref Unsafe.Add(ref d0, units);
        ref T d2 = ref Unsafe.Add(ref d1, units);
        ref T d3 = ref Unsafe.Add(ref d2, units);
        int n = Vector<T>.Count;
        int i = 0;
        for (; i <= inputCount - (2 * n); i += 2 * n)
        {
            nuint a = (nuint)i, b = (nuint)(i + n);
            Vector<T> s00 = Vector<T>.Zero, s01 = Vector<T>.Zero, s10 = Vector<T>.Zero, s11 = Vector<T>.Zero;
            Vector<T> s20 = Vector<T>.Zero, s21 = Vector<T>.Zero, s30 = Vector<T>.Zero, s31 = Vector<T>.Zero;
            ref T wu = ref w;
            for (int u = 0; u < units; u++)
            {
                Vector<T> w0 = Vector.LoadUnsafe(ref wu, a), w1 = Vector.LoadUnsafe(ref wu, b);
                Vector<T> e0 = new(Unsafe.Add(ref d0, u)), e1 = new(Unsafe.Add(ref d1, u)), e2 = new(Unsafe.Add(ref d2, u)), e3 = new(Unsafe.Add(ref d3, u));
                s00 = MulAdd(e0, w0, s00);
                s01 = MulAdd(e0, w1, s01);
                s10 = MulAdd(e1, w0, s10);
                s11 = MulAdd(e1, w1, s11);
                s20 = MulAdd(e2, w0, s20);
                s21 = MulAdd(e2, w1, s21);
                s30 = MulAdd(e3, w0, s30);
                s31 = MulAdd(e3, w1, s31);
                wu = ref Unsafe.Add(ref wu, inputCount);
            }

            Store(s00, ref g0, a, ref y0, f);
            Store(s01, ref g0, b, ref y0, f);
            Store(s10, ref g1, a, ref y1, f);
            Store(s11, ref g1, b, ref y1, f);
            Store(s20, ref g2, a, ref y2, f);
            Store(s21, ref g2, b, ref y2, f);
            Store(s30, ref g3, a, ref y3, f);
            Store(s31, ref g3, b, ref y3, f);
        }

        for (; i <= inputCount - n; i += n)
        {
            nuint a = (nuint)i;
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
            ref T wu = ref w;
            for (int u = 0; u < units; u++)
            {
                Vector<T> w0 = Vector.LoadUnsafe(ref wu, a);
                s0 = MulAdd(new Vector<T>(Unsafe.Add(ref d0, u)), w0, s0);
                s1 = MulAdd(new Vector<T>(Unsafe.Add(ref d1, u)), w0, s1);
                s2 = MulAdd(new Vector<T>(Unsafe.Add(ref d2, u)), w0, s2);
                s3 = MulAdd(new Vector<T>(Unsafe.Add(ref d3, u)), w0, s3);
                wu = ref Unsafe.Add(ref wu, inputCount);
            }

            Store(s0, ref g0, a, ref y0, f);
            Store(s1, ref g1, a, ref y1, f);
            Store(s2, ref g2, a, ref y2, f);
            Store(s3, ref g3, a, ref y3, f);
        }

        for (; i < inputCount; i++)
        {
            T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
            ref T wu = ref Unsafe.Add(ref w, i);
            for (int u = 0; u < units; u++)
            {
                T w0 = wu;
                s0 = MulAdd(Unsafe.Add(ref d0, u), w0, s0);
                s1 = MulAdd(Unsafe.Add(ref d1, u), w0, s1);
                s2 = MulAdd(Unsafe.Add(ref d2, u), w0, s2);
                s3 = MulAdd(Unsafe.Add(ref d3, u), w0, s3);
                wu = ref Unsafe.Add(ref wu, inputCount);
            }

            Unsafe.Add(ref g0, i) = Times(s0, ref Unsafe.Add(ref y0, i), f);
            Unsafe.Add(ref g1, i) = Times(s1, ref Unsafe.Add(ref y1, i), f);
            Unsafe.Add(ref g2, i) = Times(s2, ref Unsafe.Add(ref y2, i), f);
            Unsafe.Add(ref g3, i) = Times(s3, ref Unsafe.Add(ref y3, i), f);
        }
    }

    /// <summary>One row of the input gradient, as <see cref="InputBlock4"/>.</summary>
    private static void InputBlock1<T, TDerivative>(ref T g, ref T d, ref T w, int units, int inputCount, ref T y, TDerivative f)
        where T : unmanaged, INumberBase<T>
        where TDerivative : struct, IVectorDerivative<T>
    {
        int n = Vector<T>.Count;
        int i = 0;
        for (; i <= inputCount - (2 * n); i += 2 * n)
        {
            nuint a = (nuint)i, b = (nuint)(i + n);
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero;
            ref T wu = ref w;
            for (int u = 0; u < units; u++)
            {
                Vector<T> e = new(Unsafe.Add(ref d, u));
                s0 = MulAdd(e, Vector.LoadUnsafe(ref wu, a), s0);
                s1 = MulAdd(e, Vector.LoadUnsafe(ref wu, b), s1);
                wu = ref Unsafe.Add(ref wu, inputCount);
            }

            Store(s0, ref g, a, ref y, f);
            Store(s1, ref g, b, ref y, f);
        }

        for (; i <= inputCount - n; i += n)
        {
            nuint a = (nuint)i;
            Vector<T> s0 = Vector<T>.Zero;
            ref T wu = ref w;
            for (int u = 0; u < units; u++)
            {
                s0 = MulAdd(new Vector<T>(Unsafe.Add(ref d, u)), Vector.LoadUnsafe(ref wu, a), s0);
                wu = ref Unsafe.Add(ref wu, inputCount);
            }

            Store(s0, ref g, a, ref y, f);
        }

        for (; i < inputCount; i++)
        {
            T s0 = T.Zero;
            ref T wu = ref Unsafe.Add(ref w, i);
            for (int u = 0; u < units; u++)
            {
                s0 = MulAdd(Unsafe.Add(ref d, u), wu, s0);
                wu = ref Unsafe.Add(ref wu, inputCount);
            }

            Unsafe.Add(ref g, i) = Times(s0, ref Unsafe.Add(ref y, i), f);
        }
    }

    /// <summary>Stores a vector of the input gradient at g + at, times f'(y) first unless f' is <see cref="NoDerivative{T}"/> (g f', as <see cref="ElementWise.MultiplyByDerivative"/> multiplies).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T, TDerivative>(Vector<T> sum, ref T g, nuint at, ref T y, TDerivative f)
        where T : unmanaged, INumberBase<T>
        where TDerivative : struct, IVectorDerivative<T>
    {
        if (typeof(TDerivative) != typeof(NoDerivative<T>))
        {
            Vector<T> output = Vector.LoadUnsafe(ref y, at);
            sum *= f.Derivative(output, output);
        }

        sum.StoreUnsafe(ref g, at);
    }

    /// <summary>One value of the input gradient, times f'(y) unless f' is <see cref="NoDerivative{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Times<T, TDerivative>(T sum, ref T y, TDerivative f)
        where T : unmanaged, INumberBase<T>
        where TDerivative : struct, IVectorDerivative<T> =>
        typeof(TDerivative) == typeof(NoDerivative<T>) ? sum : sum * f.Derivative(y, y);

    private static void Check(int length, int rows, int columns, string name)
    {
        if (rows < 0 || columns < 0 || (long)rows * columns > length)
        {
            throw new ArgumentException($"{name} holds {length} values, fewer than {rows} x {columns}.", name);
        }
    }
}

/// <summary>f(z) = z: the activation of linear layers, and of layers whose activation runs over each stored row (softmax).</summary>
/// <typeparam name="T">float or double.</typeparam>
public readonly struct IdentityActivation<T> : IVectorActivation<T>
    where T : struct
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Apply(Vector128<T> z) => z;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Apply(Vector256<T> z) => z;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Apply(Vector512<T> z) => z;
}

/// <summary>No derivative: the input-gradient kernels store δ W as it is (never called).</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct NoDerivative<T> : IVectorDerivative<T>
    where T : struct
{
    /// <inheritdoc/>
    public T Derivative(T z, T y) => throw new InvalidOperationException();

    /// <inheritdoc/>
    public Vector<T> Derivative(Vector<T> z, Vector<T> y) => throw new InvalidOperationException();
}
