using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// The double activations of <see cref="VectorMath"/>, written once over <see cref="IDoubleLanes{TSelf}"/> and so
/// instantiated for every width. Method and measured error bounds: docs/performance.md, "Vectorised activations".
/// </summary>
internal static class DoubleKernels<V> where V : struct, IDoubleLanes<V>
{
    // n = round(x / ln 2) by adding and subtracting 1.5 * 2^52; ln 2 split so that n * Ln2Hi is exact (Cody-Waite).
    private const double RoundingConstant = 6755399441055744.0;
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 0.6931471806019545;
    private const double Ln2Lo = -4.2009150726810846e-11;
    private const double SignBit = -0.0;

    /// <summary>
    /// e^r - 1 for |r| &lt;= ln2/2: r + r^2 (1/2! + r/3! + ... + r^11/13!), the Taylor polynomial of degree 13
    /// (truncation below 1e-17 relative on that interval).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ExpM1Reduced(V r)
    {
        V p = V.Create(1.0 / 6227020800.0);
        p = (p * r) + V.Create(1.0 / 479001600.0);
        p = (p * r) + V.Create(1.0 / 39916800.0);
        p = (p * r) + V.Create(1.0 / 3628800.0);
        p = (p * r) + V.Create(1.0 / 362880.0);
        p = (p * r) + V.Create(1.0 / 40320.0);
        p = (p * r) + V.Create(1.0 / 5040.0);
        p = (p * r) + V.Create(1.0 / 720.0);
        p = (p * r) + V.Create(1.0 / 120.0);
        p = (p * r) + V.Create(1.0 / 24.0);
        p = (p * r) + V.Create(1.0 / 6.0);
        p = (p * r) + V.Create(0.5);
        return ((p * r) * r) + r;
    }

    /// <summary>r = x - n ln2 and the biased n (n + the rounding constant), for x already clamped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Reduce(V x, out V n)
    {
        V biased = (x * V.Create(Log2E)) + V.Create(RoundingConstant);
        n = biased - V.Create(RoundingConstant);
        return (x - (n * V.Create(Ln2Hi))) - (n * V.Create(Ln2Lo));
    }

    /// <summary>
    /// x limited to [low, high] by compare and select (two instructions each; NaN lanes come out as NaN or a bound
    /// and are restored by <see cref="KeepNaN"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Clamp(V x, V low, V high)
    {
        V above = V.Select(V.GreaterThan(low, x), low, x);
        return V.Select(V.GreaterThan(above, high), high, above);
    }

    /// <summary>Returns NaN lanes of <paramref name="x"/> unchanged, else <paramref name="result"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V KeepNaN(V x, V result) => V.Select(V.Equal(x, x), result, x);

    /// <summary>
    /// e^x over the whole double range, subnormal results included (2^n applied as two factors so that neither
    /// overflows or underflows before the final product).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp(V x)
    {
        V clamped = Clamp(x, V.Create(-746.0), V.Create(710.0));
        V r = Reduce(clamped, out V n);
        V q = ExpM1Reduced(r);
        V half = (n * V.Create(0.5)) + V.Create(RoundingConstant); // n1 = round(n / 2), biased
        V n2 = (n - (half - V.Create(RoundingConstant))) + V.Create(RoundingConstant);
        V s1 = V.Pow2(half);
        return KeepNaN(x, ((s1 * q) + s1) * V.Pow2(n2));
    }

    /// <summary>e^x - 1 for x &lt;= 0 (the lanes with x &gt; 0 give e^min(x, 0) - 1 = 0; callers select them away).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ExpM1NonPositive(V x)
    {
        V clamped = Clamp(x, V.Create(-40.0), V.Create(0.0));
        V r = Reduce(clamped, out V n);
        V q = ExpM1Reduced(r);
        V s = V.Pow2(n + V.Create(RoundingConstant));
        return (s * q) + (s - V.Create(1.0));
    }

    /// <summary>
    /// tanh x = sign(x) (-m / (2 + m)) with m = e^(-2|x|) - 1: no cancellation anywhere. m is <see cref="ExpM1NonPositive"/>
    /// without the steps that cannot change a bit here: -2|x| is never above 0 (NaN stays NaN), so only the lower
    /// clamp remains, and 2^n is taken from the reduction's biased n, which n + the rounding constant equals exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh(V x)
    {
        V sign = x & V.Create(SignBit);
        V t = V.Create(-2.0) * (x ^ sign);
        V low = V.Create(-40.0);
        V clamped = V.Select(V.GreaterThan(low, t), low, t);
        V biased = (clamped * V.Create(Log2E)) + V.Create(RoundingConstant);
        V n = biased - V.Create(RoundingConstant);
        V r = (clamped - (n * V.Create(Ln2Hi))) - (n * V.Create(Ln2Lo));
        V q = ExpM1Reduced(r);
        V s = V.Pow2(biased);
        V m = (s * q) + (s - V.Create(1.0));
        V magnitude = (V.Create(0.0) - m) / (V.Create(2.0) + m);
        return KeepNaN(x, magnitude ^ sign);
    }

