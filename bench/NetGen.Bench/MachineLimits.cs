using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Bench;

/// <summary>
/// What this core can do at best, measured: the fused multiply-add throughput (GFLOP/s, one multiply-add = 2 flops)
/// with 12 independent accumulators (more than FMA latency x FMA ports, so the loop is throughput-bound), and the
/// time to stream a buffer of a network's weight bytes (a vectorised sum: what a one-row forward pass must at least
/// spend reading its weights once).
/// </summary>
public static class MachineLimits
{
    private static float s_sink;

    /// <summary>GFLOP/s of a loop of independent 256-bit FMAs; the best of <paramref name="repeats"/> runs.</summary>
    public static double FmaPeak256(int repeats = 7) => Best(repeats, () => Fma256(20_000_000), 20_000_000.0 * 12 * 8 * 2);

    /// <summary>GFLOP/s with <see cref="Vector512{T}"/> (software-emulated when <see cref="Vector512.IsHardwareAccelerated"/> is false).</summary>
    public static double FmaPeak512(int repeats = 7) => Best(repeats, () => Fma512(10_000_000), 10_000_000.0 * 12 * 16 * 2);

    /// <summary>GFLOP/s with <see cref="Vector{T}"/> at the process's width.</summary>
    public static double FmaPeakVectorT(int repeats = 7) =>
        Best(repeats, () => FmaVectorT(160_000_000 / Vector<float>.Count), 160_000_000.0 * 12 * 2);

    /// <summary>
    /// Nanoseconds for one pass that reads <paramref name="bytes"/> bytes (already touched, so from the nearest cache
    /// level they fit in), the median of many passes.
    /// </summary>
    public static double StreamNanoseconds(int bytes, int passesPerRound = 0)
    {
        var buffer = new float[bytes / sizeof(float)];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = i * 1e-7f;
        }

        if (passesPerRound == 0)
        {
            passesPerRound = Math.Max(1, 20_000_000 / bytes);
        }

        var rounds = new double[31];
        for (int round = -5; round < rounds.Length; round++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int p = 0; p < passesPerRound; p++)
            {
                s_sink += Sum(buffer);
            }

