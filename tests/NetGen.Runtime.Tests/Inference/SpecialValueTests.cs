using System;
using NetGen;

namespace NetGen.Runtime.Tests.Inference;

// One unit, weight 1, no bias: the output is f(x). Alpha is each activation's default.
[Input(1)] [Dense(1, Activation.Linear, Bias = false)] public partial class OneLinear { }
[Input(1)] [Dense(1, Activation.Sigmoid, Bias = false)] public partial class OneSigmoid { }
[Input(1)] [Dense(1, Activation.Tanh, Bias = false)] public partial class OneTanh { }
[Input(1)] [Dense(1, Activation.ReLU, Bias = false)] public partial class OneReLU { }
[Input(1)] [Dense(1, Activation.LeakyReLU, Bias = false)] public partial class OneLeakyReLU { }
[Input(1)] [Dense(1, Activation.PReLU, Bias = false)] public partial class OnePReLU { }
[Input(1)] [Dense(1, Activation.ELU, Bias = false)] public partial class OneELU { }
[Input(1)] [Dense(1, Activation.SELU, Bias = false)] public partial class OneSELU { }
[Input(1)] [Dense(1, Activation.Softplus, Bias = false)] public partial class OneSoftplus { }
[Input(1)] [Dense(1, Activation.GELU, Bias = false)] public partial class OneGELU { }
[Input(1)] [Dense(1, Activation.SiLU, Bias = false)] public partial class OneSiLU { }
[Input(1)] [Dense(1, Activation.PiecewiseLinear, Bias = false)] public partial class OnePiecewiseLinear { }
[Input(1)] [Dense(1, Activation.Step, Bias = false)] public partial class OneStep { }
[Input(1)] [Dense(1, Activation.Sign, Bias = false)] public partial class OneSign { }

/// <summary>
/// The vector activations of the packed kernel on infinities, NaN, ±0 and ±1, in Predict and in PredictBatch's
/// 6-row tile and leftover rows, against the functions' definitions (their limits at ±∞).
/// </summary>
public class SpecialValueTests
{
    private static readonly float[] Inputs = { float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f, 1f, -1f };

    private static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + (0.044715 * x * x * x))));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static TheoryData<string> Names => new()
    {
        "Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "PReLU", "ELU", "SELU", "Softplus", "GELU", "SiLU", "PiecewiseLinear", "Step", "Sign",
    };

    private static (INeuralNetwork<float> Net, double[] Expected) Case(string name) => name switch
    {
        "Linear" => (new OneLinear(), new[] { double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0, 0, 1, -1 }),
        "Sigmoid" => (new OneSigmoid(), new[] { 1, 0, double.NaN, 0.5, 0.5, Sigmoid(1), Sigmoid(-1) }),
        "Tanh" => (new OneTanh(), new[] { 1, -1, double.NaN, 0, 0, Math.Tanh(1), -Math.Tanh(1) }),
        "ReLU" => (new OneReLU(), new[] { double.PositiveInfinity, 0, double.NaN, 0, 0, 1, 0 }),
        "LeakyReLU" => (new OneLeakyReLU(), new[] { double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0, 0, 1, -0.01 }),
        "PReLU" => (new OnePReLU(), new[] { double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0, 0, 1, -0.25 }),
        "ELU" => (new OneELU(), new[] { double.PositiveInfinity, -1, double.NaN, 0, 0, 1, Math.Exp(-1) - 1 }),
        "SELU" => (new OneSELU(), new[] { double.PositiveInfinity, -1.7580993408473766, double.NaN, 0, 0, 1.0507009873554805, 1.7580993408473766 * (Math.Exp(-1) - 1) }),
        "Softplus" => (new OneSoftplus(), new[] { double.PositiveInfinity, 0, double.NaN, Math.Log(2), Math.Log(2), Math.Log(1 + Math.E), Math.Log(1 + Math.Exp(-1)) }),
        "GELU" => (new OneGELU(), new[] { double.PositiveInfinity, 0, double.NaN, 0, 0, Gelu(1), Gelu(-1) }),
        "SiLU" => (new OneSiLU(), new[] { double.PositiveInfinity, 0, double.NaN, 0, 0, Sigmoid(1), -Sigmoid(-1) }),
        "PiecewiseLinear" => (new OnePiecewiseLinear(), new[] { 1, 0, double.NaN, 0.5, 0.5, 1, 0 }),
        "Step" => (new OneStep(), new[] { 1, 0, 0.5, 0.5, 0.5, 1, 0 }), // NaN is neither above nor below zero
        "Sign" => (new OneSign(), new[] { 1, -1, double.NaN, 0, 0, 1, -1 }),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Names))]
    [Trait("Category", "VectorWidth")]
    public void PredictAndPredictBatchGiveTheDefinitionsAtTheEdges(string name)
    {
        (INeuralNetwork<float> net, double[] expected) = Case(name);
        net.Parameters[0] = 1; // the one weight (PReLU's slope follows it, at its default 0.25)

        // Predict, row by row.
        float[] one = new float[1];
        for (int i = 0; i < Inputs.Length; i++)
        {
            net.Predict(Inputs.AsSpan(i, 1), one);
            AssertClose(expected[i], one[0], $"{name} Predict({Inputs[i]})");
        }

        // PredictBatch: the seven rows are one 6-row tile and one leftover row; repeated twice, 14 rows.
        float[] inputs = new float[2 * Inputs.Length], outputs = new float[inputs.Length];
        Inputs.CopyTo(inputs, 0);
        Inputs.CopyTo(inputs, Inputs.Length);
        net.PredictBatch(inputs, outputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            AssertClose(expected[i % Inputs.Length], outputs[i], $"{name} PredictBatch row {i} ({inputs[i]})");
        }
    }

    private static void AssertClose(double expected, float actual, string what)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals((double)actual), $"{what}: expected {expected}, got {actual}");
            return;
        }

        Assert.True(Math.Abs(actual - expected) <= 4e-7 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected}, got {actual}");
    }
}
