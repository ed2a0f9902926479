using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// <c>--two-core [rounds]</c>: one core against two on the same batches of 784 -> 256 -> 128 -> 10 (docs/performance.md,
/// "Two cores"), in alternating rounds so that a load change hits both alike: <c>PredictBatch</c> and <c>TrainBatch</c>
/// (Adam) on 256 rows, <c>ComputeGradients</c> (the split part of training alone), the half batches at one core (does a
/// half run at the whole batch's per-row speed?), the serial pieces of a step (Adam over every parameter, the
/// reduction of the second half's gradient) and an empty hand-off to the worker (its wake-up latency). The
/// two-core results are checked bit for bit against one core before timing.
/// </summary>
internal static class TwoCoreQuick
{
    private const int Rows = 256;

    private sealed class Case
    {
        public required string Name { get; init; }
        public required int Calls { get; init; }
        public required Action Call { get; init; }
        public List<double> Times { get; } = new();
        public double Median => Times.OrderBy(t => t).ElementAt(Times.Count / 2);
        public double Min => Times.Min();
    }

    /// <summary>Two chunks that do nothing: the round trip of waking the worker and waiting for it.</summary>
    private sealed class EmptyWork : SplitWork
    {
        protected override void RunChunk(int chunk)
        {
        }
    }

    /// <summary>
    /// Chunk 0 (the caller's first claim) waits for chunk 1 to start, which only the worker can then claim: the time
    /// from posting to chunk 1's start is the worker's wake-up latency, the whole call its round trip.
    /// </summary>
    private sealed class WakeProbe : SplitWork
    {
        private volatile bool _started;
        public long Posted, Started;

        public void Reset()
        {
            _started = false;
            Posted = Stopwatch.GetTimestamp();
        }

