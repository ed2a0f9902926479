using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// How a chunk of a batch meets the gradient it is summed into (docs/performance.md, "Two cores for training"). On one
/// thread, <see cref="TrainingSplit"/> runs a batch's one-tile chunks into the gradient itself instead of into slots
/// that are cleared, written and then added: while <see cref="AddsChunk"/> is set, each kernel that adds into a
/// parameter gradient computes its sums from zero, as it would into a cleared slot, and stores the stored value plus
/// that sum, the operation the slots' sum would do: the same bits, without the slot's clear, the slot itself and the
/// pass over both. The first one-tile chunk needs no cleared gradient either: while <see cref="StartsChunk"/> is set,
/// each such kernel computes its sums from zero and stores them over whatever it finds, which is what it would store
/// into a cleared gradient, without the clear.
/// </summary>
public static partial class TrainingKernels
{
    [ThreadStatic]
    private static ChunkWrite t_chunkWrite;

    /// <summary>How this thread's gradient kernels write: continue each value's chain (the default), start it, or add a chunk's sums.</summary>
    private enum ChunkWrite : byte
    {
        /// <summary>Σ started from the stored value: the gradient holds earlier rows' sums (or zeros).</summary>
        Continues,

        /// <summary>Σ started from zero and stored over the value found, which is not read.</summary>
        Starts,

        /// <summary>Σ started from zero, then stored value + Σ.</summary>
        Adds,
    }

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
        get => t_chunkWrite == ChunkWrite.Adds;
        set => t_chunkWrite = value ? ChunkWrite.Adds : ChunkWrite.Continues;
    }

    /// <summary>
    /// Whether this thread's gradient kernels store their sums, started from zero, over the values they find without
    /// reading them: the values a cleared gradient would get, when each value gets one kernel call (a chunk of one tile),
    /// so that the gradient need not be cleared first. Every parameter's gradient is written by one of the three
    /// kernels, so one such chunk writes the whole gradient.
    /// </summary>
    internal static bool StartsChunk
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_chunkWrite == ChunkWrite.Starts;
        set => t_chunkWrite = value ? ChunkWrite.Starts : ChunkWrite.Continues;
    }

    /// <summary>Whether the sums start from zero rather than from the stored values: <see cref="StartsChunk"/> or <see cref="AddsChunk"/>.</summary>
    internal static bool SumsFromZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_chunkWrite != ChunkWrite.Continues;
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
