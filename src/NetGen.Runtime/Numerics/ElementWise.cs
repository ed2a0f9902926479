using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// An activation's derivative f' for the backward pass, from the pre-activation z and the output y (whichever of the
/// two it reads; the other argument is then the same value). Generated networks implement it on their layer's
/// activation struct, so that <see cref="ElementWise"/> is compiled with it inlined.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public interface IDerivative<T>
    where T : struct
{
    /// <summary>f' at one value.</summary>
    T Derivative(T z, T y);
}

/// <summary>An <see cref="IDerivative{T}"/> that also has a vector form, computed lane by lane as the scalar one.</summary>
/// <typeparam name="T">float or double.</typeparam>
public interface IVectorDerivative<T> : IDerivative<T>
    where T : struct
{
    /// <summary>f' for each lane.</summary>
    Vector<T> Derivative(Vector<T> z, Vector<T> y);
}

/// <summary>
/// The element-wise steps of generated training code over a tile of rows (docs/architecture.md): dropout, and in the
/// backward pass δ = g f' in place (element by element, or row by row for PReLU and an unfused softmax) and the
/// dropout mask on the gradient. For generated code: nothing is checked, and
/// the refs point at <c>count</c> values each.
/// </summary>
public static class ElementWise
{
    /// <summary>
    /// Inverted dropout's mask for <paramref name="count"/> values: while <paramref name="active"/>, each value is 0 with
    /// probability <paramref name="rate"/> (one draw of <paramref name="random"/> per value, in order) and
    /// <paramref name="keep"/> = 1/(1 - rate) otherwise; when not active all ones, and nothing is drawn. The forward
    /// pass applies it with <see cref="MultiplyByMask{T}(ref T, ref T, ref T, int)"/>, the backward pass with
    /// <see cref="MultiplyByMask{T}(ref T, ref T, int)"/>.
    /// </summary>
    /// <param name="mask">Where the mask goes.</param>
    /// <param name="count">The number of values.</param>
    /// <param name="rate">The dropout rate.</param>
    /// <param name="keep">1/(1 - rate), as a value of <typeparamref name="T"/>.</param>
    /// <param name="random">The network's dropout stream, advanced in place.</param>
    /// <param name="active">False outside training (ComputeGradients): nothing is dropped and nothing drawn.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void DropoutMask<T>(ref T mask, int count, double rate, T keep, ref SeededRandom random, bool active)
        where T : unmanaged, INumberBase<T>
    {
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref mask, i) = !active ? T.One : random.NextDouble() < rate ? T.Zero : keep;
        }
    }

    /// <summary>y[k] = x[k] · mask[k] for <paramref name="count"/> values: a dropout layer's forward pass.</summary>
    /// <param name="x">The layer's inputs.</param>
    /// <param name="mask">The mask <see cref="DropoutMask{T}"/> drew.</param>
    /// <param name="y">Where the masked values go.</param>
    /// <param name="count">The number of values.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void MultiplyByMask<T>(ref T x, ref T mask, ref T y, int count)
        where T : unmanaged, INumberBase<T>
    {
        for (int k = 0; k < count; k++)
        {
            Unsafe.Add(ref y, k) = Unsafe.Add(ref x, k) * Unsafe.Add(ref mask, k);
        }
    }

    /// <summary>
    /// g[k] *= f'(z[k], y[k]) for <paramref name="count"/> values: a <see cref="Vector{T}"/> at a time, then the values
    /// left over one by one. A derivative that reads only z or only y is passed the same reference for both.
    /// </summary>
    /// <param name="g">The gradient of the outputs, turned into δ in place.</param>
    /// <param name="z">The pre-activations.</param>
    /// <param name="y">The outputs.</param>
    /// <param name="count">The number of values.</param>
    /// <param name="derivative">f'.</param>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TDerivative">The layer's activation.</typeparam>
    public static void MultiplyByDerivative<T, TDerivative>(ref T g, ref T z, ref T y, int count, TDerivative derivative)
        where T : unmanaged, INumberBase<T>
        where TDerivative : struct, IVectorDerivative<T>
    {
        int k = 0;
        for (; k <= count - Vector<T>.Count; k += Vector<T>.Count)
        {
            (Vector.LoadUnsafe(ref g, (nuint)k) * derivative.Derivative(Vector.LoadUnsafe(ref z, (nuint)k), Vector.LoadUnsafe(ref y, (nuint)k))).StoreUnsafe(ref g, (nuint)k);
        }

        for (; k < count; k++)
        {
            Unsafe.Add(ref g, k) *= derivative.Derivative(Unsafe.Add(ref z, k), Unsafe.Add(ref y, k));
        }
    }

    /// <summary>
    /// g[k] *= f'(z[k], y[k]) one value at a time, for a derivative without a vector form (transcendental ones such as
    /// GELU's, and the zero of Step and Sign).
    /// </summary>
    /// <inheritdoc cref="MultiplyByDerivative{T, TDerivative}(ref T, ref T, ref T, int, TDerivative)"/>
    public static void MultiplyByScalarDerivative<T, TDerivative>(ref T g, ref T z, ref T y, int count, TDerivative derivative)
        where T : unmanaged, INumberBase<T>
        where TDerivative : struct, IDerivative<T>
    {
        for (int k = 0; k < count; k++)
        {
            Unsafe.Add(ref g, k) *= derivative.Derivative(Unsafe.Add(ref z, k), Unsafe.Add(ref y, k));
        }
    }

    /// <summary>
    /// PReLU's δ over <paramref name="rows"/> rows of <paramref name="units"/> values, in place: g stays where z &gt; 0
    /// and becomes slope·g elsewhere. The slope's own gradient, Σ z·g over the values with z ≤ 0, is summed row by row
    /// (units in order, from 0) and each row's sum added to <paramref name="slopeGradient"/>, rows in order.
    /// </summary>
    /// <param name="g">The gradient of the outputs, turned into δ in place.</param>
    /// <param name="z">The pre-activations.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="units">The values per row.</param>
    /// <param name="slope">The learned slope.</param>
    /// <param name="slopeGradient">The slope's gradient, added to.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void LearnedSlopeDelta<T>(ref T g, ref T z, int rows, int units, T slope, ref T slopeGradient)
        where T : unmanaged, INumber<T>
    {
        // A later chunk of a split batch on one thread adds its rows' sum, started from zero, to the value it finds
        // (TrainingKernels.Chunks.cs): the bits of a cleared slot added afterwards. A first chunk into a gradient that was
        // not cleared stores the sum from zero over it.
        bool addsChunk = TrainingKernels.AddsChunk;
        T total = TrainingKernels.SumsFromZero ? T.Zero : slopeGradient;
        for (int r = 0; r < rows; r++)
        {
            ref T gr = ref Unsafe.Add(ref g, r * units);
            ref T zr = ref Unsafe.Add(ref z, r * units);
            T sum = T.Zero;
            for (int u = 0; u < units; u++)
            {
                T zu = Unsafe.Add(ref zr, u);
                if (zu <= T.Zero)
                {
                    sum += zu * Unsafe.Add(ref gr, u);
                    Unsafe.Add(ref gr, u) *= slope;
                }
            }

            total += sum;
        }

        slopeGradient = addsChunk ? slopeGradient + total : total;
    }

    /// <summary>
    /// Softmax's δ through its Jacobian over <paramref name="rows"/> rows of <paramref name="units"/> values, in place:
    /// δ_k = y_k (g_k - Σ_j g_j y_j), the sum over each row's units in order.
    /// </summary>
    /// <param name="g">The gradient of the outputs, turned into δ in place.</param>
    /// <param name="y">The softmax outputs.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="units">The values per row.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void SoftmaxDelta<T>(ref T g, ref T y, int rows, int units)
        where T : unmanaged, INumberBase<T>
    {
        for (int r = 0; r < rows; r++)
        {
            ref T gr = ref Unsafe.Add(ref g, r * units);
            ref T yr = ref Unsafe.Add(ref y, r * units);
            T dot = T.Zero;
            for (int k = 0; k < units; k++)
            {
                dot += Unsafe.Add(ref gr, k) * Unsafe.Add(ref yr, k);
            }

            for (int k = 0; k < units; k++)
            {
                Unsafe.Add(ref gr, k) = Unsafe.Add(ref yr, k) * (Unsafe.Add(ref gr, k) - dot);
            }
        }
    }

    /// <summary>
    /// g[k] *= mask[k] for <paramref name="count"/> values: the gradient through a dropout layer flows only where its
    /// mask kept a value, scaled as the value was.
    /// </summary>
    /// <param name="g">The gradient of the dropout layer's outputs, turned into that of its inputs in place.</param>
    /// <param name="mask">The mask the forward pass drew (0 or 1/(1 - rate)).</param>
    /// <param name="count">The number of values.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void MultiplyByMask<T>(ref T g, ref T mask, int count)
        where T : unmanaged, INumberBase<T>
    {
        for (int k = 0; k < count; k++)
        {
            Unsafe.Add(ref g, k) *= Unsafe.Add(ref mask, k);
        }
    }
}
