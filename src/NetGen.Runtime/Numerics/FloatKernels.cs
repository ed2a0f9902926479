using System;
using System.Runtime.CompilerServices;

namespace NetGen.Numerics;

/// <summary>
/// The float activations of <see cref="VectorMath"/>, written once over <see cref="IFloatLanes{TSelf}"/> and so
/// instantiated for every width. Method and measured error bounds: docs/performance.md, "Vectorised activations".
/// </summary>
internal static class FloatKernels<V> where V : struct, IFloatLanes<V>
{
    // n = round(x / ln 2) by adding and subtracting 1.5 * 2^23; ln 2 split so that n * Ln2Hi is exact (Cody-Waite).
    private const float RoundingConstant = 12582912f;
    private const float Log2E = 1.44269504f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float Ln2 = 0.693147182f; // ln 2 rounded to float, for tanh's one-step reduction
    private const float SignBit = -0f;

    /// <summary>
    /// e^r - 1 for |r| &lt;= ln2/2: r + r^2 (1/2! + r/3! + ... + r^5/7!), the Taylor polynomial of degree 7
    /// (truncation below 1.3e-8 relative on that interval).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ExpM1Reduced(V r)
    {
        V p = V.Create(1f / 5040f);
        p = (p * r) + V.Create(1f / 720f);
        p = (p * r) + V.Create(1f / 120f);
        p = (p * r) + V.Create(1f / 24f);
        p = (p * r) + V.Create(1f / 6f);
        p = (p * r) + V.Create(0.5f);
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
    /// e^x over the whole float range, subnormal results included (2^n applied as two factors so that neither
    /// overflows or underflows before the final product).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Exp(V x)
    {
        V clamped = Clamp(x, V.Create(-104f), V.Create(89f));
        V r = Reduce(clamped, out V n);
        V q = ExpM1Reduced(r);
        V half = (n * V.Create(0.5f)) + V.Create(RoundingConstant); // n1 = round(n / 2), biased
        V n2 = (n - (half - V.Create(RoundingConstant))) + V.Create(RoundingConstant);
        V s1 = V.Pow2(half);
        return KeepNaN(x, ((s1 * q) + s1) * V.Pow2(n2));
    }

    /// <summary>e^x - 1 for x &lt;= 0 (the lanes with x &gt; 0 give e^min(x, 0) - 1 = 0; callers select them away).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V ExpM1NonPositive(V x)
    {
        V clamped = Clamp(x, V.Create(-20f), V.Create(0f));
        V r = Reduce(clamped, out V n);
        V q = ExpM1Reduced(r);
        V s = V.Pow2(n + V.Create(RoundingConstant));
        return (s * q) + (s - V.Create(1f));
    }

    /// <summary>
    /// tanh x = sign(x) m / d with m = 1 - e^(-2|x|) and d = 1 + e^(-2|x|): no cancellation anywhere, exactly ±1 beyond
    /// |x| = 10. Unlike the other kernels it is written with fused multiply-adds and a short dependency chain (about 28
    /// operations; a tanh layer waits on the chain, docs/performance.md "Vectorised activations"): t = -2|x| reduced
    /// to r = t - n ln2 by one fused multiply-add with ln 2 rounded to float (it moves r by |n| 1.9e-9, and tanh by
    /// under 0.1 ulp: e^t = 2^n (1 + q) shrinks faster than |n| grows), e^r - 1 by
    /// Estrin's scheme, (r + r^2 (1/2 + r/6)) + r^4 ((1/24 + r/120) + r^2 (1/720 + r/5040)), and m = 1 - s - s q and
    /// d = 1 + s + s q (s = 2^n) each by one more, side by side. The bits are the same on every machine
    /// (<see cref="IFloatLanes{TSelf}.MultiplyAdd"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Tanh(V x)
    {
        V sign = x & V.Create(SignBit);
        V magnitude = V.Min(x & V.Create(BitConverter.Int32BitsToSingle(int.MaxValue)), V.Create(10f)); // NaN: 10, restored below
        V t = magnitude * V.Create(-2f);
        V biased = V.MultiplyAdd(magnitude, V.Create(-2f * Log2E), V.Create(RoundingConstant)); // the bits of t log2(e) + c fused
        V n = biased - V.Create(RoundingConstant);
        V r = V.MultiplyAdd(n, V.Create(-Ln2), t);

        // e^r - 1 = (r + r^2 (1/2 + r/6)) + r^4 ((1/24 + r/120) + r^2 (1/720 + r/5040)), the pairs in parallel.
        V r2 = r * r;
        V p01 = V.MultiplyAdd(r, V.Create(1f / 6f), V.Create(0.5f));
        V p23 = V.MultiplyAdd(r, V.Create(1f / 120f), V.Create(1f / 24f));
        V p45 = V.MultiplyAdd(r, V.Create(1f / 5040f), V.Create(1f / 720f));
        V r4 = r2 * r2;
        V low = V.MultiplyAdd(r2, p01, r);
        V high = V.MultiplyAdd(r2, p45, p23);
        V q = V.MultiplyAdd(r4, high, low);

        V s = V.Pow2(biased);
        V m = V.MultiplyAdd(V.Create(0f) - s, q, V.Create(1f) - s); // 1 - e^t = -(s q + (s - 1)), +0 at x = ±0
        V d = V.MultiplyAdd(s, q, V.Create(1f) + s); // 1 + e^t, beside m rather than 2 - m after it
        return KeepNaN(x, (m / d) ^ sign);
    }

    /// <summary>
    /// 1 / (1 + e^-x), as e / (1 + e) with e = e^-|x| and the numerator 1 for x &gt;= 0 or e for x &lt; 0, so that e
    /// never overflows and small results keep their precision.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Sigmoid(V x) => KeepNaN(x, SigmoidTimes(x, V.Create(1f)));

    /// <summary>y sigmoid(x), without overflow for any x (see <see cref="Sigmoid"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V SigmoidTimes(V x, V y)
    {
        V e = Exp(x | V.Create(SignBit));
        return V.Select(V.GreaterThan(V.Create(0f), x), y * e, y) / (V.Create(1f) + e);
    }

    /// <summary>ln(1 + e^x) = max(x, 0) + log1p(e^-|x|).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Softplus(V x)
    {
        V minusAbs = x | V.Create(SignBit);
        V y = Exp(minusAbs);
        return KeepNaN(x, V.Select(V.GreaterThan(x, V.Create(0f)), x, V.Create(0f)) + Log1PUnit(y));
    }

    /// <summary>
    /// log(1 + y) for y in [0, 1]: u = 1 + y = 2^k m with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s) with
    /// s = (m - 1) / (m + 1), |s| &lt;= 0.172, and the rounding error of u added back as (y - (u - 1)) / u.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Log1PUnit(V y)
    {
        V u = V.Create(1f) + y;
        V big = V.GreaterThan(u, V.Create(1.41421356f));
        V m = V.Select(big, u * V.Create(0.5f), u);
        V k = big & V.Create(1f);
        V f = m - V.Create(1f);
        V correction = (y - (u - V.Create(1f))) / u;
        V s = f / (V.Create(2f) + f);
        V s2 = s * s;
        V p = V.Create(1f / 9f);
        p = (p * s2) + V.Create(1f / 7f);
        p = (p * s2) + V.Create(1f / 5f);
        p = (p * s2) + V.Create(1f / 3f);
        V twoS = s + s;
        V logM = (twoS * (p * s2)) + twoS;
        return (k * V.Create(Ln2Hi)) + (logM + ((k * V.Create(Ln2Lo)) + correction));
    }

    /// <summary>x for x &gt; 0, alpha (e^x - 1) otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Elu(V x, V alpha) => KeepNaN(x, V.Select(V.GreaterThan(x, V.Create(0f)), x, alpha * ExpM1NonPositive(x)));

    /// <summary>λ x for x &gt; 0, λ α (e^x - 1) otherwise, PyTorch's constants.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Selu(V x) => KeepNaN(x, V.Select(V.GreaterThan(x, V.Create(0f)),
        V.Create(1.0507009873554805f) * x, V.Create(1.7580993408473766f) * ExpM1NonPositive(x)));

    /// <summary>
    /// PyTorch's tanh-form GELU, 0.5 x (1 + tanh u) with u = sqrt(2/π)(x + 0.044715 x^3), evaluated as the equal
    /// x sigmoid(2u), which has no cancellation for negative x. The limit 0 at x = -∞.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Gelu(V x)
    {
        V twoU = (V.Create(1.5957691216057308f) * x) * (V.Create(1f) + ((V.Create(0.044715f) * x) * x));
        V result = SigmoidTimes(twoU, x);
        return KeepNaN(x, V.Select(V.Equal(x, V.Create(float.NegativeInfinity)), V.Create(0f), result));
    }

    /// <summary>x sigmoid(x); the limit 0 at x = -∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V Silu(V x)
    {
        V result = SigmoidTimes(x, x);
        return KeepNaN(x, V.Select(V.Equal(x, V.Create(float.NegativeInfinity)), V.Create(0f), result));
    }
}
