using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// <c>--two-core-trace [rounds]</c>: where a two-core <c>PredictBatch</c> of 256 rows (784-256-128-10) spends its time
/// beyond half the one-core call (docs/performance.md, "Two cores"). The generated batch kernel (the delegate
/// <c>RowSplit.Forward</c> receives) runs under <see cref="RowSplit.Run"/> with chunk cuts given here, each chunk timed
/// on its thread (wall clock from the post, and the thread's CPU time), in alternating rounds with the kernel on one
/// thread over the whole batch and over the same chunks one after another. So the two-core time splits into: the
/// chunks' own work (the cut's cost: the one-thread chunks against the whole batch), each thread's speed while the
/// other runs (chunk time per row on each thread against one thread alone), the worker's start, and the caller's
/// wait at the end (the imbalance a cut leaves). Every cut gives the one-core bits (checked before timing).
/// </summary>
internal static class TwoCoreTrace
{
    private const int Rows = 256;

    private delegate int CutMethod(int rows, long multiplyAddsPerRow, Span<int> starts);

    private sealed class Traced : SplitWork
    {
        private readonly BatchKernel<float> _kernel;
        private readonly float[] _packed, _inputs, _outputs;
        private int _callerThread;
        public int[] Starts = Array.Empty<int>();
        public long Posted;
        public readonly long[] Start = new long[64], End = new long[64];
        public readonly double[] Cpu = new double[64];
        public readonly bool[] OnWorker = new bool[64];

        public Traced(BatchKernel<float> kernel, float[] packed, float[] inputs, float[] outputs) =>
            (_kernel, _packed, _inputs, _outputs) = (kernel, packed, inputs, outputs);

        public int Chunks => Starts.Length - 1;

        public void Call(bool twoCores)
        {
            _callerThread = Environment.CurrentManagedThreadId;
            RowSplit.Enabled = twoCores;
            Posted = Stopwatch.GetTimestamp();
            RowSplit.Run(this, Chunks);
        }

        protected override void RunChunk(int chunk)
        {
            double cpu = ThreadCpu.Milliseconds();
            Start[chunk] = Stopwatch.GetTimestamp();
            OnWorker[chunk] = Environment.CurrentManagedThreadId != _callerThread;
            int first = Starts[chunk], n = Starts[chunk + 1] - first;
            _kernel(_packed, _inputs.AsSpan(first * 784, n * 784), _outputs.AsSpan(first * 10, n * 10), n);
            End[chunk] = Stopwatch.GetTimestamp();
            Cpu[chunk] = ThreadCpu.Milliseconds() - cpu;
        }
    }

    private sealed class Scheme
    {
        public required string Name { get; init; }
        public required int[] Starts { get; init; }
        public List<double> Call { get; } = new();
        public List<double> CallerBusy { get; } = new();
        public List<double> WorkerBusy { get; } = new();
        public List<double> CallerCpu { get; } = new();
        public List<double> WorkerCpu { get; } = new();
        public List<double> EndWait { get; } = new();
        public List<double> WorkerFirst { get; } = new();
        public List<double> CallerRow { get; } = new();
        public List<double> WorkerRow { get; } = new();
        public List<double> OneThread { get; } = new();
        public int WorkerChunks, Calls;
    }

    public static string Run(int rounds)
    {
        bool enabledBefore = RowSplit.Enabled;
        var random = new SeededRandom(21);
        float[] inputs = new float[Rows * 784];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextUniform(0, 1);
        }

