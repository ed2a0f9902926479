using System;
using Xunit;

namespace NetGen.Runtime.Tests.Misuse;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.05)]
[Input(3)]
[Dense(2, Activation.Linear)]
public partial class LearningRateSetterNet { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, Precision = Precision.Double)]
[Input(3)]
[Dense(2, Activation.Linear)]
public partial class LearningRateSetterDoubleNet { }

/// <summary>The generated LearningRate setter refuses values an optimizer cannot use and keeps the old rate.</summary>
public sealed class LearningRateSetterTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(-1e-3f)]
    public void A_rate_that_is_negative_or_not_finite_throws_and_leaves_the_rate_unchanged(float bad)
    {
        var net = new LearningRateSetterNet(seed: 1);
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => net.LearningRate = bad);
        Assert.Contains("finite and not negative", error.Message);
        Assert.Equal(0.05f, net.LearningRate);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-2.0)]
    public void The_double_network_refuses_the_same_values(double bad)
    {
        var net = new LearningRateSetterDoubleNet(seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.LearningRate = bad);
        Assert.Equal(1e-3, net.LearningRate);
    }

    [Fact]
    public void Zero_and_large_finite_rates_are_accepted_because_schedules_reach_them()
    {
        var net = new LearningRateSetterNet(seed: 1);
        net.LearningRate = 0f;
        Assert.Equal(0f, net.LearningRate);
        net.LearningRate = 1e30f;
        Assert.Equal(1e30f, net.LearningRate);
    }
}
