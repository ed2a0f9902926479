using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.Intrinsics;
using NetGen.Numerics;

namespace NetGen.Runtime.Tests.Numerics;

/// <summary>
/// VectorMath's activations against double references (Math.* in double, far below a float ulp) on a seeded sample
/// of a million floats, with the bounds that docs/performance.md documents; bit-identity across widths; special values.
/// </summary>
public class VectorMathTests
{
    private const double Lambda = 1.0507009873554805, Alpha = 1.6732632423543772, GeluC = 0.7978845608028654;
    private const double SmallestNormal = 1.1754943508222875e-38;

    private static double Log1P(double y)
    {
        double u = 1 + y;
        return u == 1 ? y : Math.Log(u) * y / (u - 1);
    }

    private static double ExpM1(double x) => Math.Abs(x) < 1e-5 ? x + (x * x / 2) + (x * x * x / 6) : Math.Exp(x) - 1;

    private static double GeluReference(double x) =>
        double.IsNegativeInfinity(x) ? 0 : x / (1 + Math.Exp(-2 * GeluC * (x + (0.044715 * x * x * x))));

    /// <summary>Name, span function, double reference, bound in ulp for inputs at or above <c>From</c>.</summary>
    private sealed record Case(string Name, Action<float[], float[]> Apply, Func<double, double> Reference, double BoundUlp, double From);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["exp"] = new("exp", (x, y) => VectorMath.Exp(x, y), Math.Exp, 1.5, double.NegativeInfinity),
        ["tanh"] = new("tanh", (x, y) => VectorMath.Tanh(x, y), Math.Tanh, 3, double.NegativeInfinity),
        ["sigmoid"] = new("sigmoid", (x, y) => VectorMath.Sigmoid(x, y), x => 1 / (1 + Math.Exp(-x)), 3, double.NegativeInfinity),
        ["softplus"] = new("softplus", (x, y) => VectorMath.Softplus(x, y), x => Math.Max(x, 0) + Log1P(Math.Exp(-Math.Abs(x))), 3.5, double.NegativeInfinity),
        ["elu"] = new("elu", (x, y) => VectorMath.Elu(x, y, 1f), x => x > 0 ? x : ExpM1(x), 1.5, double.NegativeInfinity),
        ["selu"] = new("selu", (x, y) => VectorMath.Selu(x, y), x => x > 0 ? Lambda * x : Lambda * Alpha * ExpM1(x), 2, double.NegativeInfinity),
        ["silu"] = new("silu", (x, y) => VectorMath.Silu(x, y), x => double.IsNegativeInfinity(x) ? 0 : x / (1 + Math.Exp(-x)), 3.5, -87),
        ["gelu"] = new("gelu", (x, y) => VectorMath.Gelu(x, y), GeluReference, 20, -3),
        ["gelu, -10 <= x < -3"] = new("gelu", (x, y) => VectorMath.Gelu(x, y), GeluReference, 210, -10),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    /// <summary>A million floats: 30% uniform random bit patterns (every magnitude, infinities and NaN), 70% uniform in [-30, 30].</summary>
    private static float[] Sample(int seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[1_000_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i % 10 < 3
                ? BitConverter.Int32BitsToSingle((int)(uint)random.NextUInt64())
                : (float)random.NextUniform(-30, 30);
        }

        return values;
    }

    private static (double Ulp, double Absolute) FloatError(float y, double reference)
    {
        if (double.IsNaN(reference))
        {
            return (float.IsNaN(y) ? 0 : double.PositiveInfinity, 0);
        }

        if (Math.Abs(reference) > float.MaxValue)
        {
            return (y == (float)reference ? 0 : double.PositiveInfinity, 0);
        }

        double absolute = Math.Abs(y - reference);
        return Math.Abs(reference) < SmallestNormal ? (0, absolute) : (absolute / Math.ScaleB(1, Math.ILogB(reference) - 23), absolute);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void FloatErrorIsWithinTheDocumentedBound(string name)
    {
        Case c = Cases[name];
        float[] x = Sample(2024);
        var y = new float[x.Length];
        c.Apply(x, y);
        double worst = 0, worstAbsolute = 0;
        float worstX = 0;
        int checkedValues = 0;
        for (int i = 0; i < x.Length; i++)
        {
            bool inRange = float.IsNaN(x[i]) || x[i] >= c.From;
            if (!inRange || (name == "gelu, -10 <= x < -3" && x[i] >= -3))
            {
                continue;
            }

            (double ulp, double absolute) = FloatError(y[i], c.Reference(x[i]));
            checkedValues++;
            worstAbsolute = Math.Max(worstAbsolute, absolute == 0 || ulp > 0 ? 0 : absolute);
            if (ulp > worst)
            {
                worst = ulp;
                worstX = x[i];
            }
        }

        Assert.True(checkedValues > 50_000, $"only {checkedValues} values in range");
        Assert.True(worst <= c.BoundUlp, $"{name}: {worst:0.00} ulp at x = {worstX:R} (bound {c.BoundUlp})");
        Assert.True(worstAbsolute <= 2e-43, $"{name}: absolute error {worstAbsolute:R} on a subnormal result");
    }

    [Fact]
    public void SiluAndGeluBelowTheirBoundedRangesAreTinyInAbsoluteTerms()
    {
        var x = new float[4000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = -10 - (i * 0.025f); // -10 ... -110
        }

        var y = new float[x.Length];
        VectorMath.Gelu(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(y[i] - GeluReference(x[i])) <= 1e-30, $"gelu({x[i]}) = {y[i]}");
        }

        VectorMath.Silu(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double reference = x[i] / (1 + Math.Exp(-x[i]));
            Assert.True(Math.Abs(y[i] - reference) <= Math.Max(4 * Math.ScaleB(1, Math.ILogB(reference) - 23), 1e-43), $"silu({x[i]}) = {y[i]}");
        }
    }