        var net = Models.Load(new BenchNetwork(), "mnist");
        Type kernels = typeof(BenchNetwork).Assembly.GetTypes().Single(t => t.Name.EndsWith("BenchNetworkKernels", StringComparison.Ordinal));
        var kernel = (BatchKernel<float>)kernels.GetField("s_forwardRows", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        int length = (int)kernels.GetField("PackedLength", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        float[] packed = new float[length];
        kernels.GetMethod("Pack", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.Invoke(null, new object[] { net.Parameters.ToArray(), packed });

        float[] expected = new float[Rows * 10], outputs = new float[Rows * 10];
        RowSplit.Enabled = false;
        net.PredictBatch(inputs, expected);
        var work = new Traced(kernel, packed, inputs, outputs);

        static int[] Tiles(params int[] tiles)
        {
            // Chunk sizes in 6-row tiles (42 of them in 256 rows); the last chunk also takes the 4 rows after them.
            var starts = new List<int> { 0 };
            foreach (int t in tiles)
            {
                starts.Add(starts[^1] + (6 * t));
            }

            starts[^1] = Rows;
            return starts.ToArray();
        }

        static int[] Cut(int rows)
        {
            // The product's cut (internal to the runtime), through a delegate: RowSplit.ForwardCut(rows, multiply-adds per row, starts).
            var cut = typeof(RowSplit).GetMethod("ForwardCut", BindingFlags.NonPublic | BindingFlags.Static)!.CreateDelegate<CutMethod>();
            var starts = new int[64];
            int chunks = cut(rows, 234_752, starts);
            return starts[..(chunks + 1)];
        }

        var schemes = new List<Scheme>
        {
            new() { Name = "10 falling, 4 rows first: RowSplit.ForwardCut", Starts = Cut(Rows) },
            new() { Name = "6 even (42 x 5, 46): the cut before", Starts = Tiles(7, 7, 7, 7, 7, 7) },
            new() { Name = "2 halves (126, 130)", Starts = Tiles(21, 21) },
            new() { Name = "4 even (66, 66, 60, 64)", Starts = Tiles(11, 11, 10, 10) },
            new() { Name = "8 even (36 x 2, 30 x 5, 34)", Starts = Tiles(6, 6, 5, 5, 5, 5, 5, 5) },
            new() { Name = "8 falling (54, 54, 36, 36, 24, 24, 12, 16)", Starts = Tiles(9, 9, 6, 6, 4, 4, 2, 2) },
            new() { Name = "6 falling (72, 72, 36, 36, 18, 22)", Starts = Tiles(12, 12, 6, 6, 3, 3) },
            new() { Name = "10 falling (48, 48, 36, 36, 24, 24, 12, 12, 6, 10)", Starts = Tiles(8, 8, 6, 6, 4, 4, 2, 2, 1, 1) },
        };

        foreach (Scheme s in schemes)
        {
            work.Starts = s.Starts;
            for (int i = 0; i < 30; i++)
            {
                work.Call(twoCores: (i & 1) == 0);
            }

            if (!outputs.AsSpan().SequenceEqual(expected))
            {
                throw new InvalidOperationException($"{s.Name}: not PredictBatch's bits.");
            }
        }

        var whole = new List<double>();
        var wholeCpu = new List<double>();
        var predictOne = new List<double>();
        var predictTwo = new List<double>();
        const int Calls = 5;
        double loadBefore = LoadAverage();
        for (int round = 0; round < rounds; round++)
        {
            // The whole batch on one thread, then each scheme on two threads and on one, the order rotating per round.
            for (int k = 0; k <= schemes.Count + 1; k++)
            {
                int item = (round + k) % (schemes.Count + 2);
                if (item == schemes.Count)
                {
                    double cpu = ThreadCpu.Milliseconds();
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < Calls; i++)
                    {
                        kernel(packed, inputs, outputs, Rows);
                    }

                    whole.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / Calls);
                    wholeCpu.Add((ThreadCpu.Milliseconds() - cpu) * 1e3 / Calls);
                    continue;
                }

                if (item == schemes.Count + 1)
                {
                    foreach ((bool two, List<double> list) in new[] { (false, predictOne), (true, predictTwo) })
                    {
                        RowSplit.Enabled = two;
                        net.PredictBatch(inputs, outputs); // a lead-in, as --quick's cells
                        long start = Stopwatch.GetTimestamp();
                        for (int i = 0; i < Calls; i++)
                        {
                            net.PredictBatch(inputs, outputs);
                        }

                        list.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / Calls);
                    }

                    continue;
                }

                Scheme s = schemes[item];
                work.Starts = s.Starts;
                work.Call(twoCores: true); // lead-in: the worker awake
                for (int i = 0; i < Calls; i++)
                {
                    work.Call(twoCores: true);
                    long done = Stopwatch.GetTimestamp();
                    double At(long t) => Stopwatch.GetElapsedTime(work.Posted, t).TotalMicroseconds;
                    double callerBusy = 0, workerBusy = 0, callerCpu = 0, workerCpu = 0, callerLast = 0, workerFirst = double.NaN;
                    int callerRows = 0, workerRows = 0;
                    for (int c = 0; c < work.Chunks; c++)
                    {
                        double wall = Stopwatch.GetElapsedTime(work.Start[c], work.End[c]).TotalMicroseconds;
                        int n = s.Starts[c + 1] - s.Starts[c];
                        if (work.OnWorker[c])
                        {
                            s.WorkerChunks++;
                            workerBusy += wall;
                            workerCpu += work.Cpu[c] * 1e3;
                            workerRows += n;
                            workerFirst = double.IsNaN(workerFirst) ? At(work.Start[c]) : Math.Min(workerFirst, At(work.Start[c]));
                        }
                        else
                        {
                            callerBusy += wall;
                            callerCpu += work.Cpu[c] * 1e3;
                            callerRows += n;
                            callerLast = Math.Max(callerLast, At(work.End[c]));
                        }
                    }

                    s.Calls++;
                    s.Call.Add(At(done));
                    s.CallerBusy.Add(callerBusy);
                    s.WorkerBusy.Add(workerBusy);
                    s.CallerCpu.Add(callerCpu);
                    s.WorkerCpu.Add(workerCpu);
                    s.EndWait.Add(At(done) - callerLast);
                    if (!double.IsNaN(workerFirst))
                    {
                        s.WorkerFirst.Add(workerFirst);
                        s.WorkerRow.Add(workerBusy / workerRows);
                    }

                    s.CallerRow.Add(callerBusy / callerRows);
                }

                long one = Stopwatch.GetTimestamp();
                for (int i = 0; i < Calls; i++)
                {
                    work.Call(twoCores: false);
                }

                s.OneThread.Add(Stopwatch.GetElapsedTime(one).TotalMicroseconds / Calls);
            }
        }

