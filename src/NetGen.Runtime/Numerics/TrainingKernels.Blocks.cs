using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

/// <summary>
/// The register blocks of the weight and input gradients for layers that are not wide (<see cref="IsWide"/>), and for
/// double: each written once over <see cref="IGradientLanes{TSelf, T}"/>, and run 512 bits wide where the CPU has
/// AVX-512 and <see cref="Vector{T}"/> is narrower (.NET's default of 256 bits). What is left of a row after the
/// 512-bit vectors goes through <see cref="Vector{T}"/> before the scalar tail, so a layer of 24 inputs is a 16-lane
/// and an 8-lane vector, not 16 lanes and 8 scalars. Every value is the same chain in the same order at either width
/// (rows in order for dW, units in order for the input gradient), so the width changes no bit.
/// </summary>
public static partial class TrainingKernels
{
    /// <summary>Whether the blocks run on <see cref="Vector512{T}"/>: accelerated, and wider than <see cref="Vector{T}"/>.</summary>
    private static bool BlocksRun512<T>()
        where T : unmanaged, INumberBase<T> =>
        Vector512.IsHardwareAccelerated && Vector<T>.Count < Vector512<T>.Count;

    /// <summary>dW += δᵀ X through the register blocks, <typeparamref name="TLanes"/> the widest vector.</summary>
    private static void WeightGradient<T, TLanes>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        int u = 0;

        // Narrow inputs fill no vector: vectors of units instead (δ rows are contiguous over units).
        if (inputCount < TLanes.Count)
        {
            u = UnitVectors<T, TLanes>(ref dw, ref d, ref x, rows, units, inputCount, u);
        }

        if (TLanes.Count > Vector<T>.Count && inputCount < Vector<T>.Count)
        {
            u = UnitVectors<T, VectorLanes<T>>(ref dw, ref d, ref x, rows, units, inputCount, u);
        }

        for (; u <= units - Block; u += Block)
        {
            WeightBlock4<T, TLanes>(ref Unsafe.Add(ref dw, u * inputCount), ref Unsafe.Add(ref d, u), ref x, rows, units, inputCount);
        }

