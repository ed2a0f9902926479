using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace NetGen.Numerics;

/// <summary>Whether every value of <paramref name="values"/> is finite (<see cref="ParameterSplit.AllFinite{T}"/> runs it on ranges).</summary>
internal delegate bool FiniteCheck<T>(ReadOnlySpan<T> values);

/// <summary>Packs units <paramref name="first"/> to <paramref name="end"/> - 1 (whole panels) of a layer: see <see cref="PackedDense.Pack{T}"/>.</summary>
internal delegate void PanelPacker<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, int inputs, int units, Span<T> packed, int first, int end);

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

        SlotWork<T> work = SlotWork<T>.ForThisThread;
        work.Set(slots, count, sums.Length, RangeLength<T>(sums.Length));
        Share(work);
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
        fixed (T* p = parameters)
        fixed (T* g = gradients)
        fixed (T* m = firstMoment)
        fixed (T* v = secondMoment)
        {
            AdamWork<T> work = AdamWork<T>.ForThisThread;
            work.Set(p, g, m, v, parameters.Length, RangeLength<T>(parameters.Length), beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, stepSize, biasCorrection2Sqrt, decay);
            Share(work);
        }
    }

    /// <summary>Clears <paramref name="values"/>, shared in ranges with the worker when long (zeros whoever writes them).</summary>
    public static unsafe void Clear<T>(T[] values)
        where T : unmanaged
    {
        if (!Splits(values.Length))
        {
            Array.Clear(values);
            return;
        }

        fixed (T* v = values)
        {
            ClearWork<T> work = ClearWork<T>.ForThisThread;
            work.Set(v, values.Length, RangeLength<T>(values.Length));
            Share(work);
        }
    }

    /// <summary>
    /// Whether every value is finite (<paramref name="range"/>: the check of one range, run on ranges of whole vectors),
    /// shared in ranges with the worker: a yes or no, so any cut gives the same answer.
    /// </summary>
    public static unsafe bool AllFinite<T>(ReadOnlySpan<T> values, FiniteCheck<T> range)
        where T : unmanaged
    {
        fixed (T* v = values)
        {
            FiniteWork<T> work = FiniteWork<T>.ForThisThread;
            work.Set(range, v, values.Length, RangeLength<T>(values.Length));
            Share(work);
            return work.AllFinite;
        }
    }

    /// <summary>
    /// <see cref="PackedDense.Pack{T}"/> of a layer shared with the worker in ranges of whole panels: each panel is
    /// written by the same loop whoever writes it. <paramref name="panel"/> packs units first to end - 1. Nothing is
    /// checked: Pack has checked the spans.
    /// </summary>
    public static unsafe void Pack<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, int inputs, int units, Span<T> packed, PanelPacker<T> panel)
        where T : struct
    {
        int width = PackedDense.PanelWidth<T>();
        int panels = (units + width - 1) / width;
        int perRange = Math.Max(1, MinimumRange / ((inputs + 1) * width));
        // Pinned as bytes: T is float or double here, but PackedDense's kernels constrain it to struct only.
        ReadOnlySpan<byte> w = MemoryMarshal.AsBytes(weights), b = MemoryMarshal.AsBytes(bias);
        Span<byte> p = MemoryMarshal.AsBytes(packed);
        fixed (byte* wp = w)
        fixed (byte* bp = b)
        fixed (byte* pp = p)
        {
            PackWork<T> work = PackWork<T>.ForThisThread;
            work.Set(panel, wp, w.Length, bp, b.Length, pp, p.Length, inputs, units, width * perRange);
            Share(work, (panels + perRange - 1) / perRange);
        }
    }

    /// <summary>
    /// <see cref="Optimizers.Sgd{T}"/>'s update in ranges over two threads. The spans are pinned for the call. Nothing is
    /// checked: Sgd has checked the lengths.
    /// </summary>
    public static unsafe void Sgd<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> velocity, T learningRate, T momentum,
        T weightDecay, bool nesterov, bool firstStep)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* p = parameters)
        fixed (T* g = gradients)
        fixed (T* v = velocity)
        {
            OptimizerWork<T> work = OptimizerWork<T>.ForThisThread;
            work.SetSgd(p, g, v, velocity.Length, parameters.Length, RangeLength<T>(parameters.Length), learningRate, momentum, weightDecay, nesterov, firstStep);
            Share(work);
        }
    }

    /// <summary>
    /// <see cref="Optimizers.RmsProp{T}"/>'s update in ranges over two threads. The spans are pinned for the call.
    /// Nothing is checked: RmsProp has checked the lengths.
    /// </summary>
    public static unsafe void RmsProp<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> squareAverage, Span<T> velocity,
        T learningRate, T alpha, T epsilon, T weightDecay, T momentum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* p = parameters)
        fixed (T* g = gradients)
        fixed (T* s = squareAverage)
        fixed (T* v = velocity)
        {
            OptimizerWork<T> work = OptimizerWork<T>.ForThisThread;
            work.SetRmsProp(p, g, s, v, velocity.Length, parameters.Length, RangeLength<T>(parameters.Length), learningRate, alpha, epsilon, weightDecay, momentum);
            Share(work);
        }
    }

    /// <summary>Runs <paramref name="work"/>'s ranges on both threads, then drops its pointers (also when a range threw).</summary>
    private static void Share(RangeWork work, int chunks = -1)
    {
        try
        {
            RowSplit.Run(work, chunks >= 0 ? chunks : work.Ranges);
        }
        finally
        {
            work.Clear();
        }
    }

    /// <summary>Work over ranges of <see cref="Length"/> values, <see cref="Range"/> each (the last: the rest).</summary>
    private abstract class RangeWork : SplitWork
    {
        protected int Length { get; set; }

        protected int Range { get; set; }

        public int Ranges => (Length + Range - 1) / Range;

        /// <summary>Drops the call's pointers and references.</summary>
        public abstract void Clear();

        protected internal override void RunChunk(int chunk)
        {
            int first = chunk * Range;
            RunRange(first, Math.Min(Range, Length - first));
        }

        protected abstract void RunRange(int first, int count);
    }

    private sealed unsafe class ClearWork<T> : RangeWork
        where T : unmanaged
    {
        [ThreadStatic]
        private static ClearWork<T>? t_work;

        private T* _v;

        public static ClearWork<T> ForThisThread => t_work ??= new ClearWork<T>();

        public void Set(T* v, int length, int range)
        {
            _v = v;
            (Length, Range) = (length, range);
        }

        public override void Clear() => _v = null;

        protected override void RunRange(int first, int count) => new Span<T>(_v + first, count).Clear();
    }

    private sealed unsafe class FiniteWork<T> : RangeWork
        where T : unmanaged
    {
        [ThreadStatic]
        private static FiniteWork<T>? t_work;

        private FiniteCheck<T>? _check;
        private T* _v;
        private int _notFinite;

        public static FiniteWork<T> ForThisThread => t_work ??= new FiniteWork<T>();

        public bool AllFinite => Volatile.Read(ref _notFinite) == 0;

        public void Set(FiniteCheck<T> check, T* v, int length, int range)
        {
            _v = v;
            (_check, Length, Range) = (check, length, range);
            _notFinite = 0;
        }

        public override void Clear()
        {
            _check = null;
            _v = null;
        }

        protected override void RunRange(int first, int count)
        {
            if (!_check!(new ReadOnlySpan<T>(_v + first, count)))
            {
                Volatile.Write(ref _notFinite, 1);
            }
        }
    }

    private sealed unsafe class PackWork<T> : RangeWork
        where T : struct
    {
        [ThreadStatic]
        private static PackWork<T>? t_work;

        private PanelPacker<T>? _panel;
        private byte* _w, _b, _p;
        private int _wLength, _bLength, _pLength, _inputs;

        public static PackWork<T> ForThisThread => t_work ??= new PackWork<T>();

        // Length and Range count units here (the lengths bytes): a range is whole panels.
        public void Set(PanelPacker<T> panel, byte* w, int wLength, byte* b, int bLength, byte* p, int pLength, int inputs, int units, int unitsPerRange)
        {
            _panel = panel;
            _w = w;
            _b = b;
            _p = p;
            (_wLength, _bLength, _pLength, _inputs, Length, Range) = (wLength, bLength, pLength, inputs, units, unitsPerRange);
        }

        public override void Clear()
        {
            _panel = null;
            _w = null;
            _b = null;
            _p = null;
        }

        protected override void RunRange(int first, int count) =>
            _panel!(MemoryMarshal.Cast<byte, T>(new ReadOnlySpan<byte>(_w, _wLength)), MemoryMarshal.Cast<byte, T>(new ReadOnlySpan<byte>(_b, _bLength)), _inputs, Length,
                MemoryMarshal.Cast<byte, T>(new Span<byte>(_p, _pLength)), first, first + count);
    }

    /// <summary>One thread's split SGD or RMSprop step: the pinned spans, the step's constants.</summary>
    private sealed unsafe class OptimizerWork<T> : RangeWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static OptimizerWork<T>? t_work;

        private T* _p, _g, _s, _v;
        private int _vLength;
        private bool _rmsProp, _nesterov, _firstStep;
        private T _learningRate, _momentum, _weightDecay, _alpha, _epsilon;

        public static OptimizerWork<T> ForThisThread => t_work ??= new OptimizerWork<T>();

        public void SetSgd(T* p, T* g, T* v, int vLength, int length, int range, T learningRate, T momentum, T weightDecay, bool nesterov, bool firstStep)
        {
            _p = p;
            _g = g;
            _s = null;
            _v = v;
            (_vLength, Length, Range) = (vLength, length, range);
            (_rmsProp, _learningRate, _momentum, _weightDecay, _nesterov, _firstStep) = (false, learningRate, momentum, weightDecay, nesterov, firstStep);
        }

        public void SetRmsProp(T* p, T* g, T* s, T* v, int vLength, int length, int range, T learningRate, T alpha, T epsilon, T weightDecay, T momentum)
        {
            _p = p;
            _g = g;
            _s = s;
            _v = v;
            (_vLength, Length, Range) = (vLength, length, range);
            (_rmsProp, _learningRate, _alpha, _epsilon, _weightDecay, _momentum) = (true, learningRate, alpha, epsilon, weightDecay, momentum);
        }

        public override void Clear()
        {
            _p = null;
            _g = null;
            _s = null;
            _v = null;
        }

        protected override void RunRange(int first, int count)
        {
            var parameters = new Span<T>(_p + first, count);
            var gradients = new ReadOnlySpan<T>(_g + first, count);
            Span<T> velocity = _vLength == 0 ? default : new Span<T>(_v + first, count); // empty without momentum, as given
            if (_rmsProp)
            {
                Optimizers.RmsPropRange(parameters, gradients, new Span<T>(_s + first, count), velocity, _learningRate, _alpha, _epsilon, _weightDecay, _momentum);
            }
            else
            {
                Optimizers.SgdRange(parameters, gradients, velocity, _learningRate, _momentum, _weightDecay, _nesterov, _firstStep);
            }
        }
    }

    /// <summary>One thread's split <see cref="Adam{T}"/>: the pinned spans, the range length, the step's constants.</summary>
    private sealed unsafe class AdamWork<T> : RangeWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static AdamWork<T>? t_work;

        private T* _p, _g, _m, _v;
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
            (Length, Range) = (length, range);
            (_beta1, _beta2, _epsilon, _weightDecay, _decoupled) = (beta1, beta2, epsilon, weightDecay, decoupled);
            (_stepSize, _biasCorrection2Sqrt, _decay) = (stepSize, biasCorrection2Sqrt, decay);
        }

        public override void Clear()
        {
            _p = null;
            _g = null;
            _m = null;
            _v = null;
        }

        protected override void RunRange(int first, int count) =>
            Optimizers.AdamRange(new Span<T>(_p + first, count), new ReadOnlySpan<T>(_g + first, count), new Span<T>(_m + first, count),
                new Span<T>(_v + first, count), _beta1, _beta2, _epsilon, _weightDecay, _decoupled, _stepSize, _biasCorrection2Sqrt, _decay);
    }

    /// <summary>One thread's split <see cref="AddSlots{T}"/>: the slots and the range length.</summary>
    private sealed class SlotWork<T> : RangeWork
        where T : unmanaged, INumberBase<T>
    {
        [ThreadStatic]
        private static SlotWork<T>? t_work;

        private T[]?[]? _slots;
        private int _count;

        public static SlotWork<T> ForThisThread
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => t_work ??= new SlotWork<T>();
        }

        public void Set(T[]?[] slots, int count, int length, int range)
        {
            _slots = slots;
            (_count, Length, Range) = (count, length, range);
        }

        public override void Clear() => _slots = null;

        protected override void RunRange(int first, int count) => AddSlotsRange(_slots!, _count, first, count);
    }
}
