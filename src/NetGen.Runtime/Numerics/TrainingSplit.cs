using System;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// Backpropagation of rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="rows"/> - 1 of a
/// batch into <paramref name="gradients"/>, with its own <paramref name="scratch"/>; returns the sum of those rows'
/// weighted losses, added row by row. <paramref name="inputs"/>, <paramref name="targets"/>, <paramref name="labels"/>
/// and <paramref name="weights"/> are the whole batch's.
/// </summary>
public delegate double TrainingChunk<T>(T[] packed, T[] parameters, T[] gradients, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets,
    ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, int first, int rows, T[] scratch, T scale);

/// <summary>
/// Two cores for generated <c>TrainBatch</c> and <c>ComputeGradients</c> (docs/performance.md, "Two cores"): a large batch
/// is cut into two halves at a row that depends only on the batch size, each half's gradient is summed into a buffer
/// of its own, and the second is added to the first at the end, value by value. The halves run on the calling thread
/// and <see cref="RowSplit"/>'s worker when it is free, else one after the other on the calling thread: the same
/// operations in the same order either way, so the results are the same bits whatever the number of threads.
/// </summary>
public static class TrainingSplit
{
    /// <summary>
    /// The multiply-adds of a batch's forward pass (rows × the network's multiply-adds per row) from which it is cut in
    /// two: about 0.1 ms of backpropagation on one core here, against a few µs to wake the worker.
    /// </summary>
    public const long MinimumMultiplyAdds = 1L << 22;

    /// <summary>
    /// Whether a batch of <paramref name="rows"/> rows is cut in two: at least two tiles of
    /// <paramref name="tileRows"/> rows and <see cref="MinimumMultiplyAdds"/> multiply-adds. A function of the batch and
    /// the network only (never of the machine or of <see cref="RowSplit.Enabled"/>), so that it fixes the sums' order.
    /// </summary>
    public static bool Splits(int rows, int tileRows, long multiplyAddsPerRow) =>
        rows >= 2 * tileRows && rows * multiplyAddsPerRow >= MinimumMultiplyAdds;

    /// <summary>Where the second half starts: the first whole tiles past half the rows.</summary>
    public static int Cut(int rows, int tileRows) => ((rows / 2) + tileRows - 1) / tileRows * tileRows;

    /// <summary>
    /// Runs <paramref name="chunk"/> for the rows before <see cref="Cut"/> into <paramref name="gradients"/> (which the
    /// caller has cleared) and for the rest into <paramref name="secondGradients"/> (cleared here), on two threads where
    /// possible; then adds the second into the first and returns the first half's loss plus the second's. Allocates
    /// the second half's buffers (the gradients' and <paramref name="scratch"/>'s lengths) on the first call only.
    /// Nothing else is checked: generated code has checked the spans.
    /// </summary>
    public static unsafe double Run<T>(TrainingChunk<T> chunk, T[] packed, T[] parameters, T[] gradients, ref T[]? secondGradients,
        T[] scratch, ref T[]? secondScratch, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<int> labels,
        ReadOnlySpan<T> weights, int rows, int tileRows, T scale)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        T[] second = secondGradients ??= new T[gradients.Length];
        T[] secondRows = secondScratch ??= new T[scratch.Length];
        int cut = Cut(rows, tileRows);
        fixed (T* x = inputs)
        fixed (T* t = targets)
        fixed (int* l = labels)
        fixed (T* w = weights)
        {
            // Pinned for the call: the worker reads the rows through these pointers while this thread works or waits.
            Work<T> work = Work<T>.ForThisThread;
            work.Set(chunk, packed, parameters, gradients, second, scratch, secondRows, x, inputs.Length, t, targets.Length, l, labels.Length,
                w, weights.Length, rows, cut, scale);
            try
            {
                RowSplit.Run(work, 2);
                ParameterSplit.AddInto(gradients, second); // value by value: any cut gives the same sums
                return work.FirstLoss + work.SecondLoss;
            }
            finally
            {
                work.Clear();
            }
        }
    }

    /// <summary>One thread's split call: the chunk kernel, both halves' buffers, the pinned rows.</summary>
    private sealed unsafe class Work<T> : SplitWork
        where T : unmanaged
    {
        [ThreadStatic]
        private static Work<T>? t_work;

        private TrainingChunk<T>? _chunk;
        private T[]? _packed, _parameters, _gradients, _second, _scratch, _secondScratch;
        private T* _x, _t, _w;
        private int* _l;
        private int _xLength, _tLength, _lLength, _wLength, _rows, _cut;
        private T _scale;

        public double FirstLoss { get; private set; }

        public double SecondLoss { get; private set; }

        public static Work<T> ForThisThread
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => t_work ??= new Work<T>();
        }

        public void Set(TrainingChunk<T> chunk, T[] packed, T[] parameters, T[] gradients, T[] second, T[] scratch, T[] secondScratch,
            T* x, int xLength, T* t, int tLength, int* l, int lLength, T* w, int wLength, int rows, int cut, T scale)
        {
            (_chunk, _packed, _parameters, _gradients, _second, _scratch, _secondScratch) = (chunk, packed, parameters, gradients, second, scratch, secondScratch);
            _x = x;
            _t = t;
            _l = l;
            _w = w;
            (_xLength, _tLength, _lLength, _wLength) = (xLength, tLength, lLength, wLength);
            (_rows, _cut, _scale) = (rows, cut, scale);
        }

        /// <summary>Drops the references, so a thread's cached work keeps no network alive.</summary>
        public void Clear()
        {
            (_chunk, _packed, _parameters, _gradients, _second, _scratch, _secondScratch) = (null, null, null, null, null, null, null);
            _x = null;
            _t = null;
            _l = null;
            _w = null;
        }

        protected internal override void RunChunk(int chunk)
        {
            var inputs = new ReadOnlySpan<T>(_x, _xLength);
            var targets = new ReadOnlySpan<T>(_t, _tLength);
            var labels = new ReadOnlySpan<int>(_l, _lLength);
            var weights = new ReadOnlySpan<T>(_w, _wLength);
            if (chunk == 0)
            {
                FirstLoss = _chunk!(_packed!, _parameters!, _gradients!, inputs, targets, labels, weights, 0, _cut, _scratch!, _scale);
            }
            else
            {
                Array.Clear(_second!);
                SecondLoss = _chunk!(_packed!, _parameters!, _second!, inputs, targets, labels, weights, _cut, _rows - _cut, _secondScratch!, _scale);
            }
        }
    }
}
