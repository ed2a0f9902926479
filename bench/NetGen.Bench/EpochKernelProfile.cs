using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// Where one 64-row Adam step of the epoch's 784-256-128-10 goes, kernel by kernel (<c>bench --epoch-kernels</c>): each
/// runtime kernel the generated <c>TrainBatch</c> calls, alone on the step's shapes (two 32-row tiles), with its rate
/// against the one-core FMA peak, beside the whole step; one thread, alternating rounds, medians and fastest rounds.
/// </summary>
public static class EpochKernelProfile
{
    private const int Tile = 32;

    public static string Run(int rounds = 11)
    {
        RowSplit.Enabled = false;
        var cases = new List<(string Name, Action Call, double Flops, int PerStep)>();
        float[] x = BenchData.Uniform(64 * 784, 1, 0, 1), y1 = BenchData.Uniform(64 * 256, 2, 0, 1), y2 = BenchData.Uniform(64 * 128, 3, 0, 1), y3 = new float[64 * 10];
        float[] d1 = BenchData.Uniform(64 * 256, 4, -1, 1), d2 = BenchData.Uniform(64 * 128, 5, -1, 1), d3 = BenchData.Uniform(64 * 10, 6, -1, 1);
        float[] g1 = new float[64 * 256], g2 = new float[64 * 128];
        float[] w1 = BenchData.Uniform(256 * 784, 7, -0.05f, 0.05f), w2 = BenchData.Uniform(128 * 256, 8, -0.05f, 0.05f), w3 = BenchData.Uniform(10 * 128, 9, -0.05f, 0.05f);
        float[] dw1 = new float[256 * 784], dw2 = new float[128 * 256], dw3 = new float[10 * 128], db = new float[256];
        float[] p1 = new float[PackedDense.PackedLength<float>(784, 256)], p2 = new float[PackedDense.PackedLength<float>(256, 128)], p3 = new float[PackedDense.PackedLength<float>(128, 10)];
        PackedDense.Pack<float>(w1, new float[256], 784, 256, p1);
        PackedDense.Pack<float>(w2, new float[128], 256, 128, p2);
        PackedDense.Pack<float>(w3, new float[10], 128, 10, p3);
        var relu = default(ReluActivation);

        cases.Add(("forward 784->256 + ReLU (DenseForward)", () => TrainingKernels.DenseForward(ref p1[0], 784, 256, ref x[0], ref y1[0], ref y1[0], Tile, relu), 2.0 * Tile * 784 * 256, 2));
        cases.Add(("forward 256->128 + ReLU", () => TrainingKernels.DenseForward(ref p2[0], 256, 128, ref y1[0], ref y2[0], ref y2[0], Tile, relu), 2.0 * Tile * 256 * 128, 2));
        cases.Add(("forward 128->10", () => TrainingKernels.DenseForward(ref p3[0], 128, 10, ref y2[0], ref y3[0], ref y3[0], Tile, default(IdentityActivation<float>)), 2.0 * Tile * 128 * 10, 2));
        cases.Add(("dW += δᵀx 256x784 (AddWeightGradient)", () => TrainingKernels.AddWeightGradient<float>(dw1, d1.AsSpan(0, Tile * 256), x.AsSpan(0, Tile * 784), Tile, 256, 784), 2.0 * Tile * 784 * 256, 2));
        cases.Add(("dW += δᵀx 128x256", () => TrainingKernels.AddWeightGradient<float>(dw2, d2.AsSpan(0, Tile * 128), y1.AsSpan(0, Tile * 256), Tile, 128, 256), 2.0 * Tile * 256 * 128, 2));
        cases.Add(("dW += δᵀx 10x128", () => TrainingKernels.AddWeightGradient<float>(dw3, d3.AsSpan(0, Tile * 10), y2.AsSpan(0, Tile * 128), Tile, 10, 128), 2.0 * Tile * 128 * 10, 2));
        cases.Add(("gIn = δW 128->256 (InputGradient)", () => TrainingKernels.InputGradient<float>(g1.AsSpan(0, Tile * 256), d2.AsSpan(0, Tile * 128), w2, Tile, 128, 256), 2.0 * Tile * 256 * 128, 2));
        cases.Add(("gIn = δW 10->128", () => TrainingKernels.InputGradient<float>(g2.AsSpan(0, Tile * 128), d3.AsSpan(0, Tile * 10), w3, Tile, 10, 128), 2.0 * Tile * 128 * 10, 2));
        cases.Add(("db += column sums 256", () => TrainingKernels.AddColumnSums<float>(db, d1.AsSpan(0, Tile * 256), Tile), 0, 2));
        cases.Add(("db += column sums 128", () => TrainingKernels.AddColumnSums<float>(db.AsSpan(0, 128), d2.AsSpan(0, Tile * 128), Tile), 0, 2));
        cases.Add(("δ = g f' ReLU 256 (MultiplyByDerivative)", () => ElementWise.MultiplyByDerivative(ref g1[0], ref y1[0], ref y1[0], Tile * 256, relu), 0, 2));
        cases.Add(("δ = g f' ReLU 128", () => ElementWise.MultiplyByDerivative(ref g2[0], ref y2[0], ref y2[0], Tile * 128, relu), 0, 2));

        BenchNetwork net = Models.Load(new BenchNetwork(), "mnist");
        net.LearningRate = 1e-6f;
        int n = BenchNetwork.ParameterCount;
        float[] parameters = new float[n], gradient = BenchData.Uniform(n, 10, -1e-3f, 1e-3f), second = BenchData.Uniform(n, 11, -1e-3f, 1e-3f), m = new float[n], v = new float[n];
        net.Parameters.CopyTo(parameters);
        int step = 0;
        cases.Add(("Adam, 235,146 parameters (Optimizers.Adam)", () => Optimizers.Adam<float>(parameters, gradient, m, v, 1e-6f, 0.9f, 0.999f, 1e-8f, 0f, false, ++step), 0, 1));
        cases.Add(("clear the gradient (Array.Clear)", () => Array.Clear(second), 0, 2));
        cases.Add(("add the halves' gradients (a Vector<float> loop like ParameterSplit.AddRange)", () => AddInto(gradient, second), 0, 1));
        cases.Add(("repack (PackedDense.Pack, 3 layers)", () =>
        {
            PackedDense.Pack<float>(w1, db, 784, 256, p1);
            PackedDense.Pack<float>(w2, db.AsSpan(0, 128), 256, 128, p2);
            PackedDense.Pack<float>(w3, db.AsSpan(0, 10), 128, 10, p3);
        }, 0, 1));
        float[] bx = BenchData.Uniform(64 * 784, 12, 0, 1), bt = new float[64 * 10], bg = new float[n];
        int[] bl = Enumerable.Range(0, 64).Select(i => i % 10).ToArray();
        for (int r = 0; r < 64; r++)
        {
            bt[(r * 10) + bl[r]] = 1;
        }

        cases.Add(("whole TrainBatch, 64 rows", () => net.TrainBatch(bx, bl), 2.0 * 64 * ((784 * 256 * 2) + (256 * 128 * 3) + (128 * 10 * 3)), 0));
        cases.Add(("whole ComputeGradients, 64 rows", () => net.ComputeGradients(bx, bt, bg), 2.0 * 64 * ((784 * 256 * 2) + (256 * 128 * 3) + (128 * 10 * 3)), 0));

        QuickTable.WarmUp(cases.Select(c => c.Call));
        int[] calls = cases.Select(c => Math.Max(1, (int)(2e-3 / Seconds(c.Call)))).ToArray();
        var times = cases.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int c = 0; c < cases.Count; c++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < calls[c]; i++)
                {
                    cases[c].Call();
                }

