using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// A later chunk of a split batch added where it is stored (docs/performance.md, "Two cores for training"): on one
/// thread, <see cref="TrainingSplit"/> runs a batch's one-tile chunks into the gradient itself instead of into slots
/// that are cleared, written and then added. While <see cref="AddsChunk"/> is set, each kernel that adds into a
/// parameter gradient computes its sums from zero, as it would into a cleared slot, and stores the stored value plus
/// that sum, the operation the slots' sum would do: the same bits, without the slot's clear, the slot itself and the
/// pass over both.
/// </summary>
public static partial class TrainingKernels
{
    [ThreadStatic]
    private static bool t_addsChunk;

    /// <summary>
    /// Whether this thread's gradient kernels (<see cref="AddColumnSums{T}"/>, <see cref="AddWeightGradient{T}"/>,
    /// <see cref="ElementWise.LearnedSlopeDelta{T}"/>) add a chunk's sums to the values they find (stored + Σ, the sums
    /// started from zero) instead of continuing each value's chain (Σ started from the stored value). The two agree
    /// bit for bit with a slot that is cleared, summed into and then added, when each value gets one kernel call per
    /// chunk: chunks of one tile.
    /// </summary>
    internal static bool AddsChunk
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_addsChunk;
        set => t_addsChunk = value;
    }

    /// <summary>
    /// For the kernels that have no store of their own for <see cref="AddsChunk"/>: copies <paramref name="target"/>
    /// aside (into this thread's buffer, grown on first use) and clears it, so the kernel sums into zeros as into a
    /// cleared slot; <see cref="AddSaved{T}"/> then adds the saved values back.
    /// </summary>
    private static Span<T> SaveAndClear<T>(Span<T> target)
        where T : unmanaged
    {
        ref T[]? buffer = ref Saved<T>.Values;
        if (buffer is null || buffer.Length < target.Length)
        {
            buffer = new T[target.Length];
        }

        Span<T> saved = buffer.AsSpan(0, target.Length);
        target.CopyTo(saved);
        target.Clear();
        return saved;
    }

    /// <summary>target[k] = saved[k] + target[k]: the slots' sum (the earlier chunks' value first), a vector at a time, then the rest.</summary>
    private static void AddSaved<T>(Span<T> target, ReadOnlySpan<T> saved)
        where T : unmanaged, INumberBase<T>
    {
        int k = 0;
        for (; k <= target.Length - Vector<T>.Count; k += Vector<T>.Count)
        {
            (new Vector<T>(saved[k..]) + new Vector<T>(target[k..])).CopyTo(target[k..]);
        }

        for (; k < target.Length; k++)
        {
            target[k] = saved[k] + target[k];
        }
    }

    private static class Saved<T>
    {
        [ThreadStatic]
        public static T[]? Values;
    }
}
