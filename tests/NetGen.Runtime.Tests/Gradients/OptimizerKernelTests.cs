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