                times[c].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / calls[c] / 1e3);
            }
        }

        var report = new StringBuilder("| what | median µs | fastest µs | per 64-row step, µs (median) | GFLOP/s (fastest) |\n|---|---|---|---|---|\n");
        double sum = 0;
        for (int c = 0; c < cases.Count; c++)
        {
            List<double> t = times[c].OrderBy(q => q).ToList();
            double median = t[t.Count / 2];
            sum += median * cases[c].PerStep;
            string rate = cases[c].Flops > 0 ? (cases[c].Flops / t[0] / 1e3).ToString("0.0", CultureInfo.InvariantCulture) : "";
            string per = cases[c].PerStep > 0 ? (median * cases[c].PerStep).ToString("0.0", CultureInfo.InvariantCulture) : "";
            report.AppendLine(CultureInfo.InvariantCulture, $"| {cases[c].Name} | {median:0.0} | {t[0]:0.0} | {per} | {rate} |");
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"\nSum of the kernels per step (medians): {sum:0} µs; load average: {System.IO.File.ReadAllText("/proc/loadavg").Trim()}");
        return report.ToString();
    }

    private static void AddInto(float[] sums, float[] values)
    {
        int k = 0;
        for (; k <= sums.Length - System.Numerics.Vector<float>.Count; k += System.Numerics.Vector<float>.Count)
        {
            (new System.Numerics.Vector<float>(sums, k) + new System.Numerics.Vector<float>(values, k)).CopyTo(sums, k);
        }

        for (; k < sums.Length; k++)
        {
            sums[k] += values[k];
        }
    }

    private static double Seconds(Action call)
    {
        long start = Stopwatch.GetTimestamp();
        call();
        return Math.Max(1e-7, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

}

/// <summary>ReLU as the generator writes it (the FashionNet snapshot's layer activation), for timing the kernels alone.</summary>
internal readonly struct ReluActivation : IVectorActivation<float>, IVectorDerivative<float>
{
    public System.Runtime.Intrinsics.Vector128<float> Apply(System.Runtime.Intrinsics.Vector128<float> z) =>
        System.Runtime.Intrinsics.Vector128.ConditionalSelect(System.Runtime.Intrinsics.Vector128.LessThanOrEqual(z, System.Runtime.Intrinsics.Vector128<float>.Zero), System.Runtime.Intrinsics.Vector128<float>.Zero, z);

    public System.Runtime.Intrinsics.Vector256<float> Apply(System.Runtime.Intrinsics.Vector256<float> z) =>
        System.Runtime.Intrinsics.Vector256.ConditionalSelect(System.Runtime.Intrinsics.Vector256.LessThanOrEqual(z, System.Runtime.Intrinsics.Vector256<float>.Zero), System.Runtime.Intrinsics.Vector256<float>.Zero, z);

    public System.Runtime.Intrinsics.Vector512<float> Apply(System.Runtime.Intrinsics.Vector512<float> z) =>
        System.Runtime.Intrinsics.Vector512.ConditionalSelect(System.Runtime.Intrinsics.Vector512.LessThanOrEqual(z, System.Runtime.Intrinsics.Vector512<float>.Zero), System.Runtime.Intrinsics.Vector512<float>.Zero, z);

    public float Derivative(float z, float y) => y > 0f ? 1f : 0f;

    public System.Numerics.Vector<float> Derivative(System.Numerics.Vector<float> z, System.Numerics.Vector<float> y) =>
        System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.GreaterThan(y, System.Numerics.Vector<float>.Zero), System.Numerics.Vector<float>.One, System.Numerics.Vector<float>.Zero);
}