    public static TheoryData<string, float, float> SpecialFloats() => new()
    {
        { "exp", float.PositiveInfinity, float.PositiveInfinity },
        { "exp", float.NegativeInfinity, 0f },
        { "exp", 0f, 1f },
        { "exp", 89f, float.PositiveInfinity },
        { "exp", -104f, 0f },
        { "tanh", float.PositiveInfinity, 1f },
        { "tanh", float.NegativeInfinity, -1f },
        { "tanh", 20f, 1f },
        { "sigmoid", float.PositiveInfinity, 1f },
        { "sigmoid", float.NegativeInfinity, 0f },
        { "sigmoid", 0f, 0.5f },
        { "softplus", float.PositiveInfinity, float.PositiveInfinity },
        { "softplus", float.NegativeInfinity, 0f },
        { "softplus", 100f, 100f },
        { "elu", float.NegativeInfinity, -1f },
        { "elu", float.PositiveInfinity, float.PositiveInfinity },
        { "selu", float.NegativeInfinity, (float)(-Lambda * Alpha) },
        { "gelu", float.PositiveInfinity, float.PositiveInfinity },
        { "gelu", float.NegativeInfinity, 0f },
        { "gelu", 0f, 0f },
        { "silu", float.PositiveInfinity, float.PositiveInfinity },
        { "silu", float.NegativeInfinity, 0f },
    };

    private static float Scalar(string name, float x) => name switch
    {
        "exp" => VectorMath.Exp(x),
        "tanh" => VectorMath.Tanh(x),
        "sigmoid" => VectorMath.Sigmoid(x),
        "softplus" => VectorMath.Softplus(x),
        "elu" => VectorMath.Elu(x, 1f),
        "selu" => VectorMath.Selu(x),
        "gelu" => VectorMath.Gelu(x),
        _ => VectorMath.Silu(x),
    };

    [Theory]
    [MemberData(nameof(SpecialFloats))]
    public void SpecialValuesGiveTheLimits(string name, float x, float expected)
    {
        Assert.Equal(expected, Scalar(name, x));
        Assert.Equal(expected, Scalar(name, x)); // the scalar form
        Assert.Equal(expected, Widths(name, Vector256.Create(x)).GetElement(3));
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("softplus")]
    [InlineData("elu")]
    [InlineData("selu")]
    [InlineData("gelu")]
    [InlineData("silu")]
    public void NaNStaysNaNAndSignedZeroIsKeptWhereTheFunctionIsOdd(string name)
    {
        Assert.True(float.IsNaN(Scalar(name, float.NaN)));
        Assert.True(float.IsNaN(Scalar(name, -float.NaN)));
        if (name is "tanh" or "elu" or "selu" or "gelu" or "silu")
        {
            Assert.Equal(0f, Scalar(name, -0f));
        }

        Assert.True(float.IsNegative(VectorMath.Tanh(-0f)), "tanh(-0) is -0");
    }

    [Fact]
    public void ExpKeepsSubnormalResults()
    {
        // e^-100 = 3.72e-44, a subnormal float: the nearest floats are 26 and 27 times 2^-149.
        float y = VectorMath.Exp(-100f);
        Assert.InRange(y, 26 * float.Epsilon, 27 * float.Epsilon);
        float big = VectorMath.Exp(88.72283f); // just below ln(float.MaxValue): the largest results stay finite
        Assert.True(float.IsFinite(big) && Math.Abs(big - Math.Exp(88.72283f)) <= 1e-6 * Math.Exp(88.72283f), $"exp(88.72283) = {big}");
    }

