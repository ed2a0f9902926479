using System;
using NetGen;

namespace NetGen.Runtime.Tests;

public class SeededRandomTests
{
    [Fact]
    public void SameSeedAndStreamGiveTheSameSequence()
    {
        var a = new SeededRandom(7, stream: 3);
        var b = new SeededRandom(7, stream: 3);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
    }

    [Fact]
    public void DifferentStreamsDiffer()
    {
        var a = new SeededRandom(7, stream: 1);
        var b = new SeededRandom(7, stream: 2);
        Assert.NotEqual(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void UniformDrawsHaveTheMomentsOfU01()
    {
        var random = new SeededRandom(1);
        const int n = 200_000;
        double sum = 0, sumSquares = 0;
        for (int i = 0; i < n; i++)
        {
            double u = random.NextDouble();
            Assert.InRange(u, 0.0, 1.0 - double.Epsilon);
            sum += u;
            sumSquares += u * u;
        }

        double mean = sum / n, variance = (sumSquares / n) - (mean * mean);
        // Standard error of the mean: sqrt(1/12 / n) = 6.5e-4; allow five of them.
        Assert.InRange(mean, 0.5 - 0.0033, 0.5 + 0.0033);
        Assert.InRange(variance, (1.0 / 12) - 0.002, (1.0 / 12) + 0.002);
    }

    [Fact]
    public void NormalDrawsHaveMeanZeroAndVarianceOne()
    {
        var random = new SeededRandom(2);
        const int n = 200_000;
        double sum = 0, sumSquares = 0;
        for (int i = 0; i < n; i++)
        {
            double z = random.NextNormal();
            sum += z;
            sumSquares += z * z;
        }

        double mean = sum / n, variance = (sumSquares / n) - (mean * mean);
        Assert.InRange(mean, -0.012, 0.012);       // 5 standard errors (1/sqrt(n) = 2.2e-3)
        Assert.InRange(variance, 0.985, 1.015);
    }

    [Fact]
    public void NextIntStaysInRangeAndHitsEveryValue()
    {
        var random = new SeededRandom(3);
        var seen = new bool[7];
        for (int i = 0; i < 1000; i++)
        {
            int k = random.NextInt(7);
            Assert.InRange(k, 0, 6);
            seen[k] = true;
        }

        Assert.All(seen, Assert.True);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeededRandom(0).NextInt(0));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    [InlineData(1e-300)]
    [InlineData(3.7e12)]
    [InlineData(1.4142135623730951)]
    [InlineData(0.7071067811865476)]
    [InlineData(5e-324)]
    public void PortableLogAgreesWithMathLog(double x)
    {
        double expected = Math.Log(x);
        double actual = PortableMath.Log(x);
        // A few units in the last place; near x = 1, where ln x is near 0, an absolute 1e-16.
        Assert.True(Math.Abs(actual - expected) <= 1e-15 * Math.Max(1, Math.Abs(expected)), $"ln({x}): {actual} vs {expected}");
    }
}
