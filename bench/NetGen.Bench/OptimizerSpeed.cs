using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using NetGen;

namespace NetGen.Bench;

/// <summary>
/// <c>--optimizers</c>: one optimizer step over 784-256-128-10's 235,146 float parameters, timed by the thread's CPU
/// time in alternating rounds: <see cref="Optimizers.Adam{T}"/>, the same loop with sqrt(v)/c computed as sqrt(v)·(1/c)
/// (one division fewer, but no longer PyTorch's operations), the memory floor (the same four streams read and three
/// written, a multiply-add each), and Trainer.Fit's per-batch gradient-norm pass (a sum of squares over the gradient).
/// </summary>
internal static class OptimizerSpeed
{
    private const int N = 235146, CallsPerRound = 40, Rounds = 15;

    public static string Run()
    {
        var random = new SeededRandom(3);
        float[] p = new float[N], g = new float[N], m = new float[N], v = new float[N];
        for (int i = 0; i < N; i++)
        {
            p[i] = (float)random.NextDouble() - 0.5f;
            g[i] = ((float)random.NextDouble() - 0.5f) * 1e-2f;
        }

        int step = 1;
        var cases = new (string Name, Action Call)[]
        {
            ("Optimizers.Adam", () => Optimizers.Adam<float>(p, g, m, v, 1e-7f, 0.9f, 0.999f, 1e-8f, 0f, false, step++)),
            ("Adam, sqrt(v) * (1/c): one division fewer", () => AdamReciprocal(p, g, m, v, 1e-7f, 0.9f, 0.999f, 1e-8f, step++)),
            ("Optimizers.Sgd, momentum 0.9", () => Optimizers.Sgd<float>(p, g, m, 1e-7f, 0.9f, 0f, false, false)),
            ("memory floor: the same streams", () => Streams(p, g, m, v)),
            ("sum of squares: TrainingMath.SumOfSquares", () => s_sink += (float)s_sumOfSquares(g)),
            ("sum of squares: two Vector256 chains (before)", () => s_sink += SumOfSquares(g)),
        };
        foreach ((_, Action call) in cases)
        {
            for (int k = 0; k < 50; k++)
            {
                call();
            }
        }

        var times = cases.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < Rounds; round++)
        {
            for (int c = 0; c < cases.Length; c++)
            {
                double start = ThreadCpu.Milliseconds();
                for (int k = 0; k < CallsPerRound; k++)
                {
                    cases[c].Call();
                }

                times[c].Add((ThreadCpu.Milliseconds() - start) * 1e3 / CallsPerRound);
            }
        }