    private static Vector256<float> Widths(string name, Vector256<float> x) => name switch
    {
        "exp" => VectorMath.Exp(x),
        "tanh" => VectorMath.Tanh(x),
        "sigmoid" => VectorMath.Sigmoid(x),
        "softplus" => VectorMath.Softplus(x),
        "elu" => VectorMath.Elu(x, 1f),
        "selu" => VectorMath.Selu(x),
        "gelu" => VectorMath.Gelu(x),
        _ => VectorMath.Silu(x),
    };

    [Theory]
    [InlineData("exp")]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("softplus")]
    [InlineData("elu")]
    [InlineData("selu")]
    [InlineData("gelu")]
    [InlineData("silu")]
    public void EveryWidthGivesTheScalarBitsForFloat(string name)
    {
        float[] x = Sample(7).AsSpan(0, 64 * 1024).ToArray();
        for (int i = 0; i + 16 <= x.Length; i += 16)
        {
            Vector128<float> a = Vector128.LoadUnsafe(ref x[i]);
            Vector256<float> b = Vector256.LoadUnsafe(ref x[i]);
            Vector512<float> c = Vector512.LoadUnsafe(ref x[i]);
            var d = new Vector<float>(x, i);
            (Vector128<float> ra, Vector256<float> rb, Vector512<float> rc, Vector<float> rd) = name switch
            {
                "exp" => (VectorMath.Exp(a), VectorMath.Exp(b), VectorMath.Exp(c), VectorMath.Exp(d)),
                "tanh" => (VectorMath.Tanh(a), VectorMath.Tanh(b), VectorMath.Tanh(c), VectorMath.Tanh(d)),
                "sigmoid" => (VectorMath.Sigmoid(a), VectorMath.Sigmoid(b), VectorMath.Sigmoid(c), VectorMath.Sigmoid(d)),
                "softplus" => (VectorMath.Softplus(a), VectorMath.Softplus(b), VectorMath.Softplus(c), VectorMath.Softplus(d)),
                "elu" => (VectorMath.Elu(a, 0.7f), VectorMath.Elu(b, 0.7f), VectorMath.Elu(c, 0.7f), VectorMath.Elu(d, 0.7f)),
                "selu" => (VectorMath.Selu(a), VectorMath.Selu(b), VectorMath.Selu(c), VectorMath.Selu(d)),
                "gelu" => (VectorMath.Gelu(a), VectorMath.Gelu(b), VectorMath.Gelu(c), VectorMath.Gelu(d)),
                _ => (VectorMath.Silu(a), VectorMath.Silu(b), VectorMath.Silu(c), VectorMath.Silu(d)),
            };
            for (int k = 0; k < 16; k++)
            {
                float scalar = name == "elu" ? VectorMath.Elu(x[i + k], 0.7f) : Scalar(name, x[i + k]);
                int want = BitConverter.SingleToInt32Bits(scalar);
                Assert.Equal(want, BitConverter.SingleToInt32Bits(rc.GetElement(k)));
                if (k < 8)
                {
                    Assert.Equal(want, BitConverter.SingleToInt32Bits(rb.GetElement(k)));
                }

                if (k < 4)
                {
                    Assert.Equal(want, BitConverter.SingleToInt32Bits(ra.GetElement(k)));
                }

                if (k < Vector<float>.Count)
                {
                    Assert.Equal(want, BitConverter.SingleToInt32Bits(rd[k]));
                }
            }
        }
    }

    /// <summary>
    /// Double tanh runs e^(-2|x|) - 1 without ELU's steps that cannot change a bit for a non-positive argument (the clamp
    /// at 0, recomputing the biased exponent): it still gives exactly sign(x) (-m / (2 + m)) with m the ELU (alpha 1) of
    /// -2|x|, on a million values and on every value near 0 and near the clamp. Float tanh is a sequence of its own, with
    /// fused multiply-adds: on the same values it stays within its documented 3 ulp of Math.Tanh, keeps the sign of
    /// zero and is exactly ±1 from |x| = 10 on.
    /// </summary>
    [Fact]
    public void TanhNearZeroAndNearTheClampIsTheExpM1Formula()
    {
        var values = new List<float>(Sample(11));
        for (int i = -20000; i <= 20000; i++)
        {
            values.Add(i * 1e-4f);
            values.Add(10f + (i * 1e-4f));
            values.Add(BitConverter.Int32BitsToSingle(Math.Abs(i)));
        }

        double worst = 0;
        float worstX = 0;
        foreach (float x in values)
        {
            float y = VectorMath.Tanh(x);
            (double ulp, _) = FloatError(y, Math.Tanh(x));
            if (ulp > worst)
            {
                worst = ulp;
                worstX = x;
            }

            if (Math.Abs(x) >= 10)
            {
                Assert.Equal(MathF.CopySign(1f, x), y);
            }

            double xd = x * 1.000000123;
            double md = VectorMath.Elu(-2.0 * Math.Abs(xd), 1.0);
            double expectedD = double.IsNaN(xd) ? xd : Math.CopySign((0.0 - md) / (2.0 + md), xd);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expectedD), BitConverter.DoubleToInt64Bits(VectorMath.Tanh(xd)));
        }

        Assert.True(worst <= 3, $"tanh: {worst:0.00} ulp at x = {worstX:R}");
        Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(VectorMath.Tanh(0f)));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(VectorMath.Tanh(-0f)));
        Assert.Equal(BitConverter.SingleToInt32Bits(float.Epsilon), BitConverter.SingleToInt32Bits(VectorMath.Tanh(float.Epsilon)));
    }

    [Fact]
    public void SpansHandleRemaindersInPlaceAndCheckLengths()
    {
        float[] x = Sample(3).AsSpan(0, 37).ToArray();
        float[] copy = (float[])x.Clone();
        VectorMath.Tanh(x, x);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(VectorMath.Tanh(copy[i]), x[i]);
        }

        Assert.Throws<ArgumentException>(() => VectorMath.Tanh(new float[5], new float[4]));
        Assert.Throws<ArgumentException>(() => VectorMath.Exp(new double[5], new double[4]));
    }

    /// <summary>Double: a sampled sweep against Math.* (itself within about 1 ulp), in ulp of double.</summary>
    [Theory]
    [InlineData("exp", 2.0)]
    [InlineData("tanh", 3.0)]
    [InlineData("sigmoid", 3.0)]
    [InlineData("softplus", 5.0)]
    [InlineData("elu", 2.0)]
    [InlineData("selu", 5.0)]
    [InlineData("silu", 3.5)]
    [InlineData("gelu", 3.5)]
    public void DoubleErrorIsWithinTheDocumentedBound(string name, double bound)
    {
        var random = new SeededRandom(99);
        var x = new double[200_000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = i % 10 < 3 ? BitConverter.Int64BitsToDouble((long)random.NextUInt64()) : random.NextUniform(-40, 40);
        }

        var y = new double[x.Length];
        (Action<double[], double[]> apply, Func<double, double> reference, double from) = name switch
        {
            "exp" => ((a, b) => VectorMath.Exp(a, b), Math.Exp, double.NegativeInfinity),
            "tanh" => ((a, b) => VectorMath.Tanh(a, b), Math.Tanh, double.NegativeInfinity),
            "sigmoid" => ((a, b) => VectorMath.Sigmoid(a, b), v => 1 / (1 + Math.Exp(-v)), double.NegativeInfinity),
            "softplus" => ((a, b) => VectorMath.Softplus(a, b), v => Math.Max(v, 0) + Log1P(Math.Exp(-Math.Abs(v))), double.NegativeInfinity),
            "elu" => ((a, b) => VectorMath.Elu(a, b, 1.0), v => v > 0 ? v : ExpM1Double(v), double.NegativeInfinity),
            "selu" => ((a, b) => VectorMath.Selu(a, b), v => v > 0 ? Lambda * v : Lambda * Alpha * ExpM1Double(v), double.NegativeInfinity),
            "silu" => ((a, b) => VectorMath.Silu(a, b), v => double.IsNegativeInfinity(v) ? 0 : v / (1 + Math.Exp(-v)), -700.0),
            _ => (new Action<double[], double[]>((a, b) => VectorMath.Gelu(a, b)), new Func<double, double>(GeluReference), -1.0),
        };
        apply(x, y);
        double worst = 0;
        double worstX = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!(x[i] >= from) && !double.IsNaN(x[i]))
            {
                continue;
            }

            double r = reference(x[i]);
            double ulp = double.IsNaN(r) ? (double.IsNaN(y[i]) ? 0 : double.PositiveInfinity)
                : double.IsInfinity(r) || Math.Abs(r) < 2.2250738585072014e-308 ? (y[i] == r || Math.Abs(y[i] - r) < 1e-300 ? 0 : double.PositiveInfinity)
                : Math.Abs(y[i] - r) / Math.ScaleB(1, Math.ILogB(r) - 52);
            if (ulp > worst)
            {
                worst = ulp;
                worstX = x[i];
            }
        }

        Assert.True(worst <= bound, $"{name}: {worst:0.00} ulp at x = {worstX:R} (bound {bound})");
    }

    /// <summary>e^x - 1 in double without cancellation: a series near 0, else exp - 1 (no float-level shortcut).</summary>
    private static double ExpM1Double(double x)
    {
        if (Math.Abs(x) >= 0.5)
        {
            return Math.Exp(x) - 1;
        }

        // tanh(x/2) identity: e^x - 1 = 2 t / (1 - t), t = tanh(x / 2), with Math.Tanh accurate near 0.
        double t = Math.Tanh(x / 2);
        return 2 * t / (1 - t);
    }
}
