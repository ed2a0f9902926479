using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using NetGen.Numerics;

namespace NetGen.Bench;

/// <summary>
/// Measures the error of <see cref="VectorMath"/>'s float functions against double references over float bit
/// patterns: every pattern with <c>--accuracy 1</c> (about 4.3e9 values per function, minutes), every k-th with
/// <c>--accuracy k</c>. Errors are in units in the last place (ulp) of the exact result rounded to float, where that
/// result is a normal float; below 2^-126 the absolute error is reported instead.
/// </summary>
public static class ActivationAccuracy
{
    /// <summary>A float function under test and its double reference.</summary>
    public sealed record Function(string Name, Action<float[], float[]> Vector, Func<double, double> Reference);

    private const double Lambda = 1.0507009873554805, Alpha = 1.6732632423543772;

    /// <summary>The functions and the references they are measured against (exact to well below a float ulp).</summary>
    public static readonly Function[] Functions =
    {
        new("exp", (x, y) => VectorMath.Exp(x, y), Math.Exp),
        new("tanh", (x, y) => VectorMath.Tanh(x, y), Math.Tanh),
        new("sigmoid", (x, y) => VectorMath.Sigmoid(x, y), x => 1 / (1 + Math.Exp(-x))),
        new("softplus", (x, y) => VectorMath.Softplus(x, y), x => Math.Max(x, 0) + Log1P(Math.Exp(-Math.Abs(x)))),
        new("elu", (x, y) => VectorMath.Elu(x, y, 1f), x => x > 0 ? x : ExpM1(x)),
        new("selu", (x, y) => VectorMath.Selu(x, y), x => x > 0 ? Lambda * x : Lambda * Alpha * ExpM1(x)),
        new("gelu", (x, y) => VectorMath.Gelu(x, y), x => double.IsNegativeInfinity(x) ? 0 : x / (1 + Math.Exp(-2 * 0.7978845608028654 * (x + (0.044715 * x * x * x))))),
        new("silu", (x, y) => VectorMath.Silu(x, y), x => double.IsNegativeInfinity(x) ? 0 : x / (1 + Math.Exp(-x))),
    };

    /// <summary>log(1 + y) to double precision (the u = 1 + y correction).</summary>
    public static double Log1P(double y)
    {
        double u = 1 + y;
        return u == 1 ? y : Math.Log(u) * y / (u - 1);
    }

    /// <summary>e^x - 1 to double precision.</summary>
    public static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + (x * x / 2) + (x * x * x / 6) : Math.Exp(x) - 1;

    /// <summary>The error of <paramref name="y"/> against the exact <paramref name="reference"/>: (ulp, absolute, counted as ulp).</summary>
    public static (double Ulp, double Absolute, bool Normal) Error(float y, double reference)
    {
        if (double.IsNaN(reference))
        {
            return (float.IsNaN(y) ? 0 : double.PositiveInfinity, 0, true);
        }

        if (Math.Abs(reference) > float.MaxValue)
        {
            // Beyond the float range: the correctly rounded result is infinity (or MaxValue just past it).
            double r = (float)reference;
            return (y == r ? 0 : double.PositiveInfinity, 0, true);
        }

        double error = Math.Abs(y - reference);
        if (Math.Abs(reference) < 1.1754943508222875e-38)
        {
            return (0, error, false);
        }

        double ulp = Math.ScaleB(1, Math.ILogB(reference) - 23);
        return (error / ulp, error, true);
    }

    /// <summary>Sweeps every <paramref name="stride"/>-th float bit pattern through every function.</summary>
    public static string Run(long stride)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"float sweep: every {stride}th of the 2^32 bit patterns; ulp of the exact result where it is a normal float");
        report.AppendLine("| function | max ulp (all x) | at x | max ulp, -10 <= x <= 10 | max ulp, -3 <= x <= 10 | max abs error, subnormal results | values |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        const int chunk = 1 << 16;
        var x = new float[chunk];
        var y = new float[chunk];
        foreach (Function f in Functions)
        {
            var watch = Stopwatch.StartNew();
            double worst = 0, worstX = 0, worstNear = 0, worstNarrow = 0, worstAbs = 0;
            long count = 0;
            for (long start = 0; start < (1L << 32); start += chunk * stride)
            {
                int n = (int)Math.Min(chunk, ((1L << 32) - start + stride - 1) / stride);
                for (int i = 0; i < n; i++)
                {
                    x[i] = BitConverter.Int32BitsToSingle((int)(uint)(start + (i * stride)));
                }

                f.Vector(x, y);
                for (int i = 0; i < n; i++)
                {
                    (double ulp, double abs, bool normal) = Error(y[i], f.Reference(x[i]));
                    if (normal)
                    {
                        if (ulp > worst)
                        {
                            worst = ulp;
                            worstX = x[i];
                        }

                        if (Math.Abs(x[i]) <= 10 && ulp > worstNear)
                        {
                            worstNear = ulp;
                        }

                        if (x[i] >= -3 && x[i] <= 10 && ulp > worstNarrow)
                        {
                            worstNarrow = ulp;
                        }
                    }
                    else
                    {
                        worstAbs = Math.Max(worstAbs, abs);
                    }
                }

                count += n;
            }

            report.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {worst:0.00} | {worstX:R} | {worstNear:0.00} | {worstNarrow:0.00} | {worstAbs:0.0e0} | {count:N0} ({watch.Elapsed.TotalSeconds:0} s) |");
            Console.Error.WriteLine($"{f.Name} done");
        }

        return report.ToString();
    }
}