        for (; u < units; u++)
        {
            WeightBlock1<T, TLanes>(ref Unsafe.Add(ref dw, u * inputCount), ref Unsafe.Add(ref d, u), ref x, rows, units, inputCount);
        }
    }

    /// <summary>The input gradient's rows through the register blocks, <typeparamref name="TLanes"/> the widest vector.</summary>
    private static void InputGradient<T, TLanes, TDerivative>(ref T gIn, ref T d, ref T w, int rows, int units, int inputCount, ref T y, TDerivative derivative)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
        where TDerivative : struct, IVectorDerivative<T>
    {
        int r = 0;
        for (; r <= rows - Block; r += Block)
        {
            InputBlock4<T, TLanes, TDerivative>(ref Unsafe.Add(ref gIn, r * inputCount), ref Unsafe.Add(ref d, r * units), ref w, units, inputCount,
                ref Unsafe.Add(ref y, r * inputCount), derivative);
        }

        for (; r < rows; r++)
        {
            InputBlock1<T, TLanes, TDerivative>(ref Unsafe.Add(ref gIn, r * inputCount), ref Unsafe.Add(ref d, r * units), ref w, units, inputCount,
                ref Unsafe.Add(ref y, r * inputCount), derivative);
        }
    }

    /// <summary>The weight gradient of units u.. in vectors of <typeparamref name="TLanes"/> (two at a time, then one); returns the first unit left.</summary>
    private static int UnitVectors<T, TLanes>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount, int u)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        int n = TLanes.Count;
        for (; u <= units - (2 * n); u += 2 * n)
        {
            int i = 0;
            for (; i <= inputCount - Block; i += Block)
            {
                UnitsBlock4x2<T, TLanes>(ref dw, ref d, ref x, rows, units, inputCount, u, i);
            }

            for (; i < inputCount; i++)
            {
                UnitsBlock1<T, TLanes>(ref dw, ref d, ref x, rows, units, inputCount, u, i);
                UnitsBlock1<T, TLanes>(ref dw, ref d, ref x, rows, units, inputCount, u + n, i);
            }
        }

        for (; u <= units - n; u += n)
        {
            int i = 0;
            for (; i <= inputCount - Block; i += Block)
            {
                UnitsBlock4<T, TLanes>(ref dw, ref d, ref x, rows, units, inputCount, u, i);
            }

            for (; i < inputCount; i++)
            {
                UnitsBlock1<T, TLanes>(ref dw, ref d, ref x, rows, units, inputCount, u, i);
            }
        }

        return u;
    }

    /// <summary>
    /// The weight gradient of one vector of units (u..) for inputs i..i+3, one vector of units per input, held in
    /// registers over all the rows (gathered from dw first and scattered back, so each value is still dw + the rows'
    /// products in order).
    /// </summary>
    private static void UnitsBlock4<T, TLanes>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount, int u, int i)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        ref T column = ref Unsafe.Add(ref dw, (u * inputCount) + i);
        TLanes s0 = Gather<T, TLanes>(ref column, inputCount), s1 = Gather<T, TLanes>(ref Unsafe.Add(ref column, 1), inputCount);
        TLanes s2 = Gather<T, TLanes>(ref Unsafe.Add(ref column, 2), inputCount), s3 = Gather<T, TLanes>(ref Unsafe.Add(ref column, 3), inputCount);
        ref T dr = ref Unsafe.Add(ref d, u);
        ref T xr = ref Unsafe.Add(ref x, i);
        for (int r = 0; r < rows; r++)
        {
            TLanes delta = TLanes.Load(ref dr, 0);
            s0 = TLanes.MultiplyAdd(delta, TLanes.Create(xr), s0);
            s1 = TLanes.MultiplyAdd(delta, TLanes.Create(Unsafe.Add(ref xr, 1)), s1);
            s2 = TLanes.MultiplyAdd(delta, TLanes.Create(Unsafe.Add(ref xr, 2)), s2);
            s3 = TLanes.MultiplyAdd(delta, TLanes.Create(Unsafe.Add(ref xr, 3)), s3);
            dr = ref Unsafe.Add(ref dr, units);
            xr = ref Unsafe.Add(ref xr, inputCount);
        }

        Scatter(s0, ref column, inputCount);
        Scatter(s1, ref Unsafe.Add(ref column, 1), inputCount);
        Scatter(s2, ref Unsafe.Add(ref column, 2), inputCount);
        Scatter(s3, ref Unsafe.Add(ref column, 3), inputCount);
    }

    /// <summary>
    /// <see cref="UnitsBlock4{T, TLanes}"/> for two vectors of units at once: eight independent sums, enough to hide the
    /// adder's latency, each still dw plus the rows' products in row order.
    /// </summary>
    private static void UnitsBlock4x2<T, TLanes>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount, int u, int i)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        int n = TLanes.Count;
        ref T column = ref Unsafe.Add(ref dw, (u * inputCount) + i);
        ref T next = ref Unsafe.Add(ref column, n * inputCount);
        TLanes s0 = Gather<T, TLanes>(ref column, inputCount), s1 = Gather<T, TLanes>(ref Unsafe.Add(ref column, 1), inputCount);
        TLanes s2 = Gather<T, TLanes>(ref Unsafe.Add(ref column, 2), inputCount), s3 = Gather<T, TLanes>(ref Unsafe.Add(ref column, 3), inputCount);
        TLanes t0 = Gather<T, TLanes>(ref next, inputCount), t1 = Gather<T, TLanes>(ref Unsafe.Add(ref next, 1), inputCount);
        TLanes t2 = Gather<T, TLanes>(ref Unsafe.Add(ref next, 2), inputCount), t3 = Gather<T, TLanes>(ref Unsafe.Add(ref next, 3), inputCount);
        ref T dr = ref Unsafe.Add(ref d, u);
        ref T xr = ref Unsafe.Add(ref x, i);
        for (int r = 0; r < rows; r++)
        {
            TLanes d0 = TLanes.Load(ref dr, 0), d1 = TLanes.Load(ref dr, (nuint)n);
            TLanes x0 = TLanes.Create(xr), x1 = TLanes.Create(Unsafe.Add(ref xr, 1));
            TLanes x2 = TLanes.Create(Unsafe.Add(ref xr, 2)), x3 = TLanes.Create(Unsafe.Add(ref xr, 3));
            s0 = TLanes.MultiplyAdd(d0, x0, s0);
            t0 = TLanes.MultiplyAdd(d1, x0, t0);
            s1 = TLanes.MultiplyAdd(d0, x1, s1);
            t1 = TLanes.MultiplyAdd(d1, x1, t1);
            s2 = TLanes.MultiplyAdd(d0, x2, s2);
            t2 = TLanes.MultiplyAdd(d1, x2, t2);
            s3 = TLanes.MultiplyAdd(d0, x3, s3);
            t3 = TLanes.MultiplyAdd(d1, x3, t3);
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

    /// <summary><see cref="UnitsBlock4{T, TLanes}"/> for one input.</summary>
    private static void UnitsBlock1<T, TLanes>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount, int u, int i)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        ref T column = ref Unsafe.Add(ref dw, (u * inputCount) + i);
        TLanes s0 = Gather<T, TLanes>(ref column, inputCount);
        ref T dr = ref Unsafe.Add(ref d, u);
        ref T xr = ref Unsafe.Add(ref x, i);
        for (int r = 0; r < rows; r++)
        {
            s0 = TLanes.MultiplyAdd(TLanes.Load(ref dr, 0), TLanes.Create(xr), s0);
            dr = ref Unsafe.Add(ref dr, units);
            xr = ref Unsafe.Add(ref xr, inputCount);
        }

        Scatter(s0, ref column, inputCount);
    }

    /// <summary>Four units' weight-gradient rows (dw, inputCount apart) from δ[r, u..u+3] (d, a row units apart).</summary>
    private static void WeightBlock4<T, TLanes>(ref T dw0, ref T d, ref T x, int rows, int units, int inputCount)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        int i = WeightVectors4<T, TLanes>(ref dw0, ref d, ref x, rows, units, inputCount, 0);
        if (TLanes.Count > Vector<T>.Count)
        {
            i = WeightVectors4<T, VectorLanes<T>>(ref dw0, ref d, ref x, rows, units, inputCount, i);
        }

        ref T dw1 = ref Unsafe.Add(ref dw0, inputCount);
        ref T dw2 = ref Unsafe.Add(ref dw1, inputCount);
        ref T dw3 = ref Unsafe.Add(ref dw2, inputCount);
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

    /// <summary>The vector part of <see cref="WeightBlock4{T, TLanes}"/> from input i: two vectors at a time, then one; returns the first input left.</summary>
    private static int WeightVectors4<T, TLanes>(ref T dw0, ref T d, ref T x, int rows, int units, int inputCount, int i)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        ref T dw1 = ref Unsafe.Add(ref dw0, inputCount);
        ref T dw2 = ref Unsafe.Add(ref dw1, inputCount);
        ref T dw3 = ref Unsafe.Add(ref dw2, inputCount);
        int n = TLanes.Count;
        for (; i <= inputCount - (2 * n); i += 2 * n)
        {
            nuint a = (nuint)i, b = (nuint)(i + n);
            TLanes s00 = TLanes.Load(ref dw0, a), s01 = TLanes.Load(ref dw0, b);
            TLanes s10 = TLanes.Load(ref dw1, a), s11 = TLanes.Load(ref dw1, b);
            TLanes s20 = TLanes.Load(ref dw2, a), s21 = TLanes.Load(ref dw2, b);
            TLanes s30 = TLanes.Load(ref dw3, a), s31 = TLanes.Load(ref dw3, b);
            ref T xr = ref x;
            ref T dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                TLanes x0 = TLanes.Load(ref xr, a), x1 = TLanes.Load(ref xr, b);
                TLanes d0 = TLanes.Create(dr), d1 = TLanes.Create(Unsafe.Add(ref dr, 1));
                TLanes d2 = TLanes.Create(Unsafe.Add(ref dr, 2)), d3 = TLanes.Create(Unsafe.Add(ref dr, 3));
                s00 = TLanes.MultiplyAdd(d0, x0, s00);
                s01 = TLanes.MultiplyAdd(d0, x1, s01);
                s10 = TLanes.MultiplyAdd(d1, x0, s10);
                s11 = TLanes.MultiplyAdd(d1, x1, s11);
                s20 = TLanes.MultiplyAdd(d2, x0, s20);
                s21 = TLanes.MultiplyAdd(d2, x1, s21);
                s30 = TLanes.MultiplyAdd(d3, x0, s30);
                s31 = TLanes.MultiplyAdd(d3, x1, s31);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            TLanes.Store(s00, ref dw0, a);
            TLanes.Store(s01, ref dw0, b);
            TLanes.Store(s10, ref dw1, a);
            TLanes.Store(s11, ref dw1, b);
            TLanes.Store(s20, ref dw2, a);
            TLanes.Store(s21, ref dw2, b);
            TLanes.Store(s30, ref dw3, a);
            TLanes.Store(s31, ref dw3, b);
        }

        for (; i <= inputCount - n; i += n)
        {
            nuint a = (nuint)i;
            TLanes s0 = TLanes.Load(ref dw0, a), s1 = TLanes.Load(ref dw1, a);
            TLanes s2 = TLanes.Load(ref dw2, a), s3 = TLanes.Load(ref dw3, a);
            ref T xr = ref x;
            ref T dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                TLanes x0 = TLanes.Load(ref xr, a);
                s0 = TLanes.MultiplyAdd(TLanes.Create(dr), x0, s0);
                s1 = TLanes.MultiplyAdd(TLanes.Create(Unsafe.Add(ref dr, 1)), x0, s1);
                s2 = TLanes.MultiplyAdd(TLanes.Create(Unsafe.Add(ref dr, 2)), x0, s2);
                s3 = TLanes.MultiplyAdd(TLanes.Create(Unsafe.Add(ref dr, 3)), x0, s3);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            TLanes.Store(s0, ref dw0, a);
            TLanes.Store(s1, ref dw1, a);
            TLanes.Store(s2, ref dw2, a);
            TLanes.Store(s3, ref dw3, a);
        }

        return i;
    }

    /// <summary>One unit's weight-gradient row.</summary>
    private static void WeightBlock1<T, TLanes>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        int i = WeightVectors1<T, TLanes>(ref dw, ref d, ref x, rows, units, inputCount, 0);
        if (TLanes.Count > Vector<T>.Count)
        {
            i = WeightVectors1<T, VectorLanes<T>>(ref dw, ref d, ref x, rows, units, inputCount, i);
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

    /// <summary>The vector part of <see cref="WeightBlock1{T, TLanes}"/> from input i; returns the first input left.</summary>
    private static int WeightVectors1<T, TLanes>(ref T dw, ref T d, ref T x, int rows, int units, int inputCount, int i)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        int n = TLanes.Count;
        for (; i <= inputCount - (2 * n); i += 2 * n)
        {
            nuint a = (nuint)i, b = (nuint)(i + n);
            TLanes s0 = TLanes.Load(ref dw, a), s1 = TLanes.Load(ref dw, b);
            ref T xr = ref x;
            ref T dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                TLanes d0 = TLanes.Create(dr);
                s0 = TLanes.MultiplyAdd(d0, TLanes.Load(ref xr, a), s0);
                s1 = TLanes.MultiplyAdd(d0, TLanes.Load(ref xr, b), s1);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            TLanes.Store(s0, ref dw, a);
            TLanes.Store(s1, ref dw, b);
        }

        for (; i <= inputCount - n; i += n)
        {
            nuint a = (nuint)i;
            TLanes s0 = TLanes.Load(ref dw, a);
            ref T xr = ref x;
            ref T dr = ref d;
            for (int r = 0; r < rows; r++)
            {
                s0 = TLanes.MultiplyAdd(TLanes.Create(dr), TLanes.Load(ref xr, a), s0);
                xr = ref Unsafe.Add(ref xr, inputCount);
                dr = ref Unsafe.Add(ref dr, units);
            }

            TLanes.Store(s0, ref dw, a);
        }

        return i;
    }

    /// <summary>Four rows of the input gradient (gIn, inputCount apart) from their δ rows (d, units apart), each value times f'(y) unless f' is <see cref="NoDerivative{T}"/>.</summary>
    private static void InputBlock4<T, TLanes, TDerivative>(ref T g0, ref T d0, ref T w, int units, int inputCount, ref T y0, TDerivative f)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
        where TDerivative : struct, IVectorDerivative<T>
    {
        int i = InputVectors4<T, TLanes, TDerivative>(ref g0, ref d0, ref w, units, inputCount, ref y0, f, 0);
        if (TLanes.Count > Vector<T>.Count)
        {
            i = InputVectors4<T, VectorLanes<T>, TDerivative>(ref g0, ref d0, ref w, units, inputCount, ref y0, f, i);
        }

        ref T y1 = ref Unsafe.Add(ref y0, inputCount);
        ref T y2 = ref Unsafe.Add(ref y1, inputCount);
        ref T y3 = ref Unsafe.Add(ref y2, inputCount);
        ref T g1 = ref Unsafe.Add(ref g0, inputCount);
        ref T g2 = ref Unsafe.Add(ref g1, inputCount);
        ref T g3 = ref Unsafe.Add(ref g2, inputCount);
        ref T d1 = ref Unsafe.Add(ref d0, units);
        ref T d2 = ref Unsafe.Add(ref d1, units);
        ref T d3 = ref Unsafe.Add(ref d2, units);
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

    /// <summary>The vector part of <see cref="InputBlock4{T, TLanes, TDerivative}"/> from input i; returns the first input left.</summary>
    private static int InputVectors4<T, TLanes, TDerivative>(ref T g0, ref T d0, ref T w, int units, int inputCount, ref T y0, TDerivative f, int i)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
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
        int n = TLanes.Count;
        for (; i <= inputCount - (2 * n); i += 2 * n)
        {
            nuint a = (nuint)i, b = (nuint)(i + n);
            TLanes s00 = TLanes.Zero, s01 = TLanes.Zero, s10 = TLanes.Zero, s11 = TLanes.Zero;
            TLanes s20 = TLanes.Zero, s21 = TLanes.Zero, s30 = TLanes.Zero, s31 = TLanes.Zero;
            ref T wu = ref w;
            for (int u = 0; u < units; u++)
            {
                TLanes w0 = TLanes.Load(ref wu, a), w1 = TLanes.Load(ref wu, b);
                TLanes e0 = TLanes.Create(Unsafe.Add(ref d0, u)), e1 = TLanes.Create(Unsafe.Add(ref d1, u));
                TLanes e2 = TLanes.Create(Unsafe.Add(ref d2, u)), e3 = TLanes.Create(Unsafe.Add(ref d3, u));
                s00 = TLanes.MultiplyAdd(e0, w0, s00);
                s01 = TLanes.MultiplyAdd(e0, w1, s01);
                s10 = TLanes.MultiplyAdd(e1, w0, s10);
                s11 = TLanes.MultiplyAdd(e1, w1, s11);
                s20 = TLanes.MultiplyAdd(e2, w0, s20);
                s21 = TLanes.MultiplyAdd(e2, w1, s21);
                s30 = TLanes.MultiplyAdd(e3, w0, s30);
                s31 = TLanes.MultiplyAdd(e3, w1, s31);
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
            TLanes s0 = TLanes.Zero, s1 = TLanes.Zero, s2 = TLanes.Zero, s3 = TLanes.Zero;
            ref T wu = ref w;
            for (int u = 0; u < units; u++)
            {
                TLanes w0 = TLanes.Load(ref wu, a);
                s0 = TLanes.MultiplyAdd(TLanes.Create(Unsafe.Add(ref d0, u)), w0, s0);
                s1 = TLanes.MultiplyAdd(TLanes.Create(Unsafe.Add(ref d1, u)), w0, s1);
                s2 = TLanes.MultiplyAdd(TLanes.Create(Unsafe.Add(ref d2, u)), w0, s2);
                s3 = TLanes.MultiplyAdd(TLanes.Create(Unsafe.Add(ref d3, u)), w0, s3);
                wu = ref Unsafe.Add(ref wu, inputCount);
            }

            Store(s0, ref g0, a, ref y0, f);
            Store(s1, ref g1, a, ref y1, f);
            Store(s2, ref g2, a, ref y2, f);
            Store(s3, ref g3, a, ref y3, f);
        }

        return i;
    }

    /// <summary>One row of the input gradient, as <see cref="InputBlock4{T, TLanes, TDerivative}"/>.</summary>
    private static void InputBlock1<T, TLanes, TDerivative>(ref T g, ref T d, ref T w, int units, int inputCount, ref T y, TDerivative f)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
        where TDerivative : struct, IVectorDerivative<T>
    {
        int i = InputVectors1<T, TLanes, TDerivative>(ref g, ref d, ref w, units, inputCount, ref y, f, 0);
        if (TLanes.Count > Vector<T>.Count)
        {
            i = InputVectors1<T, VectorLanes<T>, TDerivative>(ref g, ref d, ref w, units, inputCount, ref y, f, i);
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

    /// <summary>The vector part of <see cref="InputBlock1{T, TLanes, TDerivative}"/> from input i; returns the first input left.</summary>
    private static int InputVectors1<T, TLanes, TDerivative>(ref T g, ref T d, ref T w, int units, int inputCount, ref T y, TDerivative f, int i)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
        where TDerivative : struct, IVectorDerivative<T>
    {
        int n = TLanes.Count;
        for (; i <= inputCount - (2 * n); i += 2 * n)
        {
            nuint a = (nuint)i, b = (nuint)(i + n);
            TLanes s0 = TLanes.Zero, s1 = TLanes.Zero;
            ref T wu = ref w;
            for (int u = 0; u < units; u++)
            {
                TLanes e = TLanes.Create(Unsafe.Add(ref d, u));
                s0 = TLanes.MultiplyAdd(e, TLanes.Load(ref wu, a), s0);
                s1 = TLanes.MultiplyAdd(e, TLanes.Load(ref wu, b), s1);
                wu = ref Unsafe.Add(ref wu, inputCount);
            }

            Store(s0, ref g, a, ref y, f);
            Store(s1, ref g, b, ref y, f);
        }

        for (; i <= inputCount - n; i += n)
        {
            nuint a = (nuint)i;
            TLanes s0 = TLanes.Zero;
            ref T wu = ref w;
            for (int u = 0; u < units; u++)
            {
                s0 = TLanes.MultiplyAdd(TLanes.Create(Unsafe.Add(ref d, u)), TLanes.Load(ref wu, a), s0);
                wu = ref Unsafe.Add(ref wu, inputCount);
            }

            Store(s0, ref g, a, ref y, f);
        }

        return i;
    }

    /// <summary>
    /// Stores a vector of the input gradient at g + at, times f'(y) first unless f' is <see cref="NoDerivative{T}"/> (g f',
    /// as <see cref="ElementWise.MultiplyByDerivative"/> multiplies). f' comes as <see cref="Vector{T}"/> (generated code
    /// writes it at that width), so a wider vector is stored, then multiplied a <see cref="Vector{T}"/> at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T, TLanes, TDerivative>(TLanes sum, ref T g, nuint at, ref T y, TDerivative f)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
        where TDerivative : struct, IVectorDerivative<T>
    {
        if (typeof(TDerivative) == typeof(NoDerivative<T>))
        {
            TLanes.Store(sum, ref g, at);
            return;
        }

        if (typeof(TLanes) == typeof(VectorLanes<T>))
        {
            Vector<T> output = Vector.LoadUnsafe(ref y, at);
            (Unsafe.As<TLanes, VectorLanes<T>>(ref sum).Value * f.Derivative(output, output)).StoreUnsafe(ref g, at);
            return;
        }

        if (typeof(TLanes) == typeof(Lanes512<T>) && Vector<T>.Count * 2 == Vector512<T>.Count)
        {
            // 512 bits over the default 256-bit Vector<T>: the halves in registers (a 512-bit store read back as two
            // 256-bit loads would wait on store forwarding, once per vector of every row).
            Vector512<T> wide = Unsafe.As<TLanes, Lanes512<T>>(ref sum).Value;
            nuint upper = at + (nuint)Vector<T>.Count;
            Vector<T> low = Vector.LoadUnsafe(ref y, at), high = Vector.LoadUnsafe(ref y, upper);
            (wide.GetLower().AsVector() * f.Derivative(low, low)).StoreUnsafe(ref g, at);
            (wide.GetUpper().AsVector() * f.Derivative(high, high)).StoreUnsafe(ref g, upper);
            return;
        }

        // Any other width (128-bit Vector<T> under 512-bit blocks): stored, then multiplied a Vector<T> at a time.
        TLanes.Store(sum, ref g, at);
        for (nuint k = at; k < at + (nuint)TLanes.Count; k += (nuint)Vector<T>.Count)
        {
            Vector<T> output = Vector.LoadUnsafe(ref y, k);
            (Vector.LoadUnsafe(ref g, k) * f.Derivative(output, output)).StoreUnsafe(ref g, k);
        }
    }

    /// <summary>One value of the input gradient, times f'(y) unless f' is <see cref="NoDerivative{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Times<T, TDerivative>(T sum, ref T y, TDerivative f)
        where T : unmanaged, INumberBase<T>
        where TDerivative : struct, IVectorDerivative<T> =>
        typeof(TDerivative) == typeof(NoDerivative<T>) ? sum : sum * f.Derivative(y, y);

    /// <summary>
    /// c + a b for the scalar tails: for float one fused multiply-add (<see cref="MathF.FusedMultiplyAdd"/>), for double a
    /// separate multiply and add, as <see cref="IGradientLanes{TSelf, T}.MultiplyAdd"/> computes each lane.
    /// </summary>
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
    private static TLanes Gather<T, TLanes>(ref T first, int stride)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        TLanes v = TLanes.Zero;
        ref T lane = ref Unsafe.As<TLanes, T>(ref v);
        for (int j = 0; j < TLanes.Count; j++)
        {
            Unsafe.Add(ref lane, j) = Unsafe.Add(ref first, j * stride);
        }

        return v;
    }

    /// <summary>Writes the lanes of <paramref name="v"/> <paramref name="stride"/> apart from <paramref name="first"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter<T, TLanes>(TLanes v, ref T first, int stride)
        where T : unmanaged, INumberBase<T>
        where TLanes : struct, IGradientLanes<TLanes, T>
    {
        ref T lane = ref Unsafe.As<TLanes, T>(ref v);
        for (int j = 0; j < TLanes.Count; j++)
        {
            Unsafe.Add(ref first, j * stride) = Unsafe.Add(ref lane, j);
        }
    }
}