        RowSplit.Enabled = enabledBefore;
        double wholeMedian = Median(whole);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"PredictBatch 256 rows of 784-256-128-10 on two cores by chunk cut, {rounds} rotating rounds of {Calls} calls; load average {loadBefore:0.00} before, {LoadAverage():0.00} after");
        text.AppendLine(CultureInfo.InvariantCulture, $"  the generated kernel over 256 rows, one thread: median {wholeMedian:F0} us (fastest {whole.Min():F0}), thread CPU {Median(wholeCpu):F0} us; {wholeMedian / Rows:F2} us a row");
        text.AppendLine(CultureInfo.InvariantCulture, $"  PredictBatch one core {Median(predictOne):F0} us (fastest {predictOne.Min():F0}), two cores {Median(predictTwo):F0} us (fastest {predictTwo.Min():F0}): {Median(predictOne) / Median(predictTwo):0.000}x medians, {predictOne.Min() / predictTwo.Min():0.000}x fastest");
        text.AppendLine("  cut: two-core call median (fastest) us, whole/call; the chunks on one thread / whole; per row on the caller and the worker / whole's per row;");
        text.AppendLine("       busy caller|worker us (CPU), caller's wait at the end, worker's first chunk starts (us after the post), the worker's share of chunks");
        foreach (Scheme s in schemes)
        {
            double call = Median(s.Call);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {s.Name,-52} {call,6:F0} ({s.Call.Min(),5:F0}) {wholeMedian / call:0.000}x ({whole.Min() / s.Call.Min():0.000}x); one thread {Median(s.OneThread) / wholeMedian:0.000}; " +
                $"row {Median(s.CallerRow) / (wholeMedian / Rows):0.000} | {(s.WorkerRow.Count > 0 ? Median(s.WorkerRow) / (wholeMedian / Rows) : double.NaN):0.000}; " +
                $"busy {Median(s.CallerBusy):F0} ({Median(s.CallerCpu):F0}) | {Median(s.WorkerBusy):F0} ({Median(s.WorkerCpu):F0}); wait {Median(s.EndWait):F0} (90%: {Percentile(s.EndWait, 0.9):F0}); " +
                $"start {(s.WorkerFirst.Count > 0 ? Median(s.WorkerFirst) : double.NaN):F1}; worker {(double)s.WorkerChunks / (s.Calls * (s.Starts.Length - 1)):0.00}");
        }

        return text.ToString();
    }

    private static double Median(List<double> values) => values.OrderBy(t => t).ElementAt(values.Count / 2);

    private static double Percentile(List<double> values, double p) => values.OrderBy(t => t).ElementAt((int)(p * (values.Count - 1)));

    private static double LoadAverage()
    {
        try
        {
            return double.Parse(System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (System.IO.IOException)
        {
            return double.NaN;
        }
    }
}
