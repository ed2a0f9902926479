using System;
using NetGen;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>The vectorised optimizer loops give exactly what the scalar loops give, element by element.</summary>
public class OptimizerKernelTests
{
    private const int Count = 1003; // whole vectors and a tail at every width

    private static (double[] P, double[] G) State(int seed)
    {
        var random = new SeededRandom(seed);
        double[] p = new double[Count], g = new double[Count];
        for (int i = 0; i < Count; i++)
        {
            p[i] = random.NextNormal();
            g[i] = 0.1 * random.NextNormal();
        }

        return (p, g);
    }

    [Theory]
    [InlineData(false, 0.0)]
    [InlineData(false, 0.01)]
    [InlineData(true, 0.01)]
    [Trait("Category", "VectorWidth")]
    public void AdamAndAdamWMatchTheScalarLoopBitForBit(bool decoupled, double weightDecay)
    {
        (double[] p, double[] g) = State(1);
        double[] q = (double[])p.Clone();
        double[] m1 = new double[Count], v1 = new double[Count], m2 = new double[Count], v2 = new double[Count];
        for (int step = 1; step <= 3; step++)
        {
            Optimizers.Adam<double>(p, g, m1, v1, 0.01, 0.9, 0.999, 1e-8, weightDecay, decoupled, step);
            for (int i = 0; i < Count; i++)
            {
                Optimizers.Adam<double>(q.AsSpan(i, 1), g.AsSpan(i, 1), m2.AsSpan(i, 1), v2.AsSpan(i, 1), 0.01, 0.9, 0.999, 1e-8, weightDecay, decoupled, step);
            }
        }

        Assert.Equal(q, p);
        Assert.Equal(m2, m1);
        Assert.Equal(v2, v1);
    }

    [Fact]
    [Trait("Category", "VectorWidth")]
    public void AdamStoresASubnormalMomentAsAZeroOfItsSign()
    {
        // Moments that decay (g = 0) from just above the smallest normal float (2^-126 = 1.1755e-38), from well above
        // it, from a subnormal, and zeros; vector lanes and the scalar tail alike.
        float[] starts = [1.2e-38f, -1.2e-38f, 1e-30f, -1e-30f, 1e-40f, -1e-40f, 0f, -0f];
        float[] p = new float[Count], g = new float[Count], m = new float[Count], v = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            p[i] = 0.5f + (i * 1e-3f);
            m[i] = starts[i % starts.Length];
            v[i] = i % 3 == 0 ? 1.176e-38f : 1e-6f; // 0.999 · 1.176e-38 is subnormal
        }

        float[] m0 = (float[])m.Clone(), v0 = (float[])v.Clone(), p0 = (float[])p.Clone();
        Optimizers.Adam<float>(p, g, m, v, 0.001f, 0.9f, 0.999f, 1e-8f, 0f, false, 5);
        for (int i = 0; i < Count; i++)
        {
            float decayedM = (0.9f * m0[i]) + (0.1f * 0f), decayedV = (0.999f * v0[i]) + (0.001f * 0f * 0f);
            float wantM = MathF.Abs(decayedM) < 1.17549435e-38f ? MathF.CopySign(0f, decayedM) : decayedM;
            float wantV = decayedV < 1.17549435e-38f ? 0f : decayedV;
            Assert.Equal(BitConverter.SingleToInt32Bits(wantM), BitConverter.SingleToInt32Bits(m[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(wantV), BitConverter.SingleToInt32Bits(v[i]));
            Assert.False(float.IsSubnormal(m[i]) || float.IsSubnormal(v[i]));
            if (wantM == 0)
            {
                Assert.Equal(p0[i], p[i]); // a zero moment does not move the parameter
            }
        }

        Assert.Equal(0f, m[0]); // 0.9 · 1.2e-38 = 1.08e-38, subnormal
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(m[1]));
        Assert.Equal(0.9f * 1e-30f, m[2]);
        Assert.Equal(0f, v[0]);
        Assert.Equal(0.999f * 1e-6f, v[1]);

        // double: the smallest normal is 2^-1022.
        double[] pd = [1.0, 1.0, 1.0], gd = [0, 0, 0], md = [2.3e-308, 1e-300, -2.3e-308], vd = [1e-6, 1e-6, 1e-6];
        Optimizers.Adam<double>(pd, gd, md, vd, 0.001, 0.9, 0.999, 1e-8, 0, false, 5);
        Assert.Equal(0.0, md[0]);
        Assert.Equal(0.9 * 1e-300, md[1]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(md[2]));
        Assert.Equal(1.0, pd[0]);
    }

    [Fact]
    [Trait("Category", "VectorWidth")]
    public void SgdStoresASubnormalVelocityAsAZeroOfItsSign()
    {
        // Velocities that decay (g = 0, μ = 0.9) from just above the smallest normal float, from well above it, from a
        // subnormal, and zeros; vector lanes and the scalar tail alike.
        float[] starts = [1.2e-38f, -1.2e-38f, 1e-30f, -1e-30f, 1e-40f, -1e-40f, 0f, -0f];
        float[] p = new float[Count], g = new float[Count], b = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            p[i] = 0.5f + (i * 1e-3f);
            b[i] = starts[i % starts.Length];
        }

