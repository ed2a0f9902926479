using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        // 21 µs a batch).
        int i = 0;
        T sum = T.Zero;
        ref T r = ref MemoryMarshal.GetReference(values);
        if (Vector512.IsHardwareAccelerated && values.Length >= Vector512<T>.Count)
        {
            int n = Vector512<T>.Count;
            Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= values.Length - (4 * n); i += 4 * n)
            {
                Vector512<T> x0 = Vector512.LoadUnsafe(ref r, (nuint)i), x1 = Vector512.LoadUnsafe(ref r, (nuint)(i + n));
                Vector512<T> x2 = Vector512.LoadUnsafe(ref r, (nuint)(i + (2 * n))), x3 = Vector512.LoadUnsafe(ref r, (nuint)(i + (3 * n)));
                a0 += x0 * x0;
                a1 += x1 * x1;
                a2 += x2 * x2;
                a3 += x3 * x3;
            }

            for (; i <= values.Length - n; i += n)
            {
                Vector512<T> x = Vector512.LoadUnsafe(ref r, (nuint)i);
                a0 += x * x;
            }

            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (Vector.IsHardwareAccelerated && values.Length >= Vector<T>.Count)
        {
            int n = Vector<T>.Count;
            Vector<T> a0 = Vector<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= values.Length - (4 * n); i += 4 * n)
            {
                Vector<T> x0 = Vector.LoadUnsafe(ref r, (nuint)i), x1 = Vector.LoadUnsafe(ref r, (nuint)(i + n));
                Vector<T> x2 = Vector.LoadUnsafe(ref r, (nuint)(i + (2 * n))), x3 = Vector.LoadUnsafe(ref r, (nuint)(i + (3 * n)));
                a0 += x0 * x0;
                a1 += x1 * x1;
                a2 += x2 * x2;
                a3 += x3 * x3;
            }

            for (; i <= values.Length - n; i += n)
            {
                Vector<T> x = Vector.LoadUnsafe(ref r, (nuint)i);
                a0 += x * x;
            }

            sum = Vector.Sum((a0 + a1) + (a2 + a3));
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
