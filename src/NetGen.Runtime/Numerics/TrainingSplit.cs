using System;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// Backpropagation of rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="rows"/> - 1 of a
/// batch into <paramref name="gradients"/>, with its own <paramref name="scratch"/>; returns the sum of those rows'
/// weighted losses, added row by row. <paramref name="inputs"/>, <paramref name="targets"/>, <paramref name="labels"/>
/// and <paramref name="weights"/> are the whole batch's. <paramref name="gradients"/> and <paramref name="scratch"/> may be
/// longer than the network's (a thread's slot grown for a larger network): only their first values are used.
/// </summary>
public delegate double TrainingChunk<T>(T[] packed, T[] parameters, T[] gradients, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets,
    ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, int first, int rows, T[] scratch, T scale);

/// <summary>
/// Two cores for generated <c>TrainBatch</c> and <c>ComputeGradients</c> (docs/performance.md, "Two cores for
/// training"): a large batch is cut into 2 to <see cref="MaximumChunks"/> chunks of whole tiles at rows that depend
/// only on the batch size, each chunk's gradient is summed into a buffer of its own (its slot), and the slots are
/// added at the end in a fixed tree, value by value. The calling thread and <see cref="RowSplit"/>'s worker claim the
/// chunks one at a time, whichever is free (so a thread that loses its core for a while leaves the other the rest),
/// or the calling thread runs them all: each chunk and each sum are the same operations in the same order either way,
/// so the results are the same bits whatever the number of threads.
/// </summary>
public static class TrainingSplit
{
    /// <summary>
    /// The multiply-adds of a batch's forward pass (rows × the network's multiply-adds per row) from which it is cut:
    /// about 0.1 ms of backpropagation on one core here, against a few µs to wake the worker.
    /// </summary>
    public const long MinimumMultiplyAdds = 1L << 22;

    /// <summary>
    /// The most chunks a batch is cut into: one tile each at least. Each chunk after the first sums into a gradient
    /// buffer of its own (the parameter count's values: 940,584 bytes for 784-256-128-10 in float) and adds that much
    /// to the final sum; four chunks let one thread take three when the other loses its core for a while.
    /// </summary>
    public const int MaximumChunks = 4;

    /// <summary>
    /// Whether a batch of <paramref name="rows"/> rows is cut: at least two tiles of <paramref name="tileRows"/> rows
    /// and <see cref="MinimumMultiplyAdds"/> multiply-adds. A function of the batch and the network only (never of the
    /// machine or of <see cref="RowSplit.Enabled"/>), so that it fixes the sums' order.
    /// </summary>
    public static bool Splits(int rows, int tileRows, long multiplyAddsPerRow) =>
        rows >= 2 * tileRows && rows * multiplyAddsPerRow >= MinimumMultiplyAdds;

    /// <summary>How many chunks a batch that <see cref="Splits"/> is cut into: one per tile, at most <see cref="MaximumChunks"/>.</summary>
    public static int Chunks(int rows, int tileRows) => Math.Min(MaximumChunks, Tiles(rows, tileRows));

    /// <summary>
    /// The first row of chunk <paramref name="chunk"/> of <paramref name="chunks"/> (<paramref name="chunks"/>: the
    /// batch's end): the tiles shared out as evenly as whole tiles allow, the later chunks the larger.
    /// </summary>
    public static int ChunkStart(int chunk, int chunks, int rows, int tileRows) =>
        chunk >= chunks ? rows : (int)((long)chunk * Tiles(rows, tileRows) / chunks) * tileRows;

    private static int Tiles(int rows, int tileRows) => (rows + tileRows - 1) / tileRows;

    /// <summary>
    /// Runs <paramref name="chunk"/> for each of <see cref="Chunks"/> chunks of the rows: the first into
    /// <paramref name="gradients"/> (cleared first; whatever it held is overwritten), each other into a slot of its own
    /// (cleared by the chunk), on two threads where possible; then adds the slots into <paramref name="gradients"/> in a
    /// fixed tree (<see cref="ParameterSplit.AddSlots{T}"/>) and returns the chunks' losses added in chunk order. The second
    /// chunk's buffers are the network's (<paramref name="secondGradients"/>, <paramref name="secondScratch"/>); the
    /// third's and fourth's are the calling thread's, shared by every network it trains and grown to the largest.
    /// Each is allocated on the first call that needs it. On one thread (<see cref="RowSplit.Enabled"/> false) a batch
    /// of one-tile chunks runs them in place instead (<see cref="RunInPlace{T}"/>): the same bits. Nothing else is
    /// checked: generated code has checked the spans.
    /// </summary>
    public static unsafe double Run<T>(TrainingChunk<T> chunk, T[] packed, T[] parameters, T[] gradients, ref T[]? secondGradients,
        T[] scratch, ref T[]? secondScratch, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<int> labels,
        ReadOnlySpan<T> weights, int rows, int tileRows, T scale)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        int chunks = Chunks(rows, tileRows);
        Work<T> work = Work<T>.ForThisThread;
        if (!RowSplit.Enabled && chunks == Tiles(rows, tileRows))
        {
            return RunInPlace(chunk, work, packed, parameters, gradients, scratch, inputs, targets, labels, weights, rows, tileRows, chunks, scale);
        }