        float[] b0 = (float[])b.Clone(), p0 = (float[])p.Clone();
        Optimizers.Sgd<float>(p, g, b, 0.1f, 0.9f, 0f, nesterov: false, firstStep: false);
        for (int i = 0; i < Count; i++)
        {
            float decayed = (0.9f * b0[i]) + 0f;
            float want = MathF.Abs(decayed) < 1.17549435e-38f ? MathF.CopySign(0f, decayed) : decayed;
            Assert.Equal(BitConverter.SingleToInt32Bits(want), BitConverter.SingleToInt32Bits(b[i]));
            Assert.Equal(p0[i] - (0.1f * want), p[i]);
        }

        Assert.Equal(0f, b[0]); // 0.9 · 1.2e-38 = 1.08e-38, subnormal
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(b[1]));
        Assert.Equal(0.9f * 1e-30f, b[2]);
        Assert.Equal(p0[0], p[0]);

        // The first step stores the gradient itself: a subnormal gradient is stored as a zero too.
        float[] q = [1f, 1f], h = [1e-39f, -2e-30f], c = new float[2];
        Optimizers.Sgd<float>(q, h, c, 0.1f, 0.9f, 0f, nesterov: false, firstStep: true);
        Assert.Equal(0f, c[0]);
        Assert.Equal(-2e-30f, c[1]);

        // double: the smallest normal is 2^-1022.
        double[] pd = [1.0, 1.0, 1.0], gd = [0, 0, 0], bd = [2.3e-308, 1e-300, -2.3e-308];
        Optimizers.Sgd<double>(pd, gd, bd, 0.1, 0.9, 0, nesterov: true, firstStep: false);
        Assert.Equal(0.0, bd[0]);
        Assert.Equal(0.9 * 1e-300, bd[1]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(bd[2]));
        Assert.Equal(1.0, pd[0]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    [Trait("Category", "VectorWidth")]
    public void RmsPropStoresASubnormalAverageAsAZeroOfItsSign(double momentum)
    {
        // Square averages that decay (g = 0, α = 0.99) into subnormals and others that stay normal; with momentum,
        // buffers that decay (μ = 0.9) into subnormals too.
        float[] p = new float[Count], g = new float[Count], s = new float[Count], b = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            p[i] = 0.5f + (i * 1e-3f);
            s[i] = i % 3 == 0 ? 1.18e-38f : i % 3 == 1 ? 1e-6f : 1e-41f; // 0.99 · 1.18e-38 is subnormal
            b[i] = i % 2 == 0 ? 1.2e-38f : -1e-20f;
        }

        float[] s0 = (float[])s.Clone(), b0 = (float[])b.Clone(), p0 = (float[])p.Clone();
        float mu = (float)momentum;
        Optimizers.RmsProp<float>(p, g, s, b, 0.01f, 0.99f, 1e-8f, 0f, mu);
        for (int i = 0; i < Count; i++)
        {
            float decayed = (0.99f * s0[i]) + (0.01f * 0f * 0f);
            float want = decayed < 1.17549435e-38f ? 0f : decayed;
            Assert.Equal(BitConverter.SingleToInt32Bits(want), BitConverter.SingleToInt32Bits(s[i]));
            if (mu != 0)
            {
                float decayedB = (mu * b0[i]) + 0f;
                float wantB = MathF.Abs(decayedB) < 1.17549435e-38f ? MathF.CopySign(0f, decayedB) : decayedB;
                Assert.Equal(BitConverter.SingleToInt32Bits(wantB), BitConverter.SingleToInt32Bits(b[i]));
                Assert.Equal(p0[i] - (0.01f * wantB), p[i]);
            }
            else
            {
                Assert.Equal(p0[i], p[i]); // g = 0 moves nothing
                Assert.Equal(b0[i], b[i]); // and the unused buffer is not written
            }
        }

        Assert.Equal(0f, s[0]);
        Assert.Equal(0.99f * 1e-6f, s[1]);
        Assert.Equal(0f, s[2]);
    }

    [Theory]
    [InlineData(0.0, false, 0.0)]
    [InlineData(0.9, false, 0.0)]
    [InlineData(0.9, true, 0.01)]
    [Trait("Category", "VectorWidth")]
    public void SgdMatchesTheScalarLoopBitForBit(double momentum, bool nesterov, double weightDecay)
    {
        (double[] p, double[] g) = State(2);
        double[] q = (double[])p.Clone();
        double[] b1 = new double[Count], b2 = new double[Count];
        for (int step = 1; step <= 3; step++)
        {
            Optimizers.Sgd<double>(p, g, b1, 0.1, momentum, weightDecay, nesterov, step == 1);
            for (int i = 0; i < Count; i++)
            {
                Optimizers.Sgd<double>(q.AsSpan(i, 1), g.AsSpan(i, 1), b2.AsSpan(i, 1), 0.1, momentum, weightDecay, nesterov, step == 1);
            }
        }

        Assert.Equal(q, p);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.01)]
    [Trait("Category", "VectorWidth")]
    public void RmsPropMatchesTheScalarLoopBitForBit(double momentum, double weightDecay)
    {
        (double[] p, double[] g) = State(3);
        double[] q = (double[])p.Clone();
        double[] s1 = new double[Count], s2 = new double[Count], b1 = new double[Count], b2 = new double[Count];
        for (int step = 1; step <= 3; step++)
        {
            Optimizers.RmsProp<double>(p, g, s1, b1, 0.01, 0.99, 1e-8, weightDecay, momentum);
            for (int i = 0; i < Count; i++)
            {
                Optimizers.RmsProp<double>(q.AsSpan(i, 1), g.AsSpan(i, 1), s2.AsSpan(i, 1), b2.AsSpan(i, 1), 0.01, 0.99, 1e-8, weightDecay, momentum);
            }
        }

        Assert.Equal(q, p);
    }
}