        var text = new StringBuilder($"One optimizer step over {N:N0} floats, thread CPU time, {Rounds} alternating rounds of {CallsPerRound} calls; load average {File("/proc/loadavg")}\n");
        for (int c = 0; c < cases.Length; c++)
        {
            List<double> t = times[c].OrderBy(x => x).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"  {cases[c].Name,-44} median {t[t.Count / 2],7:F1} µs, fastest {t[0],7:F1} µs");
        }

        return text.ToString();
    }

    private static float s_sink;

    private static string File(string path)
    {
        try
        {
            return string.Join(" ", System.IO.File.ReadAllText(path).Split(' ').Take(3));
        }
        catch (System.IO.IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Trainer.Fit's per-batch gradient-norm pass, the runtime's internal TrainingMath.SumOfSquares (bound by reflection).</summary>
    private static readonly Func<float[], double> s_sumOfSquares = BindSumOfSquares();

    private static Func<float[], double> BindSumOfSquares()
    {
        System.Reflection.MethodInfo method = typeof(Optimizers).Assembly.GetType("NetGen.TrainingMath")?.GetMethod("SumOfSquares")?.MakeGenericMethod(typeof(float))
            ?? throw new InvalidOperationException("NetGen.TrainingMath.SumOfSquares not found.");
        var call = (SumOfSquaresOf)method.CreateDelegate(typeof(SumOfSquaresOf));
        return values => call(values);
    }

    private delegate double SumOfSquaresOf(ReadOnlySpan<float> values);

    /// <summary>The pass as it was before it kept four sums in flight: two 256-bit chains.</summary>
    private static float SumOfSquares(float[] values)
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(values);
        Vector256<float> a0 = default, a1 = default;
        for (int i = 0; i <= values.Length - 16; i += 16)
        {
            Vector256<float> u = Vector256.LoadUnsafe(ref x, (nuint)i), w = Vector256.LoadUnsafe(ref x, (nuint)(i + 8));
            a0 += u * u;
            a1 += w * w;
        }

        return Vector256.Sum(a0 + a1);
    }

    private static void Streams(float[] p, float[] g, float[] m, float[] v)
    {
        ref float rp = ref MemoryMarshal.GetArrayDataReference(p), rg = ref MemoryMarshal.GetArrayDataReference(g);
        ref float rm = ref MemoryMarshal.GetArrayDataReference(m), rv = ref MemoryMarshal.GetArrayDataReference(v);
        Vector256<float> k = Vector256.Create(0.999f);
        for (int i = 0; i <= p.Length - 8; i += 8)
        {
            Vector256<float> gg = Vector256.LoadUnsafe(ref rg, (nuint)i);
            ((Vector256.LoadUnsafe(ref rm, (nuint)i) * k) + gg).StoreUnsafe(ref rm, (nuint)i);
            ((Vector256.LoadUnsafe(ref rv, (nuint)i) * k) + gg).StoreUnsafe(ref rv, (nuint)i);
            ((Vector256.LoadUnsafe(ref rp, (nuint)i) * k) + gg).StoreUnsafe(ref rp, (nuint)i);
        }
    }

    /// <summary>
    /// <see cref="Optimizers.Adam{T}"/>'s loop (subnormal moments flushed as there) with sqrt(v) / c computed as
    /// sqrt(v) · (1/c): one division fewer a vector, not PyTorch's operations, so other bits. Whole vectors only.
    /// </summary>
    internal static void AdamReciprocal(float[] p, float[] g, float[] m, float[] v, float lr, float beta1, float beta2, float eps, int step)
    {
        float size = lr / (1 - MathF.Pow(beta1, step)), c = MathF.Sqrt(1 - MathF.Pow(beta2, step));
        ref float rp = ref MemoryMarshal.GetArrayDataReference(p), rg = ref MemoryMarshal.GetArrayDataReference(g);
        ref float rm = ref MemoryMarshal.GetArrayDataReference(m), rv = ref MemoryMarshal.GetArrayDataReference(v);
        Vector256<float> b1 = Vector256.Create(beta1), b2 = Vector256.Create(beta2), o1 = Vector256.Create(1 - beta1), o2 = Vector256.Create(1 - beta2);
        Vector256<float> ve = Vector256.Create(eps), vs = Vector256.Create(size), vrc = Vector256.Create(1 / c);
        Vector256<float> smallest = Vector256.Create(BitConverter.Int32BitsToSingle(0x00800000)), sign = Vector256.Create(-0f);
        for (int i = 0; i <= p.Length - 8; i += 8)
        {
            Vector256<float> gg = Vector256.LoadUnsafe(ref rg, (nuint)i);
            Vector256<float> mm = (b1 * Vector256.LoadUnsafe(ref rm, (nuint)i)) + (o1 * gg);
            Vector256<float> vv = (b2 * Vector256.LoadUnsafe(ref rv, (nuint)i)) + (o2 * gg * gg);
            mm = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(mm), smallest), mm & sign, mm);
            vv = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(vv), smallest), vv & sign, vv);
            mm.StoreUnsafe(ref rm, (nuint)i);
            vv.StoreUnsafe(ref rv, (nuint)i);
            Vector256<float> denominator = (Vector256.Sqrt(vv) * vrc) + ve;
            (Vector256.LoadUnsafe(ref rp, (nuint)i) - (vs * (mm / denominator))).StoreUnsafe(ref rp, (nuint)i);
        }
    }
}