        ParameterSplit.Clear(gradients); // on both threads when long

        T[] second = secondGradients ??= new T[gradients.Length];
        T[] secondRows = secondScratch ??= new T[scratch.Length];
        work.Slots(chunks, gradients.Length, scratch.Length);
        fixed (T* x = inputs)
        fixed (T* t = targets)
        fixed (int* l = labels)
        fixed (T* w = weights)
        {
            // Pinned for the call: the worker reads the rows through these pointers while this thread works or waits.
            work.Set(chunk, packed, parameters, gradients, second, scratch, secondRows, x, inputs.Length, t, targets.Length, l, labels.Length,
                w, weights.Length, rows, tileRows, chunks, scale);
            try
            {
                RowSplit.Run(work, chunks);
                ParameterSplit.AddSlots(gradients, work.Gradients!, chunks);
                double total = work.Losses[0];
                for (int c = 1; c < chunks; c++)
                {
                    total += work.Losses[c];
                }

                return total;
            }
            finally
            {
                work.Clear();
            }
        }
    }

    /// <summary>
    /// The chunks of a batch of one tile each, on this thread, without a slot for the second (nor the third of three):
    /// chunk 0 with <see cref="TrainingKernels.StartsChunk"/> set, so that its kernels store their sums over whatever
    /// <paramref name="gradients"/> holds (the values a cleared gradient would get, without the clear), and each later
    /// chunk of the pair (or of three) with <see cref="TrainingKernels.AddsChunk"/> set, so that its kernels add their
    /// sums, started from zero, to the values they find: gradient + chunk, the value the slot tree's first additions
    /// give, where the slots would have been cleared, written and read again. Four chunks are two such pairs, the
    /// second in this thread's third slot (started like chunk 0), then added: (s0 + s1) + (s2 + s3). Each kernel call
    /// of a one-tile chunk writes each value once, so these are the slot tree's operations on every value: the same
    /// bits as on two threads.
    /// </summary>
    private static double RunInPlace<T>(TrainingChunk<T> chunk, Work<T> work, T[] packed, T[] parameters, T[] gradients, T[] scratch,
        ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, int rows, int tileRows, int chunks, T scale)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        T[] pair = gradients;
        if (chunks == 4)
        {
            work.Slots(3, gradients.Length, 0);
            pair = work.Gradients[2]!;
        }

        double total = 0;
        for (int c = 0; c < chunks; c++)
        {
            T[] target = c < 2 || chunks == 3 ? gradients : pair;
            int first = ChunkStart(c, chunks, rows, tileRows);
            if (c == 0 || (c == 2 && chunks == 4))
            {
                TrainingKernels.StartsChunk = true; // only this network's values are written: the slot may be longer
            }
            else
            {
                TrainingKernels.AddsChunk = true;
            }

            try
            {
                double loss = chunk(packed, parameters, target, inputs, targets, labels, weights, first, ChunkStart(c + 1, chunks, rows, tileRows) - first, scratch, scale);
                total = c == 0 ? loss : total + loss;
            }
            finally
            {
                TrainingKernels.StartsChunk = false; // either mode back to continuing each value's chain
            }
        }

        if (chunks == 4)
        {
            ParameterSplit.AddRange(gradients.AsSpan(), pair.AsSpan(0, gradients.Length));
        }

        return total;
    }

    /// <summary>
    /// Runs <paramref name="chunk"/> over a batch that is not cut (<see cref="Splits"/> false) into
    /// <paramref name="gradients"/>, overwriting what it held, and returns the rows' losses. A batch of one tile gives
    /// each value one kernel call, so it runs with <see cref="TrainingKernels.StartsChunk"/> set: its kernels store their
    /// sums over the values found, the values a cleared gradient would get, without a pass to clear it. A longer batch
    /// continues each value's chain tile after tile, so its gradient is cleared first.
    /// </summary>
    public static double RunWhole<T>(TrainingChunk<T> chunk, T[] packed, T[] parameters, T[] gradients, T[] scratch,
        ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<int> labels, ReadOnlySpan<T> weights, int rows, int tileRows, T scale)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        if (rows == 0 || rows > tileRows)
        {
            ClearGradients(gradients);
            return chunk(packed, parameters, gradients, inputs, targets, labels, weights, 0, rows, scratch, scale);
        }

        TrainingKernels.StartsChunk = true;
        try
        {
            return chunk(packed, parameters, gradients, inputs, targets, labels, weights, 0, rows, scratch, scale);
        }
        finally
        {
            TrainingKernels.StartsChunk = false;
        }
    }

    /// <summary>
    /// Clears a gradient before a batch is summed into it tile after tile without <see cref="Run{T}"/> or
    /// <see cref="RunWhole{T}"/> (a network with dropout, whose masks come from one stream in row order), on both
    /// threads when long.
    /// </summary>
    public static void ClearGradients<T>(T[] gradients)
        where T : unmanaged => ParameterSplit.Clear(gradients);

    /// <summary>One thread's split call: the chunk kernel, every chunk's buffers and loss, the pinned rows.</summary>
    private sealed unsafe class Work<T> : SplitWork
        where T : unmanaged
    {
        [ThreadStatic]
        private static Work<T>? t_work;

        private TrainingChunk<T>? _chunk;
        private T[]? _packed, _parameters;
        private T* _x, _t, _w;
        private int* _l;
        private int _xLength, _tLength, _lLength, _wLength, _rows, _tileRows, _chunks, _gradientLength;
        private T _scale;

        // Slots 0 and 1 are the network's for the call; 2 and up this thread's own, kept between calls.
        public readonly T[]?[] Gradients = new T[MaximumChunks][];
        private readonly T[]?[] _scratch = new T[MaximumChunks][];
        public readonly double[] Losses = new double[MaximumChunks];

        public static Work<T> ForThisThread
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => t_work ??= new Work<T>();
        }

        /// <summary>Makes sure this thread's own slots (2 and up) hold at least the given lengths.</summary>
        public void Slots(int chunks, int gradientLength, int scratchLength)
        {
            for (int c = 2; c < chunks; c++)
            {
                if (Gradients[c] is null || Gradients[c]!.Length < gradientLength)
                {
                    Gradients[c] = new T[gradientLength];
                }

                if (_scratch[c] is null || _scratch[c]!.Length < scratchLength)
                {
                    _scratch[c] = new T[scratchLength];
                }
            }
        }

        public void Set(TrainingChunk<T> chunk, T[] packed, T[] parameters, T[] gradients, T[] second, T[] scratch, T[] secondScratch,
            T* x, int xLength, T* t, int tLength, int* l, int lLength, T* w, int wLength, int rows, int tileRows, int chunks, T scale)
        {
            (_chunk, _packed, _parameters) = (chunk, packed, parameters);
            (Gradients[0], Gradients[1], _scratch[0], _scratch[1]) = (gradients, second, scratch, secondScratch);
            _x = x;
            _t = t;
            _l = l;
            _w = w;
            (_xLength, _tLength, _lLength, _wLength) = (xLength, tLength, lLength, wLength);
            (_rows, _tileRows, _chunks, _scale, _gradientLength) = (rows, tileRows, chunks, scale, gradients.Length);
        }

        /// <summary>Drops the references to the call's network, so a thread's cached work keeps no network alive.</summary>
        public void Clear()
        {
            (_chunk, _packed, _parameters) = (null, null, null);
            (Gradients[0], Gradients[1], _scratch[0], _scratch[1]) = (null, null, null, null);
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
            int first = ChunkStart(chunk, _chunks, _rows, _tileRows);
            int end = ChunkStart(chunk + 1, _chunks, _rows, _tileRows);
            T[] gradients = Gradients[chunk]!;
            if (chunk > 0)
            {
                // A slot may be longer than this network's gradient (this thread's, grown for a larger network): the
                // chunk writes and the sum reads only the first values, so only those are cleared.
                Array.Clear(gradients, 0, _gradientLength);
            }

            Losses[chunk] = _chunk!(_packed!, _parameters!, gradients, inputs, targets, labels, weights, first, end - first, _scratch[chunk]!, _scale);
        }
    }
}
