using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace NetGen.Numerics;

/// <summary>
/// Work that <see cref="RowSplit.Run"/> shares between the calling thread and one worker thread: chunks numbered
/// 0 to n - 1, each run exactly once, by either thread, in no fixed order. A chunk's result must not depend on which
/// thread runs it or when (write each chunk's output to its own place; reduce afterwards in a fixed order), so the
/// results are the same bits whatever the number of threads.
/// </summary>
/// <remarks>One instance serves one call at a time: keep one per thread (a [ThreadStatic] field), not one per type.</remarks>
public abstract class SplitWork
{
    // The worker's "finished" signal: a flag and a monitor allocated here, so that no wait ever allocates.
    private readonly object _gate = new();
    private bool _finished;
    private int _next;
    private int _chunks;
    private int _state;
    private Exception? _error;

    /// <summary>Runs chunk <paramref name="chunk"/> (0 to the count given to <see cref="RowSplit.Run"/>, exclusive).</summary>
    protected internal abstract void RunChunk(int chunk);

    internal const int Posted = 1, Running = 2, Cancelled = 3;

    /// <summary>
    /// Resets the chunk counter. Only a call that owns the worker marks the work <c>Posted</c>: a worker still holding
    /// this instance from an earlier, withdrawn call can start on it only then, when the caller will wait for it.
    /// </summary>
    internal void Prepare(int chunks, bool posted)
    {
        _chunks = chunks;
        _error = null;
        Volatile.Write(ref _finished, false);
        Volatile.Write(ref _next, posted ? 1 : 0); // posted: chunk 0 is the caller's (RowSplit.Run)
        Volatile.Write(ref _state, posted ? Posted : Cancelled);
    }

    /// <summary>Claims and runs chunks until none is left; returns how many this thread ran.</summary>
    internal int RunChunks()
    {
        int ran = 0;
        for (int chunk = Interlocked.Increment(ref _next) - 1; chunk < _chunks; chunk = Interlocked.Increment(ref _next) - 1)
        {
            RunChunk(chunk);
            ran++;
        }

        return ran;
    }

    /// <summary>On the worker: runs chunks unless the caller finished them all before the worker woke; returns how many it ran.</summary>
    internal int RunOnWorker()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Posted) != Posted)
        {
            return 0; // cancelled: the caller did every chunk and no longer waits
        }

        int ran = 0;
        try
        {
            ran = RunChunks();
        }
        catch (Exception e)
        {
            _error = e;
        }
        finally
        {
            lock (_gate)
            {
                _finished = true; // the worker's last touch of this work
                Monitor.PulseAll(_gate);
            }
        }

        return ran;
    }

    /// <summary>On the caller, after its own chunks: returns once the worker is out of this work.</summary>
    internal void AwaitWorker()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Posted) == Posted)
        {
            return; // the worker had not started it and now never will
        }

        // The worker is on its last chunk: spin (this core has nothing else to do for this call) rather than sleep,
        // since a sleeping caller adds a wake-up's latency to every call; sleep on the monitor only if the worker
        // takes long (preempted by another process).
        long giveUp = Stopwatch.GetTimestamp() + RowSplit.CallerSpinTicks;
        while (!Volatile.Read(ref _finished) && Stopwatch.GetTimestamp() < giveUp)
        {
            Thread.SpinWait(16);
        }

        lock (_gate)
        {
            while (!_finished)
            {
                Monitor.Wait(_gate);
            }
        }

        if (_error is { } error)
        {
            _error = null;
            ExceptionDispatchInfo.Capture(error).Throw();
        }
    }
}

/// <summary>The rows of a batch kernel: <paramref name="rows"/> rows of <paramref name="inputs"/> to <paramref name="outputs"/>.</summary>
public delegate void BatchKernel<T>(T[] packed, ReadOnlySpan<T> inputs, Span<T> outputs, int rows);

/// <summary>
/// Two cores for batch kernels: one background worker thread, started on first use, shares a call's chunks of work
/// with the calling thread (docs/performance.md, "Two cores").
/// </summary>
/// <remarks>
/// <para>The worker serves one call at a time. A call that finds it busy (another thread's call, or a call made from
/// inside a chunk) runs all its chunks on its own thread, so concurrent callers stay correct and never wait for one
/// another. Chunks are claimed one at a time by whichever thread is free, so a worker that the operating system
/// schedules late costs at most its chunk: if the caller has done every chunk before the worker wakes, the call
/// returns without waiting for it.</para>
/// <para>Nothing is allocated per call: the worker thread and its events are created once; each call site keeps one
/// <see cref="SplitWork"/> per calling thread.</para>
/// </remarks>
public static class RowSplit
{
    // The worker's wake-up: a count of releases guarded by a monitor (as a SemaphoreSlim would keep it, without the
    // asynchronous waiters whose release path roots the thread pool and Task code in a NativeAOT binary).
    private static readonly object s_wakeGate = new();
    private static int s_wakeCount;
    private static readonly object s_startLock = new();
    private static Thread? s_worker;
    private static SplitWork? s_posted;
    private static int s_owned;
    private static int s_sleeping; // 1 from when the worker decides to block in Sleep until a caller or the worker clears it
    private static long s_workerSpinTicks = Stopwatch.Frequency / 2000; // 0.5 ms
    private static long s_workerChunks;
    private static long s_workerAllocated;

