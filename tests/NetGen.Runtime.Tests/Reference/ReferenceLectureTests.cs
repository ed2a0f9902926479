using System;
using NetGen;

namespace NetGen.Runtime.Tests.Reference;

[Network(Precision = Precision.Double)]
[Input(4)]
[Dense(4, Activation.Softmax)]
public partial class RefLectureSoftmax { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1, Activation.Sigmoid)]
public partial class RefLectureSigmoid { }

[Network(Precision = Precision.Double)]
[Input(1)]
[Dense(1, Activation.Tanh)]
public partial class RefLectureTanh { }

/// <summary>The lecture numbers through generated inference code, against the printed values and PyTorch's.</summary>
public class ReferenceLectureTests
{
    [Fact]
    public void SoftmaxOfTheLectureLogits()
    {
        // Identity weight, zero bias: the layer's pre-activation is the input itself.
        var net = new RefLectureSoftmax();
        net.Parameters.Clear();
        for (int i = 0; i < 4; i++)
        {
            net.Parameters[(i * 4) + i] = 1;
        }

        ReferenceLecture lecture = ReferenceData.Lecture;
        Assert.Equal(new[] { 1.1, 2.2, 0.2, -1.7 }, lecture.SoftmaxInputs);
        double[] p = new double[4];
        net.Predict(lecture.SoftmaxInputs, p);

        // The lecture prints {0.224, 0.672, 0.091, 0.013}. The last is 0.01360 truncated (rounded it is 0.014), so
        // "to 3 decimals" is checked as |p - printed| < 1e-3 rather than by rounding.
        double[] printed = { 0.224, 0.672, 0.091, 0.013 };
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(printed[i], p[i], 1e-3);
            Assert.Equal(lecture.SoftmaxOutputs[i], p[i], 1e-6);
        }

        Assert.Equal(1.0, p[0] + p[1] + p[2] + p[3], 1e-15);
    }

    [Fact]
    public void SigmoidSlopeAtZeroFromTheGeneratedForwardPass()
    {
        double slope = CentralDifferenceAtZero(new RefLectureSigmoid());
        Assert.Equal(0.25, ReferenceData.Lecture.SigmoidDerivativeAtZero);
        Assert.Equal(ReferenceData.Lecture.SigmoidDerivativeAtZero, slope, 1e-9);
    }

    [Fact]
    public void TanhSlopeAtZeroFromTheGeneratedForwardPass()
    {
        double slope = CentralDifferenceAtZero(new RefLectureTanh());
        Assert.Equal(1.0, ReferenceData.Lecture.TanhDerivativeAtZero);
        Assert.Equal(ReferenceData.Lecture.TanhDerivativeAtZero, slope, 1e-9);
    }

    /// <summary>(f(h) - f(-h)) / 2h through a one-unit network with w = 1, b = 0: error O(h²) + rounding, about 1e-11.</summary>
    private static double CentralDifferenceAtZero(INeuralNetwork<double> unit)
    {
        unit.Parameters[0] = 1;
        unit.Parameters[1] = 0;
        const double h = 1e-5;
        double[] above = new double[1], below = new double[1];
        unit.Predict(new[] { h }, above);
        unit.Predict(new[] { -h }, below);
        return (above[0] - below[0]) / (2 * h);
    }
}
