using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// Two cores for work done value by value over all the parameters (the optimizer step, the sum of a split batch's
/// gradient slots; docs/performance.md, "Two cores for training"): the values are cut into ranges that <see cref="RowSplit"/>'s worker
/// and the calling thread claim one at a time. Every value goes through the same operations whoever computes it, and
/// the cuts fall on whole vectors, so each value takes the vector or the scalar path exactly as in one undivided
/// loop: the same bits whatever the number of threads.
/// </summary>
internal static class ParameterSplit
{
    /// <summary>Values below which the work stays on the calling thread: about 70 µs of an Adam step on one core here.</summary>
    public const int MinimumValues = 1 << 16;

    /// <summary>The values of one range, at least: about 16 µs of an Adam step, against about 1 µs per claim.</summary>
    private const int MinimumRange = 1 << 14;

    /// <summary>Whether work over <paramref name="values"/> values is shared with the worker.</summary>
    public static bool Splits(int values) => values >= MinimumValues && RowSplit.Enabled;

    /// <summary>The range length for <paramref name="values"/> values: whole vectors, at most 16 ranges.</summary>
    public static int RangeLength<T>(int values)
    {
        int length = Math.Max(MinimumRange, (values + 15) / 16);
        return (length + Vector<T>.Count - 1) / Vector<T>.Count * Vector<T>.Count;
    }

    /// <summary>
    /// Adds the first <paramref name="count"/> slots value by value into slot 0 (<paramref name="sums"/>) in a fixed
    /// pairwise tree: slot i += slot i + 1 for even i, then slot i += slot i + 2 for every fourth i, and so on, so that
    /// four slots give (s0 + s1) + (s2 + s3) and three (s0 + s1) + s2. The slots after the first are overwritten. Each
    /// range of values runs the whole tree while it is in cache; shared with the worker when long. The slots may be
    /// longer than <paramref name="sums"/>: only its length is added.
    /// </summary>
    public static void AddSlots<T>(T[] sums, T[]?[] slots, int count)
        where T : unmanaged, INumberBase<T>
    {
        if (!Splits(sums.Length))
        {
            AddSlotsRange(slots, count, 0, sums.Length);
            return;
        }

        int range = RangeLength<T>(sums.Length);
        SlotWork<T> work = SlotWork<T>.ForThisThread;
        work.Set(slots, count, sums.Length, range);
        try
        {
            RowSplit.Run(work, (sums.Length + range - 1) / range);
        }
        finally
        {
            work.Clear();
        }
    }

    /// <summary><see cref="AddSlots{T}"/>'s tree over the values <paramref name="first"/> to <paramref name="first"/> + <paramref name="length"/> - 1.</summary>
    private static void AddSlotsRange<T>(T[]?[] slots, int count, int first, int length)
        where T : unmanaged, INumberBase<T>
    {
        for (int stride = 1; stride < count; stride *= 2)
        {
            for (int i = 0; i + stride < count; i += 2 * stride)
            {
                AddRange(slots[i].AsSpan(first, length), slots[i + stride].AsSpan(first, length));
            }
        }
    }

    /// <summary>sums[k] += values[k], a vector at a time, then the values after the last whole vector.</summary>
    public static void AddRange<T>(Span<T> sums, ReadOnlySpan<T> values)
        where T : unmanaged, INumberBase<T>
    {
        int k = 0;
        for (; k <= sums.Length - Vector<T>.Count; k += Vector<T>.Count)
        {
            (new Vector<T>(sums[k..]) + new Vector<T>(values[k..])).CopyTo(sums[k..]);
        }

        for (; k < sums.Length; k++)
        {
            sums[k] += values[k];
        }
    }

    /// <summary>
    /// <see cref="Optimizers.Adam{T}"/>'s update in ranges over two threads, with the step's constants it worked out. The
    /// spans are pinned for the call. Nothing is checked: Adam has checked the lengths.
    /// </summary>
    public static unsafe void Adam<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> firstMoment, Span<T> secondMoment,
        T beta1, T beta2, T epsilon, T weightDecay, bool decoupledWeightDecay, T stepSize, T biasCorrection2Sqrt, T decay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int range = RangeLength<T>(parameters.Length);
        fixed (T* p = parameters)
        fixed (T* g = gradients)
        fixed (T* m = firstMoment)
        fixed (T* v = secondMoment)
        {
            AdamWork<T> work = AdamWork<T>.ForThisThread;
            work.Set(p, g, m, v, parameters.Length, range, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, stepSize, biasCorrection2Sqrt, decay);
            try
            {
                RowSplit.Run(work, (parameters.Length + range - 1) / range);
            }
            finally
            {
                work.Clear();
            }
        }
    }

    /// <summary>One thread's split <see cref="Adam{T}"/>: the pinned spans, the range length, the step's constants.</summary>
    private sealed unsafe class AdamWork<T> : SplitWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static AdamWork<T>? t_work;

        private T* _p, _g, _m, _v;
        private int _length, _range;
        private T _beta1, _beta2, _epsilon, _weightDecay, _stepSize, _biasCorrection2Sqrt, _decay;
        private bool _decoupled;

        public static AdamWork<T> ForThisThread
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => t_work ??= new AdamWork<T>();
        }

        public void Set(T* p, T* g, T* m, T* v, int length, int range, T beta1, T beta2, T epsilon, T weightDecay, bool decoupled,
            T stepSize, T biasCorrection2Sqrt, T decay)
        {
            _p = p;
            _g = g;
            _m = m;
            _v = v;
            (_length, _range) = (length, range);
            (_beta1, _beta2, _epsilon, _weightDecay, _decoupled) = (beta1, beta2, epsilon, weightDecay, decoupled);
            (_stepSize, _biasCorrection2Sqrt, _decay) = (stepSize, biasCorrection2Sqrt, decay);
        }

        public void Clear()
        {
            _p = null;
            _g = null;
            _m = null;
            _v = null;
        }

        protected internal override void RunChunk(int chunk)
        {
            int first = chunk * _range, count = Math.Min(_range, _length - first);
            Optimizers.AdamRange(new Span<T>(_p + first, count), new ReadOnlySpan<T>(_g + first, count), new Span<T>(_m + first, count),
                new Span<T>(_v + first, count), _beta1, _beta2, _epsilon, _weightDecay, _decoupled, _stepSize, _biasCorrection2Sqrt, _decay);
        }
    }

    /// <summary>One thread's split <see cref="AddSlots{T}"/>: the slots and the range length.</summary>
    private sealed class SlotWork<T> : SplitWork
        where T : unmanaged, INumberBase<T>
    {
        [ThreadStatic]
        private static SlotWork<T>? t_work;

        private T[]?[]? _slots;
        private int _count, _length, _range;

        public static SlotWork<T> ForThisThread
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => t_work ??= new SlotWork<T>();
        }

        public void Set(T[]?[] slots, int count, int length, int range)
        {
            _slots = slots;
            (_count, _length, _range) = (count, length, range);
        }

        public void Clear() => _slots = null;

        protected internal override void RunChunk(int chunk)
        {
            int first = chunk * _range;
            AddSlotsRange(_slots!, _count, first, Math.Min(_range, _length - first));
        }
    }
}