    /// <summary>Chunks the worker thread has run since the process started (for tests).</summary>
    internal static long WorkerChunks => Volatile.Read(ref s_workerChunks);

    /// <summary>Bytes the worker thread had allocated when it last finished a call's work (for tests).</summary>
    internal static long WorkerAllocatedBytes => Volatile.Read(ref s_workerAllocated);

    /// <summary>
    /// Whether calls may use the worker thread: true by default on a machine with two or more processors. Set it to
    /// false to keep every call on its calling thread (for example when many threads already call in parallel).
    /// </summary>
    public static bool Enabled { get; set; } = Environment.ProcessorCount >= 2;

    /// <summary>
    /// How long the worker keeps polling for the next call after finishing one before it blocks (default 0.5 ms;
    /// <see cref="TimeSpan.Zero"/>: block at once). A blocked worker takes a wake-up (tens of µs here, milliseconds when
    /// the other core is busy with another process) to start on the next call; calls that follow one another within this
    /// time (a training loop's steps, the optimizer step after backpropagation, consecutive batches) find it awake, at
    /// the price of up to this much of the second core after the last call.
    /// </summary>
    public static TimeSpan WorkerSpin
    {
        get => Stopwatch.GetElapsedTime(0, Volatile.Read(ref s_workerSpinTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Volatile.Write(ref s_workerSpinTicks, (long)(value.TotalSeconds * Stopwatch.Frequency));
        }
    }

    /// <summary>How long a caller that has run out of chunks spins for the worker before it blocks: 2 ms.</summary>
    internal static readonly long CallerSpinTicks = Stopwatch.Frequency / 500;

    /// <summary>
    /// The most chunks <see cref="ForwardCut"/> makes: five pairs, of 1, 2, 4, 6 and 8 units (<see cref="MostForwardUnits"/>
    /// in all); fewer units make at most four such pairs and one of the units left over.
    /// </summary>
    internal const int MaxForwardChunks = 10;

    /// <summary>
    /// The most units <see cref="ForwardCut"/> shares out (256 rows of 784-256-128-10 are 42 tiles of 6 rows); a larger
    /// batch takes several tiles a unit.
    /// </summary>
    internal const int MostForwardUnits = 42;

    /// <summary>
    /// <see cref="Forward{T}"/>'s chunks are multiples of this many rows, PackedDense's row tile with 256-bit vectors, so
    /// that a chunk's rows run in whole tiles (the batch's first chunk also takes the rows after the last whole unit).
    /// </summary>
    internal const int ChunkRowMultiple = 6;

    /// <summary>
    /// The multiply-adds below which <see cref="Forward{T}"/> stays on one thread: about 40 µs of work on one core at the
    /// measured kernel speed, against a few µs to wake the worker (docs/performance.md).
    /// </summary>
    public const long MinimumMultiplyAdds = 1L << 21;

    /// <summary>
    /// Runs chunks 0 to <paramref name="chunks"/> - 1 of <paramref name="work"/> on this thread and, when it is free
    /// and <see cref="Enabled"/>, the worker thread; returns when every chunk has run. An exception from a chunk is
    /// rethrown here, after both threads have stopped working on <paramref name="work"/>.
    /// </summary>
    public static void Run(SplitWork work, int chunks)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (chunks < 2 || !Enabled || Interlocked.CompareExchange(ref s_owned, 1, 0) != 0)
        {
            work.Prepare(chunks, posted: false);
            work.RunChunks();
            return;
        }

        try
        {
            work.Prepare(chunks, posted: true);
            EnsureWorker();
            Interlocked.Exchange(ref s_posted, work); // a full fence: the post is visible before s_sleeping is read
            if (Volatile.Read(ref s_sleeping) == 1 && Interlocked.Exchange(ref s_sleeping, 0) == 1)
            {
                Wake(); // the worker blocked (or is about to): wake it; a polling worker finds the post itself
            }

            try
            {
                // The caller always runs chunk 0 itself, so that whatever a chunk allocates per thread (a kernel's
                // rows buffer) is allocated on this thread's first split call, however many chunks the worker takes.
                work.RunChunk(0);
                work.RunChunks();
            }
            finally
            {
                // The worker may be reading this call's memory: wait for it even when a chunk threw here.
                Interlocked.CompareExchange(ref s_posted, null, work);
                work.AwaitWorker();
            }
        }
        finally
        {
            Volatile.Write(ref s_owned, 0);
        }
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> over <paramref name="rows"/> rows (<paramref name="inputSize"/> values apart in
    /// <paramref name="inputs"/>, <paramref name="outputSize"/> in <paramref name="outputs"/>), in chunks over two
    /// threads when the rows hold at least <see cref="MinimumMultiplyAdds"/> multiply-adds of work, else on this thread.
    /// Each row is computed by the same operations whichever thread runs it, so the outputs are the same bits either
    /// way. Nothing is checked: generated PredictBatch has checked the spans.
    /// </summary>
    public static unsafe void Forward<T>(BatchKernel<T> kernel, T[] packed, ReadOnlySpan<T> inputs, int inputSize, Span<T> outputs,
        int outputSize, int rows, long multiplyAddsPerRow)
        where T : unmanaged
    {
        if (rows < 2 || rows * multiplyAddsPerRow < MinimumMultiplyAdds || !Enabled)
        {
            kernel(packed, inputs, outputs, rows);
            return;
        }

        fixed (T* x = inputs)
        fixed (T* y = outputs)
        {
            // Pinned for the call: the worker reads and writes them through these pointers while this thread waits.
            BatchWork<T> work = BatchWork<T>.ForThisThread;
            int chunks = work.Set(kernel, packed, x, inputSize, y, outputSize, rows, multiplyAddsPerRow);
            try
            {
                Run(work, chunks);
            }
            finally
            {
                work.Clear();
            }
        }
    }

    /// <summary>
    /// Cuts <paramref name="rows"/> rows into chunks for <see cref="Forward{T}"/>: writes chunk k's first row to
    /// <paramref name="starts"/>[k] and the batch's end after the last (at least <see cref="MaxForwardChunks"/> + 1
    /// places), returns the chunk count. The rows are shared out in units of whole 6-row tiles (<see cref="ChunkRowMultiple"/>;
    /// more tiles a unit for a chunk to hold a quarter of <see cref="MinimumMultiplyAdds"/>, or for a batch of more than
    /// <see cref="MostForwardUnits"/> units), in pairs of chunks of equal size falling towards the end: counted from the
    /// end, pairs of 1, 2, 4, 6, 8 units as far as the batch's units go, the units left over as one more pair at the
    /// front (an odd one, and the rows after the last whole unit, to the first chunk). The threads claim chunks one at a
    /// time, so they take turns through the pairs and end within a small chunk of each other even when one runs slower
    /// or starts late (six equal chunks left the caller waiting 50-120 µs for the worker's last one, at the median, in
    /// bench --two-core-trace; docs/performance.md, "Two cores"). A batch of fewer than two units is two chunks of rows
    /// as they come. Rows are independent, so any cut gives the same bits.
    /// </summary>
    internal static int ForwardCut(int rows, long multiplyAddsPerRow, Span<int> starts)
    {
        long minimumRows = Math.Max(1, (MinimumMultiplyAdds / 4) / Math.Max(1, multiplyAddsPerRow));
        long unit = Math.Min(rows, ((minimumRows + ChunkRowMultiple - 1) / ChunkRowMultiple) * ChunkRowMultiple);
        long units = rows / unit;
        if (units < 2)
        {
            starts[0] = 0;
            starts[1] = (rows + 1) / 2;
            starts[2] = rows;
            return 2;
        }

        unit *= (units + MostForwardUnits - 1) / MostForwardUnits;
        units = rows / unit;

        // Chunk sizes in units, largest first: the pairs from the end (1, 2, 4, 6, ...), then what is left as a pair.
        Span<int> sizes = stackalloc int[MaxForwardChunks];
        int chunks = 0, used = 0;
        for (int k = 0; ; k++)
        {
            int size = k == 0 ? 1 : 2 * k;
            if (used + (2 * size) > units)
            {
                break;
            }

            sizes[chunks++] = size;
            sizes[chunks++] = size;
            used += 2 * size;
        }

        int left = (int)units - used;
        if (left >= 2)
        {
            sizes[chunks++] = left / 2;
            sizes[chunks++] = left / 2;
        }

        // Largest first (the pairs were written smallest first; the last pair goes where its size falls).
        for (int c = 1; c < chunks; c++)
        {
            for (int d = c; d > 0 && sizes[d - 1] < sizes[d]; d--)
            {
                (sizes[d - 1], sizes[d]) = (sizes[d], sizes[d - 1]);
            }
        }

        starts[0] = 0;
        for (int c = 0; c < chunks; c++)
        {
            long extra = c == 0 ? (rows - (units * unit)) + ((left % 2) * unit) : 0;
            starts[c + 1] = (int)(starts[c] + (sizes[c] * unit) + extra);
        }

        return chunks;
    }

    private static void EnsureWorker()
    {
        if (Volatile.Read(ref s_worker) is not null)
        {
            return;
        }

        lock (s_startLock)
        {
            if (s_worker is null)
            {
                var thread = new Thread(WorkerLoop) { IsBackground = true, Name = "NetGen RowSplit worker" };
                thread.Start();
                Volatile.Write(ref s_worker, thread);
            }
        }
    }

    private static void WorkerLoop()
    {
        while (true)
        {
            SplitWork? work = Interlocked.Exchange(ref s_posted, null) ?? Poll();
            if (work is null)
            {
                // Announce the sleep, then look once more: a caller that posted before seeing the announcement did not
                // wake it. Whoever clears s_sleeping first (a caller, or this thread finding work) decides whether a
                // wake-up happens; a wake-up nobody waited for only causes one empty pass of this loop later.
                Interlocked.Exchange(ref s_sleeping, 1);
                work = Interlocked.Exchange(ref s_posted, null);
                if (work is null)
                {
                    Sleep();
                    Interlocked.Exchange(ref s_sleeping, 0);
                    continue;
                }

                Interlocked.Exchange(ref s_sleeping, 0);
            }

            // Null after a caller that finished alone withdrew its work: then nothing to do.
            Interlocked.Add(ref s_workerChunks, work.RunOnWorker());
            Volatile.Write(ref s_workerAllocated, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    /// <summary>Adds one wake-up for the worker and wakes it if it waits in <see cref="Sleep"/>.</summary>
    private static void Wake()
    {
        lock (s_wakeGate)
        {
            s_wakeCount++;
            Monitor.Pulse(s_wakeGate);
        }
    }

    /// <summary>On the worker: blocks until a wake-up is there (one given before this call counts), and takes it.</summary>
    private static void Sleep()
    {
        lock (s_wakeGate)
        {
            while (s_wakeCount == 0)
            {
                Monitor.Wait(s_wakeGate);
            }

            s_wakeCount--;
        }
    }

    /// <summary>Polls for a posted call for up to <see cref="WorkerSpin"/>; returns it (taken), or null.</summary>
    private static SplitWork? Poll()
    {
        long ticks = Volatile.Read(ref s_workerSpinTicks);
        if (ticks <= 0)
        {
            return null;
        }

        long giveUp = Stopwatch.GetTimestamp() + ticks;
        do
        {
            Thread.SpinWait(16); // pause instructions: the other hardware thread of an SMT core keeps its share
            if (Volatile.Read(ref s_posted) is not null && Interlocked.Exchange(ref s_posted, null) is { } work)
            {
                return work;
            }
        }
        while (Stopwatch.GetTimestamp() < giveUp);

        return null;
    }

    /// <summary>One thread's chunked <see cref="Forward{T}"/> call: the kernel, the pinned rows, the cut.</summary>
    private sealed unsafe class BatchWork<T> : SplitWork
        where T : unmanaged
    {
        [ThreadStatic]
        private static BatchWork<T>? t_work;

        private readonly int[] _starts = new int[MaxForwardChunks + 1];
        private BatchKernel<T>? _kernel;
        private T[]? _packed;
        private T* _x;
        private T* _y;
        private int _inputSize, _outputSize;

        public static BatchWork<T> ForThisThread
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => t_work ??= new BatchWork<T>();
        }

        /// <summary>Takes the call's kernel and rows and cuts them (<see cref="ForwardCut"/>); returns the chunk count.</summary>
        public int Set(BatchKernel<T> kernel, T[] packed, T* x, int inputSize, T* y, int outputSize, int rows, long multiplyAddsPerRow)
        {
            _kernel = kernel;
            _packed = packed;
            _x = x;
            _y = y;
            (_inputSize, _outputSize) = (inputSize, outputSize);
            return ForwardCut(rows, multiplyAddsPerRow, _starts);
        }

        /// <summary>Drops the references, so a thread's cached work keeps no network alive.</summary>
        public void Clear()
        {
            _kernel = null;
            _packed = null;
            _x = null;
            _y = null;
        }

        protected internal override void RunChunk(int chunk)
        {
            int first = _starts[chunk];
            int n = _starts[chunk + 1] - first;
            _kernel!(_packed!, new ReadOnlySpan<T>(_x + ((long)first * _inputSize), n * _inputSize),
                new Span<T>(_y + ((long)first * _outputSize), n * _outputSize), n);
        }
    }
}
