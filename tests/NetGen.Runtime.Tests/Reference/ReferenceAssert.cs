using System;
using System.Globalization;
using System.Text;

namespace NetGen.Runtime.Tests.Reference;

/// <summary>
/// Element-wise comparison with PyTorch's values: |actual - expected| &lt;= relative |expected| + absolute. On failure
/// the message names the quantity, the number of misses, the worst index and the first few misses.
/// </summary>
public static class ReferenceAssert
{
    /// <summary>Double-precision code against float64 PyTorch: relative 1e-9.</summary>
    public const double DoubleRelative = 1e-9;

    /// <summary>A floor for double values that cancel to (nearly) zero.</summary>
    public const double DoubleAbsolute = 1e-12;

    /// <summary>Single-precision code against float64 PyTorch: relative 1e-5.</summary>
    public const double SingleRelative = 1e-5;

    /// <summary>A floor for float values near zero.</summary>
    public const double SingleAbsolute = 1e-6;

    /// <summary>Compares double results.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relative, double absolute, string what)
    {
        if (expected.Length != actual.Length)
        {
            Assert.Fail($"{what}: {actual.Length} values, expected {expected.Length}.");
        }

        int misses = 0, worst = -1;
        double worstExcess = 0;
        var report = new StringBuilder();
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            double allowed = (relative * Math.Abs(expected[i])) + absolute;
            if (error <= allowed)
            {
                continue; // NaN fails this test and is reported
            }

            misses++;
            double excess = double.IsNaN(error) ? double.PositiveInfinity : error / allowed;
            if (worst < 0 || excess > worstExcess)
            {
                (worst, worstExcess) = (i, excess);
            }

            if (misses <= 5)
            {
                report.Append(CultureInfo.InvariantCulture, $"\n  [{i}] expected {expected[i]:R}, actual {actual[i]:R}, |error| {error:E3} > {allowed:E3}");
            }
        }

        if (misses > 0)
        {
            Assert.Fail(
                $"{what}: {misses} of {expected.Length} values differ from PyTorch by more than {relative:E0} relative + {absolute:E0}; " +
                $"worst at [{worst}] ({worstExcess:G3} x the tolerance).{report}");
        }
    }

    /// <summary>Compares float results with the float64 reference.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double relative, double absolute, string what)
    {
        double[] widened = new double[actual.Length];
        for (int i = 0; i < actual.Length; i++)
        {
            widened[i] = actual[i];
        }

        Close(expected, widened, relative, absolute, what);
    }

    /// <summary>Compares one value.</summary>
    public static void Close(double expected, double actual, double relative, double absolute, string what) =>
        Close(new[] { expected }, new[] { actual }, relative, absolute, what);
}
