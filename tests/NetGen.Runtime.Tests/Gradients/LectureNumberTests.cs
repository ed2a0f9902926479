using System;
using NetGen;

namespace NetGen.Runtime.Tests.Gradients;

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(1)]
[Dense(1, Activation.Sigmoid)]
public partial class OneSigmoidUnit { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(1)]
[Dense(1, Activation.Tanh)]
public partial class OneTanhUnit { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)]
[Input(2)]
[Dense(2, Activation.Softmax)]
public partial class TwoClassSoftmax { }

/// <summary>The numbers from the lecture material behind NetGen, computed by the generated code.</summary>
public class LectureNumberTests
{
    /// <summary>
    /// With w = 1, b = 0 and x = z, MSE against t = y - 1/2 gives dL/db = 2 (y - t) f'(z) = f'(z): the generated
    /// backward pass reports the activation's derivative at z.
    /// </summary>
    private static double DerivativeAt(ITrainableNetwork<double> unit, double z)
    {
        unit.Parameters[0] = 1; // w
        unit.Parameters[1] = 0; // b
        double[] y = new double[1];
        unit.Predict(new[] { z }, y);
        double[] gradient = new double[2];
        unit.ComputeGradients(new[] { z }, new[] { y[0] - 0.5 }, gradient);
        return gradient[1];
    }

    private static (double ArgMax, double Max) Peak(ITrainableNetwork<double> unit)
    {
        (double argMax, double max) = (double.NaN, double.NegativeInfinity);
        for (int i = -400; i <= 400; i++)
        {
            double z = i / 100.0, d = DerivativeAt(unit, z);
            if (d > max)
            {
                (argMax, max) = (z, d);
            }
        }

        return (argMax, max);
    }

    [Fact]
    public void SigmoidDerivativePeaksAtAQuarterAtZero()
    {
        (double argMax, double max) = Peak(new OneSigmoidUnit());
        Assert.Equal(0.0, argMax);
        Assert.Equal(0.25, max, 15);
        double s = 1 / (1 + Math.Exp(-2.0));
        Assert.Equal(s * (1 - s), DerivativeAt(new OneSigmoidUnit(), 2.0), 15);
    }

    [Fact]
    public void TanhDerivativePeaksAtOneAtZero()
    {
        (double argMax, double max) = Peak(new OneTanhUnit());
        Assert.Equal(0.0, argMax);
        Assert.Equal(1.0, max, 15);
        Assert.Equal(1 - (Math.Tanh(1.5) * Math.Tanh(1.5)), DerivativeAt(new OneTanhUnit(), 1.5), 15);
    }

    [Fact]
    public void CrossEntropyOfPAgainstQIsPointNineEightFourNatsOrOnePointFourTwoBits()
    {
        // The network predicts p = {0.9, 0.1}; the true distribution is q = {0.6, 0.4}: H(q, p) = -Σ q ln p.
        // With the identity weight and zero bias, inputs ln p make the softmax output exactly p.
        var net = new TwoClassSoftmax();
        net.Parameters.Clear();
        net.Parameters[0] = 1; // W[0, 0]
        net.Parameters[3] = 1; // W[1, 1]
        double[] input = { Math.Log(0.9), Math.Log(0.1) };
        double[] p = new double[2];
        net.Predict(input, p);
        Assert.Equal(0.9, p[0], 15);
        Assert.Equal(0.1, p[1], 15);

        double nats = net.ComputeGradients(input, new[] { 0.6, 0.4 }, new double[TwoClassSoftmax.ParameterCount]);
        Assert.Equal(0.984, nats, 3);
        Assert.Equal(1.42, nats / Math.Log(2), 2);
        Assert.Equal(-((0.6 * Math.Log(0.9)) + (0.4 * Math.Log(0.1))), nats, 14);
    }
}