    /// <summary>
    /// 1 / (1 + e^-x), as e / (1 + e) with e = e^-|x| and the numerator 1 for x &gt;= 0 or e for x &lt; 0, so that e
    /// never overflows and small results keep their precision.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sigmoid(V x) => KeepNaN(x, SigmoidTimes(x, V.Create(1.0)));

    /// <summary>y sigmoid(x), without overflow for any x (see <see cref="Sigmoid"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V SigmoidTimes(V x, V y)
    {
        V e = Exp(x | V.Create(SignBit));
        return V.Select(V.GreaterThan(V.Create(0.0), x), y * e, y) / (V.Create(1.0) + e);
    }

    /// <summary>ln(1 + e^x) = max(x, 0) + log1p(e^-|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Softplus(V x)
    {
        V minusAbs = x | V.Create(SignBit);
        V y = Exp(minusAbs);
        return KeepNaN(x, V.Select(V.GreaterThan(x, V.Create(0.0)), x, V.Create(0.0)) + Log1PUnit(y));
    }

    /// <summary>
    /// log(1 + y) for y in [0, 1]: u = 1 + y = 2^k m with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s) with
    /// s = (m - 1) / (m + 1), |s| &lt;= 0.172, and the rounding error of u added back as (y - (u - 1)) / u.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Log1PUnit(V y)
    {
        V u = V.Create(1.0) + y;
        V big = V.GreaterThan(u, V.Create(1.4142135623730951));
        V m = V.Select(big, u * V.Create(0.5), u);
        V k = big & V.Create(1.0);
        V f = m - V.Create(1.0);
        V correction = (y - (u - V.Create(1.0))) / u;
        V s = f / (V.Create(2.0) + f);
        V s2 = s * s;
        V p = V.Create(1.0 / 21.0);
        p = (p * s2) + V.Create(1.0 / 19.0);
        p = (p * s2) + V.Create(1.0 / 17.0);
        p = (p * s2) + V.Create(1.0 / 15.0);
        p = (p * s2) + V.Create(1.0 / 13.0);
        p = (p * s2) + V.Create(1.0 / 11.0);
        p = (p * s2) + V.Create(1.0 / 9.0);
        p = (p * s2) + V.Create(1.0 / 7.0);
        p = (p * s2) + V.Create(1.0 / 5.0);
        p = (p * s2) + V.Create(1.0 / 3.0);
        V twoS = s + s;
        V logM = (twoS * (p * s2)) + twoS;
        return (k * V.Create(Ln2Hi)) + (logM + ((k * V.Create(Ln2Lo)) + correction));
    }

    /// <summary>x for x &gt; 0, alpha (e^x - 1) otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Elu(V x, V alpha) => KeepNaN(x, V.Select(V.GreaterThan(x, V.Create(0.0)), x, alpha * ExpM1NonPositive(x)));

    /// <summary>λ x for x &gt; 0, λ α (e^x - 1) otherwise, PyTorch's constants.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Selu(V x) => KeepNaN(x, V.Select(V.GreaterThan(x, V.Create(0.0)),
        V.Create(1.0507009873554805) * x, V.Create(1.7580993408473766) * ExpM1NonPositive(x)));

    /// <summary>
    /// PyTorch's tanh-form GELU, 0.5 x (1 + tanh u) with u = sqrt(2/π)(x + 0.044715 x^3), evaluated as the equal
    /// x sigmoid(2u), which has no cancellation for negative x. The limit 0 at x = -∞.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Gelu(V x)
    {
        V twoU = (V.Create(1.5957691216057308) * x) * (V.Create(1.0) + ((V.Create(0.044715) * x) * x));
        V result = SigmoidTimes(twoU, x);
        return KeepNaN(x, V.Select(V.Equal(x, V.Create(double.NegativeInfinity)), V.Create(0.0), result));
    }

    /// <summary>x sigmoid(x); the limit 0 at x = -∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Silu(V x)
    {
        V result = SigmoidTimes(x, x);
        return KeepNaN(x, V.Select(V.Equal(x, V.Create(double.NegativeInfinity)), V.Create(0.0), result));
    }
}
