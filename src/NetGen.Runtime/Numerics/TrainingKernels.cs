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
/// Each kernel keeps a block of results in registers over a whole loop (4 units or 4 rows by up to two vectors of
/// inputs: <see cref="Vector512{T}"/> where accelerated, else <see cref="Vector{T}"/>; TrainingKernels.Blocks.cs), so
/// the weight gradient is read and written once per tile instead of once per row, and each vector of weights is
/// loaded once for 4 rows. Every result is nevertheless the same sum in the same
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
        if (typeof(T) == typeof(float) && Fma.IsSupported && Vector256.IsHardwareAccelerated && units <= Vector256<float>.Count
            && !PackedDense.IsShort<T>(inputs, units))
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
    /// z = W x + b for a layer of at most 8 units that is not short (<see cref="PackedDense.IsShort{T}"/>: that one runs
    /// PackedDense's two chains; float, <see cref="Vector256{T}"/> with fused multiply-add), 8 rows
    /// at a time from the first 8 units of the layer's one packed panel: <see cref="PackedDense"/>'s tiles compute the
    /// panel's 16 units whatever the layer uses (4 of 16 for a 4-unit output). Each value is the bias, then one fused
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

        if (StartsChunk)
        {
            sums.Clear(); // a first chunk into a gradient that was not cleared: these few values are cleared here
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
        ChunkWrite write = t_chunkWrite;
        if (typeof(T) == typeof(float) && IsWide(units, inputCount) && (write == ChunkWrite.Continues || WideWritesChunk(rows)))
        {
            WideWeightGradient(ref Unsafe.As<T, float>(ref dw), ref Unsafe.As<T, float>(ref d), ref Unsafe.As<T, float>(ref x), rows, units, inputCount, write);
            return;
        }

        if (write == ChunkWrite.Adds)
        {
            // A later chunk on one thread (TrainingKernels.Chunks.cs): the sums from zero, then added to the values found.
            Span<T> target = weightGradient[..(units * inputCount)];
            Span<T> saved = SaveAndClear(target);
            WeightGradient(ref dw, ref d, ref x, rows, units, inputCount);
            AddSaved(target, saved);
            return;
        }

        if (write == ChunkWrite.Starts)
        {
            // A first chunk into a gradient that was not cleared, on a path without stores of its own for it.
            weightGradient[..(units * inputCount)].Clear();
        }

        WeightGradient(ref dw, ref d, ref x, rows, units, inputCount);
    }

    private static void WeightGradient<T>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount)
        where T : unmanaged, INumberBase<T>
    {
        if (typeof(T) == typeof(float) && IsWide(units, inputCount))
        {
            WideWeightGradient(ref Unsafe.As<T, float>(ref dw), ref Unsafe.As<T, float>(ref d), ref Unsafe.As<T, float>(ref x), rows, units, inputCount, ChunkWrite.Continues);
            return;
        }

        if (BlocksRun512<T>())
        {
            WeightGradient<T, Lanes512<T>>(ref dw, ref d, ref x, rows, units, inputCount);
        }
        else
        {
            WeightGradient<T, VectorLanes<T>>(ref dw, ref d, ref x, rows, units, inputCount);
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

        if (BlocksRun512<T>())
        {
            InputGradient<T, Lanes512<T>, TDerivative>(ref gIn, ref d, ref w, rows, units, inputCount, ref y, derivative);
        }
        else
        {
            InputGradient<T, VectorLanes<T>, TDerivative>(ref gIn, ref d, ref w, rows, units, inputCount, ref y, derivative);
        }
    }

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
