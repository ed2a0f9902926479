using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Numerics;

/// <summary>
/// One-row calls that skip the inputs that are zero (docs/performance.md, "Zero inputs in one-row calls"): a ReLU
/// layer's outputs, an image's background. Row128/256/512 hand such a row to SparseRow128/256/512 (PackedDense.Tiles.cs),
/// which read the weight rows of the nonzero inputs only. A skipped product is 0 times a finite weight, a zero, and
/// adding a zero leaves a sum unchanged except that it turns -0 into +0; the sparse tiles give the dense tiles' bits
/// unless a sum comes out -0, and then the dense tile runs. 0 times an infinite or NaN weight is NaN, not a zero, so
/// once <see cref="Pack{T}"/> has packed a weight that is not finite the process's one-row calls stop skipping.
/// </summary>
public static partial class PackedDense
{
    /// <summary>The fewest inputs a one-row call looks for zeros in (below it the layer is a few cache lines).</summary>
    internal const int SparseRowInputs = 64;

    /// <summary>The most inputs a one-row call skips zeros for: the nonzero inputs' indices go on the stack (16 KB).</summary>
    internal const int SparseRowMaxInputs = 4096;

    /// <summary>
    /// How many listed inputs ahead the sparse tiles ask for the weight rows (Sse.Prefetch0): the rows of a sparse walk
    /// are not a stride the hardware's prefetchers follow. The list holds as many entries past its end (the last
    /// index again), so the last inputs ask for a row already read.
    /// </summary>
    internal const int SparsePrefetchAhead = 8;

    /// <summary>Whether a packed weight was ever infinite or NaN (set by <see cref="Pack{T}"/>, never cleared).</summary>
    private static volatile bool s_nonFiniteWeights;

    /// <summary>Whether one-row calls skip zero inputs (bench --sparse-row turns it off to time both ways).</summary>
    private static bool s_sparseRows = true;

    /// <summary>
    /// Whether a one-row call over <paramref name="inputs"/> values at <paramref name="x"/> takes the sparse tiles: at
    /// least a sixteenth of the values are zero (±0), the layer's inputs fit the index list, and no packed weight was
    /// ever non-finite. One vector compare per vector of inputs. (bench --sparse-row, 784 -> 256 -> 128 -> 10 with
    /// the skipping forced on: 11% zeros at random places already took 0.93x the dense time, 27% 0.85x.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SkipsZeros<T>(ref T x, int inputs)
        where T : struct =>
        inputs <= SparseRowMaxInputs && s_sparseRows && !s_nonFiniteWeights && 16 * CountZeros(ref x, inputs) >= inputs;

    /// <summary>The number of values at <paramref name="x"/> that equal zero (+0 or -0; NaN is not zero).</summary>
    private static int CountZeros<T>(ref T x, int count)
        where T : struct
    {
        int zeros = 0, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= count - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                zeros += BitOperations.PopCount(Vector512.Equals(Vector512.LoadUnsafe(ref x, (nuint)i), Vector512<T>.Zero).ExtractMostSignificantBits());
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                zeros += BitOperations.PopCount(Vector256.Equals(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256<T>.Zero).ExtractMostSignificantBits());
            }
        }
        else
        {
            for (; i <= count - Vector128<T>.Count; i += Vector128<T>.Count)
            {
                zeros += BitOperations.PopCount(Vector128.Equals(Vector128.LoadUnsafe(ref x, (nuint)i), Vector128<T>.Zero).ExtractMostSignificantBits());
            }
        }

        for (; i < count; i++)
        {
            zeros += IsZero(Unsafe.Add(ref x, i)) ? 1 : 0;
        }

        return zeros;
    }

    /// <summary>Writes the indices of the values at <paramref name="x"/> that are not zero to <paramref name="index"/>, in order; returns how many.</summary>
    private static int NonzeroInputs<T>(ref T x, int inputs, ref int index)
        where T : struct
    {
        // Every index is written and the count moves past it only for a nonzero value: no branch to mispredict.
        int count = 0;
        for (int i = 0; i < inputs; i++)
        {
            Unsafe.Add(ref index, count) = i;
            count += IsZero(Unsafe.Add(ref x, i)) ? 0 : 1;
        }

        int last = count > 0 ? Unsafe.Add(ref index, count - 1) : 0;
        for (int k = 0; k < SparsePrefetchAhead; k++)
        {
            Unsafe.Add(ref index, count + k) = last;
        }

        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsZero<T>(T value)
        where T : struct =>
        typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) == 0f : Unsafe.As<T, double>(ref value) == 0d;

    /// <summary>Whether a lane holds -0 (its bits compared: -0 == +0 as numbers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsNegativeZero<T>(Vector128<T> v)
        where T : struct =>
        typeof(T) == typeof(float)
            ? Vector128.EqualsAny(v.AsUInt32(), Vector128.Create(0x8000_0000u))
            : Vector128.EqualsAny(v.AsUInt64(), Vector128.Create(0x8000_0000_0000_0000ul));

    /// <inheritdoc cref="IsNegativeZero{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsNegativeZero<T>(Vector256<T> v)
        where T : struct =>
        typeof(T) == typeof(float)
            ? Vector256.EqualsAny(v.AsUInt32(), Vector256.Create(0x8000_0000u))
            : Vector256.EqualsAny(v.AsUInt64(), Vector256.Create(0x8000_0000_0000_0000ul));

    /// <inheritdoc cref="IsNegativeZero{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsNegativeZero<T>(Vector512<T> v)
        where T : struct =>
        typeof(T) == typeof(float)
            ? Vector512.EqualsAny(v.AsUInt32(), Vector512.Create(0x8000_0000u))
            : Vector512.EqualsAny(v.AsUInt64(), Vector512.Create(0x8000_0000_0000_0000ul));

    /// <summary>Asks for the cache line at <paramref name="at"/> (a hint: no value changes, and no address faults).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch<T>(ref T at)
        where T : struct
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref at));
        }
    }

    /// <summary>Records that a packed weight is infinite or NaN: from then on no one-row call skips zero inputs.</summary>
    private static void NoteNonFiniteWeight() => s_nonFiniteWeights = true;

    /// <summary>Whether one-row calls skip zero inputs now (no non-finite weight packed yet, not turned off).</summary>
    internal static bool SkipsZeroInputs => s_sparseRows && !s_nonFiniteWeights;

    /// <summary>Forgets that a non-finite weight was packed: for tests that pack one and then need the skipping back.</summary>
    internal static void ForgetNonFiniteWeights() => s_nonFiniteWeights = false;
}
