using System;

namespace NetGen;

/// <summary>Elementary functions computed from exactly rounded IEEE operations only, so they agree on every platform.</summary>
internal static class PortableMath
{
    private const double Ln2 = 0.6931471805599453;

    /// <summary>
    /// The natural logarithm of a positive, finite, normal <paramref name="x"/>, accurate to a few ulp.
    /// x = m 2^e with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(s) with s = (m - 1)/(m + 1), |s| &lt; 0.172, summed as
    /// the odd series s + s^3/3 + s^5/5 + ... until the terms stop mattering.
    /// </summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsInfinity(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "Log needs a positive finite number.");
        }

        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF);
        if (exponent == 0)
        {
            // Subnormal: scale into the normal range first (exact).
            return Log(x * 18014398509481984.0) - (54 * Ln2); // 2^54
        }

        exponent -= 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L); // [1, 2)
        if (m > 1.4142135623730951)
        {
            m *= 0.5;
            exponent++;
        }

        double s = (m - 1.0) / (m + 1.0);
        double s2 = s * s;
        double term = s;
        double sum = s;
        for (int k = 3; k < 60; k += 2)
        {
            term *= s2;
            double next = sum + (term / k);
            if (next == sum)
            {
                break;
            }

            sum = next;
        }

        return (2.0 * sum) + (exponent * Ln2);
    }
}
