using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>Vector&lt;T&gt; scans the trainer runs over parameters and gradients every batch.</summary>
internal static class TrainingMath
{
    /// <summary>
    /// Σ v² in double. Accumulates in <typeparamref name="T"/> a vector at a time; when that sum overflows or meets a
    /// non-finite value it sums again in double, so a finite result means every value was finite.
    /// </summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<T>.Count)
        {
            // Through a reference rather than slices of the span (the trainer runs this over every gradient).
            ref T r = ref MemoryMarshal.GetReference(values);
            Vector<T> a0 = Vector<T>.Zero, a1 = Vector<T>.Zero;
            for (; i <= values.Length - (2 * Vector<T>.Count); i += 2 * Vector<T>.Count)
            {
                Vector<T> x = Vector.LoadUnsafe(ref r, (nuint)i), y = Vector.LoadUnsafe(ref r, (nuint)(i + Vector<T>.Count));
                a0 += x * x;
                a1 += y * y;
            }

            sum = Vector.Sum(a0 + a1);
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

    /// <summary>Whether every value is finite (v - v is 0 exactly for finite v, NaN for NaN and infinities).</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            ref T r = ref MemoryMarshal.GetReference(values);
            Vector<T> acc = Vector<T>.Zero;
            for (; i <= values.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> v = Vector.LoadUnsafe(ref r, (nuint)i);
                acc += v - v;
            }

            if (!Vector.EqualsAll(acc, Vector<T>.Zero))
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