        protected override void RunChunk(int chunk)
        {
            if (chunk == 1)
            {
                Started = Stopwatch.GetTimestamp();
                _started = true;
                return;
            }

            long give = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100); // 10 ms, in case the worker never comes
            while (!_started && Stopwatch.GetTimestamp() < give)
            {
                Thread.SpinWait(10);
            }
        }
    }

    /// <summary>PredictBatch's split made visible: the same chunks of 64 rows, each chunk's thread, start and end recorded.</summary>
    private sealed class Timeline : SplitWork
    {
        private readonly BenchNetwork _net;
        private readonly float[] _inputs, _outputs;
        private readonly int _callerThread = Environment.CurrentManagedThreadId;
        public readonly long[] Start = new long[4], End = new long[4];
        public readonly bool[] OnWorker = new bool[4];
        public long Posted;

        public Timeline(BenchNetwork net, float[] inputs, float[] outputs) => (_net, _inputs, _outputs) = (net, inputs, outputs);

        protected override void RunChunk(int chunk)
        {
            Start[chunk] = Stopwatch.GetTimestamp();
            OnWorker[chunk] = Environment.CurrentManagedThreadId != _callerThread;
            // Nested in a split call: RowSplit runs it on this thread (the worker is owned by this call).
            _net.PredictBatch(_inputs.AsSpan(chunk * 64 * 784, 64 * 784), _outputs.AsSpan(chunk * 640, 640));
            End[chunk] = Stopwatch.GetTimestamp();
        }
    }

    public static string Run(int rounds)
    {
        bool enabledBefore = RowSplit.Enabled;
        var random = new SeededRandom(21);
        float[] inputs = Values(random, Rows * 784);
        int[] labels = Enumerable.Range(0, Rows).Select(i => i % 10).ToArray();
        float[] targets = new float[Rows * 10];
        for (int r = 0; r < Rows; r++)
        {
            targets[(r * 10) + labels[r]] = 1;
        }

        var infer = new BenchNetwork(seed: 1);
        var outputs = new float[Rows * 10];
        var one = new BenchNetwork(seed: 2) { LearningRate = 1e-6f };
        var two = new BenchNetwork(seed: 2) { LearningRate = 1e-6f };
        var gradients = new float[BenchNetwork.ParameterCount];
        CheckSameBits(infer, one, two, inputs, labels, outputs);

        float[] p = Values(random, BenchNetwork.ParameterCount), g = Values(random, BenchNetwork.ParameterCount);
        float[] m = new float[p.Length], v = new float[p.Length], second = Values(random, p.Length);
        float[] packed = new float[200960 + 32896 + 2064];
        int step = 0;
        var empty = new EmptyWork();

        Action Core(bool two, Action call) => () =>
        {
            RowSplit.Enabled = two;
            call();
        };

        var cases = new[]
        {
            new Case { Name = "PredictBatch 256 rows, one core (per row)", Calls = 20, Call = Core(false, () => infer.PredictBatch(inputs, outputs)) },
            new Case { Name = "PredictBatch 256 rows, two cores (per row)", Calls = 20, Call = Core(true, () => infer.PredictBatch(inputs, outputs)) },
            new Case { Name = "PredictBatch 128 rows, one core (per row)", Calls = 40, Call = Core(false, () => infer.PredictBatch(inputs.AsSpan(0, 128 * 784), outputs.AsSpan(0, 1280))) },
            new Case { Name = "TrainBatch 256 rows Adam, one core", Calls = 4, Call = Core(false, () => one.TrainBatch(inputs, labels)) },
            new Case { Name = "TrainBatch 256 rows Adam, two cores", Calls = 4, Call = Core(true, () => two.TrainBatch(inputs, labels)) },
            new Case { Name = "ComputeGradients 256 rows, one core", Calls = 4, Call = Core(false, () => one.ComputeGradients(inputs, targets, gradients)) },
            new Case { Name = "ComputeGradients 256 rows, two cores", Calls = 4, Call = Core(true, () => two.ComputeGradients(inputs, targets, gradients)) },
            new Case { Name = "ComputeGradients 128 rows, one core", Calls = 8, Call = Core(false, () => one.ComputeGradients(inputs.AsSpan(0, 128 * 784), targets.AsSpan(0, 1280), gradients)) },
            new Case { Name = "Adam over 235,146 parameters, one core", Calls = 40, Call = () => Optimizers.Adam<float>(p, g, m, v, 1e-9f, 0.9f, 0.999f, 1e-8f, 0f, false, ++step) },
            new Case { Name = "second half's gradient added (235,146 values)", Calls = 40, Call = () => Add(g, second) },
            new Case { Name = "gradient cleared (235,146 values)", Calls = 40, Call = () => Array.Clear(g) },
            new Case { Name = "packed copy written (Pack, 235,146 values)", Calls = 40, Call = () => Pack(p, packed) },
            new Case { Name = "TrainBatch's check of 256 rows and labels", Calls = 40, Call = () => NetworkGuard.TrainBatch<float>(inputs, labels, 784, 10) },
            new Case { Name = "empty hand-off to the worker and back", Calls = 2000, Call = Core(true, () => RowSplit.Run(empty, 2)) },
            // The small end of the thresholds: 9 rows (2^21 multiply-adds) and 16 for PredictBatch, 64 rows for training.
            new Case { Name = "PredictBatch 9 rows, one core", Calls = 200, Call = Core(false, () => infer.PredictBatch(inputs.AsSpan(0, 9 * 784), outputs.AsSpan(0, 90))) },
            new Case { Name = "PredictBatch 9 rows, two cores", Calls = 200, Call = Core(true, () => infer.PredictBatch(inputs.AsSpan(0, 9 * 784), outputs.AsSpan(0, 90))) },
            new Case { Name = "PredictBatch 16 rows, one core", Calls = 100, Call = Core(false, () => infer.PredictBatch(inputs.AsSpan(0, 16 * 784), outputs.AsSpan(0, 160))) },
            new Case { Name = "PredictBatch 16 rows, two cores", Calls = 100, Call = Core(true, () => infer.PredictBatch(inputs.AsSpan(0, 16 * 784), outputs.AsSpan(0, 160))) },
            new Case { Name = "TrainBatch 64 rows Adam, one core", Calls = 10, Call = Core(false, () => one.TrainBatch(inputs.AsSpan(0, 64 * 784), labels.AsSpan(0, 64))) },
            new Case { Name = "TrainBatch 64 rows Adam, two cores", Calls = 10, Call = Core(true, () => two.TrainBatch(inputs.AsSpan(0, 64 * 784), labels.AsSpan(0, 64))) },
        };

        foreach (Case c in cases)
        {
            for (int i = 0; i < Math.Max(c.Calls, 20); i++)
            {
                c.Call(); // tiered JIT, buffers, the worker thread
            }
        }

        double loadBefore = LoadAverage();
        for (int round = 0; round < rounds; round++)
        {
            foreach (Case c in cases)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < c.Calls; i++)
                {
                    c.Call();
                }

                c.Times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / c.Calls);
            }
        }

        // The first call after 5 ms idle (longer than RowSplit.WorkerSpin: a two-core call then wakes a blocked worker)
        // against the calls right after it (a loop's steady state), one core and two, in alternating rounds.
        var idle = new (string Name, bool Two, int Next, Action Call, List<double> First, List<double> Then)[]
        {
            ("PredictBatch 256 rows, one core", false, 3, () => infer.PredictBatch(inputs, outputs), new(), new()),
            ("PredictBatch 256 rows, two cores", true, 3, () => infer.PredictBatch(inputs, outputs), new(), new()),
            ("TrainBatch 256 rows Adam, one core", false, 2, () => one.TrainBatch(inputs, labels), new(), new()),
            ("TrainBatch 256 rows Adam, two cores", true, 2, () => two.TrainBatch(inputs, labels), new(), new()),
        };
        for (int round = 0; round < 2 * rounds; round++)
        {
            foreach (var c in idle)
            {
                RowSplit.Enabled = c.Two;
                Thread.Sleep(5);
                long t0 = Stopwatch.GetTimestamp();
                c.Call();
                long t1 = Stopwatch.GetTimestamp();
                for (int i = 0; i < c.Next; i++)
                {
                    c.Call();
                }

                c.First.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds);
                c.Then.Add(Stopwatch.GetElapsedTime(t1).TotalMicroseconds / c.Next);
            }
        }

        RowSplit.Enabled = true;
        var probe = new WakeProbe();
        var wake = new List<double>();
        var trip = new List<double>();
        for (int i = 0; i < 200; i++)
        {
            probe.Reset();
            RowSplit.Run(probe, 2);
            long done = Stopwatch.GetTimestamp();
            wake.Add(Stopwatch.GetElapsedTime(probe.Posted, probe.Started).TotalMicroseconds);
            trip.Add(Stopwatch.GetElapsedTime(probe.Posted, done).TotalMicroseconds);
            Thread.Sleep(i % 2); // half of them after the worker has gone to sleep
        }

        var timeline = new Timeline(infer, inputs, outputs);
        var workerStart = new List<double>();
        var callerEnd = new List<double>();
        var workerEnd = new List<double>();
        var chunkTime = new List<double>();
        var callTime = new List<double>();
        int workerChunks = 0;
        for (int i = 0; i < 100; i++)
        {
            timeline.Posted = Stopwatch.GetTimestamp();
            RowSplit.Run(timeline, 4);
            long done = Stopwatch.GetTimestamp();
            double At(long t) => Stopwatch.GetElapsedTime(timeline.Posted, t).TotalMicroseconds;
            callTime.Add(At(done));
            double firstWorker = double.NaN, lastWorker = 0, lastCaller = 0;
            for (int c = 0; c < 4; c++)
            {
                chunkTime.Add(Stopwatch.GetElapsedTime(timeline.Start[c], timeline.End[c]).TotalMicroseconds);
                if (timeline.OnWorker[c])
                {
                    workerChunks++;
                    firstWorker = double.IsNaN(firstWorker) ? At(timeline.Start[c]) : Math.Min(firstWorker, At(timeline.Start[c]));
                    lastWorker = Math.Max(lastWorker, At(timeline.End[c]));
                }
                else
                {
                    lastCaller = Math.Max(lastCaller, At(timeline.End[c]));
                }
            }

            if (!double.IsNaN(firstWorker))
            {
                workerStart.Add(firstWorker);
                workerEnd.Add(lastWorker);
            }

            callerEnd.Add(lastCaller);
        }

        RowSplit.Enabled = enabledBefore;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"One core against two, 784-256-128-10, {rounds} alternating rounds, per call: median (fastest round); {Environment.ProcessorCount} processors; load average {loadBefore:0.00} before, {LoadAverage():0.00} after");
        foreach (Case c in cases)
        {
            double per = c.Name.Contains("(per row)", StringComparison.Ordinal) ? (c.Name.Contains("128", StringComparison.Ordinal) ? 128 : Rows) : 1;
            text.AppendLine(CultureInfo.InvariantCulture, $"  {c.Name,-48} {c.Median / per,10:F2} us ({c.Min / per,9:F2} us)");
        }

        Case Named(string name) => cases.Single(c => c.Name.StartsWith(name, StringComparison.Ordinal));
        foreach (string what in new[] { "PredictBatch 256 rows", "TrainBatch 256 rows Adam", "ComputeGradients 256 rows", "PredictBatch 9 rows", "PredictBatch 16 rows", "TrainBatch 64 rows Adam" })
        {
            Ratio(text, what, Named(what + ", one core"), Named(what + ", two cores"));
        }

        foreach (var c in idle)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  after 5 ms idle, {c.Name}: first call {Median(c.First):F0} us (fastest {c.First.Min():F0}), the {c.Next} after it {Median(c.Then):F0} us each (fastest {c.Then.Min():F0})");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  after 5 ms idle, two cores / one core: PredictBatch first call {Median(idle[0].First) / Median(idle[1].First):0.00}x, then {Median(idle[0].Then) / Median(idle[1].Then):0.00}x; TrainBatch first call {Median(idle[2].First) / Median(idle[3].First):0.00}x, then {Median(idle[2].Then) / Median(idle[3].Then):0.00}x");
        text.AppendLine(CultureInfo.InvariantCulture, $"  a half (128 rows) per row against the whole batch at one core: PredictBatch {cases[2].Median / 128 / (cases[0].Median / Rows):0.000}, ComputeGradients {cases[7].Median / 128 / (cases[5].Median / Rows):0.000}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  worker wake-up (post to the worker's first chunk), 200 calls: median {Median(wake):F1} us, fastest {wake.Min():F1} us, 90th percentile {Percentile(wake, 0.9):F1} us; round trip median {Median(trip):F1} us");
        text.AppendLine(CultureInfo.InvariantCulture, $"  PredictBatch 256 rows as 4 chunks of 64, 100 calls (medians, us from the post): call {Median(callTime):F0}, a chunk {Median(chunkTime):F0}, worker's first chunk starts {(workerStart.Count > 0 ? Median(workerStart) : double.NaN):F0}, worker done {(workerEnd.Count > 0 ? Median(workerEnd) : double.NaN):F0}, caller done {Median(callerEnd):F0}; the worker ran {workerChunks} of 400 chunks");
        return text.ToString();
    }

    private static double Median(List<double> values) => values.OrderBy(t => t).ElementAt(values.Count / 2);

    private static double Percentile(List<double> values, double p) => values.OrderBy(t => t).ElementAt((int)(p * (values.Count - 1)));

    private static void Ratio(StringBuilder text, string what, Case one, Case two) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"  {what}: two cores {one.Median / two.Median:0.00}x one core (medians), {one.Min / two.Min:0.00}x (fastest rounds)");

    /// <summary>Throws unless the worker on and off give the same outputs, losses and parameters over three Adam steps.</summary>
    private static void CheckSameBits(BenchNetwork infer, BenchNetwork one, BenchNetwork two, float[] inputs, int[] labels, float[] outputs)
    {
        RowSplit.Enabled = false;
        infer.PredictBatch(inputs, outputs);
        float[] expected = outputs.ToArray();
        RowSplit.Enabled = true;
        infer.PredictBatch(inputs, outputs);
        if (!expected.SequenceEqual(outputs))
        {
            throw new InvalidOperationException("PredictBatch on two cores did not give the one-core bits.");
        }

        for (int step = 0; step < 3; step++)
        {
            RowSplit.Enabled = false;
            float oneLoss = one.TrainBatch(inputs, labels);
            RowSplit.Enabled = true;
            float twoLoss = two.TrainBatch(inputs, labels);
            if (oneLoss != twoLoss || !one.Parameters.SequenceEqual(two.Parameters))
            {
                throw new InvalidOperationException("TrainBatch on two cores did not give the one-core bits.");
            }
        }
    }

    /// <summary>The generated Pack of 784-256-128-10 (its kernels class is file-local): each layer's panels, layer after layer.</summary>
    private static void Pack(float[] parameters, float[] packed)
    {
        ReadOnlySpan<float> p = parameters;
        PackedDense.Pack(p.Slice(0, 200704), p.Slice(200704, 256), 784, 256, packed.AsSpan(0, 200960));
        PackedDense.Pack(p.Slice(200960, 32768), p.Slice(233728, 128), 256, 128, packed.AsSpan(200960, 32896));
        PackedDense.Pack(p.Slice(233856, 1280), p.Slice(235136, 10), 128, 10, packed.AsSpan(233856, 2064));
    }

    private static void Add(float[] sums, float[] values)
    {
        Span<float> s = sums;
        ReadOnlySpan<float> v = values;
        int k = 0;
        for (; k <= s.Length - System.Numerics.Vector<float>.Count; k += System.Numerics.Vector<float>.Count)
        {
            (new System.Numerics.Vector<float>(s[k..]) + new System.Numerics.Vector<float>(v[k..])).CopyTo(s[k..]);
        }

        for (; k < s.Length; k++)
        {
            s[k] += v[k];
        }
    }

    private static double LoadAverage()
    {
        try
        {
            string first = System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (System.IO.IOException)
        {
            return double.NaN;
        }
    }

    private static float[] Values(SeededRandom random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextUniform(-1, 1);
        }

        return values;
    }
}
