using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NetGen.Numerics;

namespace NetGen;

/// <summary>The vector scans the trainer runs over parameters and gradients every batch.</summary>
internal static class TrainingMath
{
    /// <summary>
    /// Σ v² in double. Accumulates in <typeparamref name="T"/> four vectors at a time (Vector512 where it is accelerated,
    /// else Vector&lt;T&gt;: the order of the additions, so the last bits, depend on the width); when that sum overflows
    /// or meets a non-finite value it sums again in double, so a finite result means every value was finite.
    /// </summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Through a reference rather than slices of the span (the trainer runs this over every batch's gradient), four
        // sums in flight: with two, the adds' latency bound the pass, not the loads (784-256-128-10's gradient: about
        // 21 µs a batch). 512-bit vectors where the CPU runs them natively (Vector<T> is 256-bit there by default).
        int i = 0;
        T sum = T.Zero;
        ref T r = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated && values.Length >= Vector512<T>.Count)
        {
            sum = VectorSumOfSquares<Lanes512<T>, T>(ref r, values.Length, out i);
        }
        else if (Vector.IsHardwareAccelerated && values.Length >= Vector<T>.Count)
        {
            sum = VectorSumOfSquares<VectorLanes<T>, T>(ref r, values.Length, out i);
        }

        for (; i < values.Length; i++)
        {
            sum += values[i] * values[i];
        }

        if (T.IsFinite(sum))
        {
            return double.CreateChecked(sum);
        }

        double exact = 0;
        foreach (T v in values)
        {
            double d = double.CreateChecked(v);
            exact += d * d;
        }

        return exact;
    }

    /// <summary>
    /// The squares of the whole vectors of the <paramref name="length"/> values at <paramref name="r"/>, in four sums of
    /// <typeparamref name="TLanes"/> (one vector in four each, then the last whole vectors into the first), added
    /// (s0 + s1) + (s2 + s3) and across the lanes; <paramref name="end"/> is the first value after them.
    /// </summary>
    private static T VectorSumOfSquares<TLanes, T>(ref T r, int length, out int end)
        where TLanes : struct, IGradientLanes<TLanes, T>
        where T : unmanaged, INumberBase<T>
    {
        int n = TLanes.Count, i = 0;
        TLanes a0 = TLanes.Zero, a1 = a0, a2 = a0, a3 = a0;
        for (; i <= length - (4 * n); i += 4 * n)
        {
            TLanes x0 = TLanes.Load(ref r, (nuint)i), x1 = TLanes.Load(ref r, (nuint)(i + n));
            TLanes x2 = TLanes.Load(ref r, (nuint)(i + (2 * n))), x3 = TLanes.Load(ref r, (nuint)(i + (3 * n)));
            a0 = TLanes.Add(a0, TLanes.Multiply(x0, x0));
            a1 = TLanes.Add(a1, TLanes.Multiply(x1, x1));
            a2 = TLanes.Add(a2, TLanes.Multiply(x2, x2));
            a3 = TLanes.Add(a3, TLanes.Multiply(x3, x3));
        }

        for (; i <= length - n; i += n)
        {
            TLanes x = TLanes.Load(ref r, (nuint)i);
            a0 = TLanes.Add(a0, TLanes.Multiply(x, x));
        }

        end = i;
        return TLanes.Sum(TLanes.Add(TLanes.Add(a0, a1), TLanes.Add(a2, a3)));
    }

    /// <summary>
    /// Whether every value is finite (v - v is +0 exactly for finite v, NaN for NaN and infinities: or-ed together, the
    /// bits stay zero while every value is finite; an or is one cycle, where a chain of adds waited four a vector).
    /// </summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref T r = ref MemoryMarshal.GetReference(values);
            int n = Vector<T>.Count;
            Vector<T> acc = Vector<T>.Zero, other = Vector<T>.Zero;
            for (; i <= values.Length - (2 * n); i += 2 * n)
            {
                Vector<T> v = Vector.LoadUnsafe(ref r, (nuint)i), u = Vector.LoadUnsafe(ref r, (nuint)(i + n));
                acc |= v - v;
                other |= u - u;
            }

            for (; i <= values.Length - n; i += n)
            {
                Vector<T> v = Vector.LoadUnsafe(ref r, (nuint)i);
                acc |= v - v;
            }

            if (!Vector.EqualsAll((acc | other).As<T, ulong>(), Vector<ulong>.Zero))
            {
                return false;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The index of the first NaN or infinity, or -1.</summary>
    public static int FirstNonFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (AllFinite(values))
        {
            return -1;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