            if (round >= 0)
            {
                rounds[round] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / passesPerRound;
            }
        }

        Array.Sort(rounds);
        return rounds[rounds.Length / 2];
    }

    private static double Best(int repeats, Func<float> kernel, double flops)
    {
        double best = 0;
        for (int r = 0; r < repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            s_sink += kernel();
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, flops / seconds / 1e9);
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fma256(int iterations)
    {
        Vector256<float> a = Vector256.Create(0.999999f + s_sink * 0), b = Vector256.Create(1e-7f);
        Vector256<float> c0 = Vector256.Create(1f), c1 = c0 + b, c2 = c1 + b, c3 = c2 + b, c4 = c3 + b, c5 = c4 + b;
        Vector256<float> c6 = c5 + b, c7 = c6 + b, c8 = c7 + b, c9 = c8 + b, c10 = c9 + b, c11 = c10 + b;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, a, b);
            c1 = Vector256.FusedMultiplyAdd(c1, a, b);
            c2 = Vector256.FusedMultiplyAdd(c2, a, b);
            c3 = Vector256.FusedMultiplyAdd(c3, a, b);
            c4 = Vector256.FusedMultiplyAdd(c4, a, b);
            c5 = Vector256.FusedMultiplyAdd(c5, a, b);
            c6 = Vector256.FusedMultiplyAdd(c6, a, b);
            c7 = Vector256.FusedMultiplyAdd(c7, a, b);
            c8 = Vector256.FusedMultiplyAdd(c8, a, b);
            c9 = Vector256.FusedMultiplyAdd(c9, a, b);
            c10 = Vector256.FusedMultiplyAdd(c10, a, b);
            c11 = Vector256.FusedMultiplyAdd(c11, a, b);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Fma512(int iterations)
    {
        Vector512<float> a = Vector512.Create(0.999999f + s_sink * 0), b = Vector512.Create(1e-7f);
        Vector512<float> c0 = Vector512.Create(1f), c1 = c0 + b, c2 = c1 + b, c3 = c2 + b, c4 = c3 + b, c5 = c4 + b;
        Vector512<float> c6 = c5 + b, c7 = c6 + b, c8 = c7 + b, c9 = c8 + b, c10 = c9 + b, c11 = c10 + b;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, a, b);
            c1 = Vector512.FusedMultiplyAdd(c1, a, b);
            c2 = Vector512.FusedMultiplyAdd(c2, a, b);
            c3 = Vector512.FusedMultiplyAdd(c3, a, b);
            c4 = Vector512.FusedMultiplyAdd(c4, a, b);
            c5 = Vector512.FusedMultiplyAdd(c5, a, b);
            c6 = Vector512.FusedMultiplyAdd(c6, a, b);
            c7 = Vector512.FusedMultiplyAdd(c7, a, b);
            c8 = Vector512.FusedMultiplyAdd(c8, a, b);
            c9 = Vector512.FusedMultiplyAdd(c9, a, b);
            c10 = Vector512.FusedMultiplyAdd(c10, a, b);
            c11 = Vector512.FusedMultiplyAdd(c11, a, b);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaVectorT(int iterations)
    {
        Vector<float> a = new(0.999999f + s_sink * 0), b = new(1e-7f);
        Vector<float> c0 = Vector<float>.One, c1 = c0 + b, c2 = c1 + b, c3 = c2 + b, c4 = c3 + b, c5 = c4 + b;
        Vector<float> c6 = c5 + b, c7 = c6 + b, c8 = c7 + b, c9 = c8 + b, c10 = c9 + b, c11 = c10 + b;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector.FusedMultiplyAdd(c0, a, b);
            c1 = Vector.FusedMultiplyAdd(c1, a, b);
            c2 = Vector.FusedMultiplyAdd(c2, a, b);
            c3 = Vector.FusedMultiplyAdd(c3, a, b);
            c4 = Vector.FusedMultiplyAdd(c4, a, b);
            c5 = Vector.FusedMultiplyAdd(c5, a, b);
            c6 = Vector.FusedMultiplyAdd(c6, a, b);
            c7 = Vector.FusedMultiplyAdd(c7, a, b);
            c8 = Vector.FusedMultiplyAdd(c8, a, b);
            c9 = Vector.FusedMultiplyAdd(c9, a, b);
            c10 = Vector.FusedMultiplyAdd(c10, a, b);
            c11 = Vector.FusedMultiplyAdd(c11, a, b);
        }

        return Vector.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    /// <summary>
    /// The sum of <paramref name="buffer"/>, read once with the widest accelerated vectors (512-bit where
    /// <see cref="Vector512.IsHardwareAccelerated"/>, else 256-bit) into 8 independent sums, so the loop waits on the
    /// loads, not on the additions (4-cycle latency: 4 sums of 256 bits cap it at 32 bytes a cycle, below what an L2
    /// delivers to a core with 512-bit loads). The kernels are compiled fully optimised at their first call, as the
    /// FMA loops are: without that, the limit read 22.6 µs for 940 KB on a quiet machine against 14.3 µs with
    /// DOTNET_TieredCompilation=0 (04:00-04:03 UTC on 2026-12-02).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static float Sum(ReadOnlySpan<float> buffer) => Vector512.IsHardwareAccelerated ? Sum512(buffer) : Sum256(buffer);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum512(ReadOnlySpan<float> buffer)
    {
        ref float start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(buffer);
        int n = buffer.Length - (buffer.Length % 128);
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (int i = 0; i < n; i += 128)
        {
            s0 += Vector512.LoadUnsafe(ref start, (nuint)i);
            s1 += Vector512.LoadUnsafe(ref start, (nuint)(i + 16));
            s2 += Vector512.LoadUnsafe(ref start, (nuint)(i + 32));
            s3 += Vector512.LoadUnsafe(ref start, (nuint)(i + 48));
            s4 += Vector512.LoadUnsafe(ref start, (nuint)(i + 64));
            s5 += Vector512.LoadUnsafe(ref start, (nuint)(i + 80));
            s6 += Vector512.LoadUnsafe(ref start, (nuint)(i + 96));
            s7 += Vector512.LoadUnsafe(ref start, (nuint)(i + 112));
        }

        float sum = Vector512.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
        for (int i = n; i < buffer.Length; i++)
        {
            sum += buffer[i];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum256(ReadOnlySpan<float> buffer)
    {
        ref float start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(buffer);
        int n = buffer.Length - (buffer.Length % 64);
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (int i = 0; i < n; i += 64)
        {
            s0 += Vector256.LoadUnsafe(ref start, (nuint)i);
            s1 += Vector256.LoadUnsafe(ref start, (nuint)(i + 8));
            s2 += Vector256.LoadUnsafe(ref start, (nuint)(i + 16));
            s3 += Vector256.LoadUnsafe(ref start, (nuint)(i + 24));
            s4 += Vector256.LoadUnsafe(ref start, (nuint)(i + 32));
            s5 += Vector256.LoadUnsafe(ref start, (nuint)(i + 40));
            s6 += Vector256.LoadUnsafe(ref start, (nuint)(i + 48));
            s7 += Vector256.LoadUnsafe(ref start, (nuint)(i + 56));
        }

        float sum = Vector256.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
        for (int i = n; i < buffer.Length; i++)
        {
            sum += buffer[i];
        }

        return sum;
    }
}
