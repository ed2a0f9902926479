using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen;

namespace NetGen.Bench;

/// <summary>
/// Where a training step's time goes, for the training rows of the quick table: the whole <c>TrainBatch</c>, the
/// gradient alone (<c>ComputeGradients</c>: forward, loss and backward, no optimizer), the packed forward alone
/// (<c>PredictBatch</c> on the same rows) and one repack of the packed copy, timed in alternating rounds.
/// </summary>
public static class TrainingProfile
{
    /// <summary>Runs only the case named <paramref name="only"/> (a prefix) for <paramref name="seconds"/>, for a profiler.</summary>
    public static string Loop(string only, double seconds)
    {
        var (name, call, _) = Cases().First(c => c.Name.StartsWith(only, StringComparison.Ordinal));
        long start = Stopwatch.GetTimestamp();
        int calls = 0;
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            call();
            calls++;
        }

        return $"{name}: {calls} calls, {Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1e3 / calls:0.0} µs each";
    }

    /// <summary>Times every case, or only those whose name contains one of the comma-separated parts of <paramref name="only"/>.</summary>
    public static string Run(string? only = null)
    {
        string[] parts = only?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        NetGen.Numerics.RowSplit.Enabled = false; // one thread, as the quick table's training rows (sc4's 10,000 rows would split)
        return Measure(Cases().Where(c => parts.Length == 0 || parts.Any(p => c.Name.Contains(p, StringComparison.Ordinal))).ToList());
    }

    private static List<(string Name, Action Call, int Calls)> Cases()
    {
        var cases = new List<(string Name, Action Call, int Calls)>();
        float[] tanhIn = BenchData.Uniform(480_000, 3, -3, 3), tanhOut = new float[480_000];

        SimpleChainsNetwork sc = Models.Load(new SimpleChainsNetwork(), "sc4");
        float[] scX = BenchData.Uniform(10_000 * 4, 7, -1, 1), scT = BenchData.Uniform(10_000 * 4, 8, -1, 1), scY = new float[10_000 * 4], scG = new float[SimpleChainsNetwork.ParameterCount];
        cases.Add(("sc4 10,000 rows: TrainBatch", () => sc.TrainBatch(scX, scT), 4));
        cases.Add(("sc4 10,000 rows: ComputeGradients", () => sc.ComputeGradients(scX, scT, scG), 4));
        cases.Add(("sc4 10,000 rows: PredictBatch", () => sc.PredictBatch(scX, scY), 4));

        var relu = new SimpleChainsReluNetwork();
        cases.Add(("relu4 10,000 rows: PredictBatch", () => relu.PredictBatch(scX, scY), 4));
        cases.Add(("relu4 10,000 rows: ComputeGradients", () => relu.ComputeGradients(scX, scT, scG), 4));
        cases.Add(("VectorMath.Tanh 480,000 values", () => NetGen.Numerics.VectorMath.Tanh(tanhIn, tanhOut), 4));
        cases.Add(("TrainingKernels.Activate tanh 480,000 values", () => NetGen.Numerics.TrainingKernels.Activate(ref tanhIn[0], ref tanhOut[0], tanhIn.Length, default(TanhActivation)), 4));

        TabularNetwork tab = Models.Load(new TabularNetwork(), "tab13");
        float[] tabX = BenchData.Uniform(32 * 13, 9, 0, 1), tabY = new float[32 * 3], tabG = new float[TabularNetwork.ParameterCount];
        int[] tabL = Enumerable.Range(0, 32).Select(i => i % 3).ToArray();
        float[] tabT = new float[32 * 3];
        for (int r = 0; r < 32; r++)
        {
            tabT[(r * 3) + tabL[r]] = 1;
        }

        cases.Add(("tab13 32 rows: TrainBatch", () => tab.TrainBatch(tabX, tabL), 2000));
        cases.Add(("tab13 32 rows: ComputeGradients", () => tab.ComputeGradients(tabX, tabT, tabG), 2000));
        cases.Add(("tab13 32 rows: PredictBatch", () => tab.PredictBatch(tabX, tabY), 2000));

        BenchNetwork mnist = Models.Load(new BenchNetwork(), "mnist");
        mnist.LearningRate = 1e-6f;
        float[] mX = BenchData.Uniform(32 * 784, 6, 0, 1), mY = new float[32 * 10], mG = new float[BenchNetwork.ParameterCount], one = new float[10];
        int[] mL = Enumerable.Range(0, 32).Select(i => i % 10).ToArray();
        float[] mT = new float[32 * 10];
        for (int r = 0; r < 32; r++)
        {
            mT[(r * 10) + mL[r]] = 1;
        }

        cases.Add(("mnist 32 rows: TrainBatch", () => mnist.TrainBatch(mX, mL), 20));
        cases.Add(("mnist 32 rows: ComputeGradients", () => mnist.ComputeGradients(mX, mT, mG), 20));
        cases.Add(("mnist 32 rows: PredictBatch", () => mnist.PredictBatch(mX, mY), 20));
        cases.Add(("mnist: repack + Predict 1 row", () => { _ = mnist.Parameters; mnist.Predict(mX.AsSpan(0, 784), one); }, 20));
        cases.Add(("mnist: Predict 1 row", () => mnist.Predict(mX.AsSpan(0, 784), one), 20));

        return cases;
    }

    private static string Measure(List<(string Name, Action Call, int Calls)> cases)
    {
        QuickTable.WarmUp(cases.Select(c => c.Call));
        var times = cases.Select(_ => new List<double>()).ToArray();
        var allocated = new long[cases.Count];
        for (int c = 0; c < cases.Count; c++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                cases[c].Call();
            }

            allocated[c] = (GC.GetAllocatedBytesForCurrentThread() - before) / 10;
        }

        for (int round = 0; round < 11; round++)
        {
            for (int c = 0; c < cases.Count; c++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < cases[c].Calls; i++)
                {
                    cases[c].Call();
                }

                times[c].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / cases[c].Calls);
            }
        }

        var report = new StringBuilder("| what | median µs | fastest µs | B per call |\n|---|---|---|---|\n");
        for (int c = 0; c < cases.Count; c++)
        {
            List<double> t = times[c].OrderBy(x => x).ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {cases[c].Name} | {t[t.Count / 2] / 1e3:0.00} | {t[0] / 1e3:0.00} | {allocated[c]} |");
        }

        return report.ToString();
    }


    /// <summary>Tanh as generated networks declare it, for timing <c>TrainingKernels.Activate</c> alone.</summary>
    private readonly struct TanhActivation : NetGen.Numerics.IVectorActivation<float>
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public System.Runtime.Intrinsics.Vector128<float> Apply(System.Runtime.Intrinsics.Vector128<float> z) => NetGen.Numerics.VectorMath.Tanh(z);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public System.Runtime.Intrinsics.Vector256<float> Apply(System.Runtime.Intrinsics.Vector256<float> z) => NetGen.Numerics.VectorMath.Tanh(z);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public System.Runtime.Intrinsics.Vector512<float> Apply(System.Runtime.Intrinsics.Vector512<float> z) => NetGen.Numerics.VectorMath.Tanh(z);
    }
}
