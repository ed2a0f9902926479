using System;
using System.Collections.Generic;
using NetGen;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// ComputeGradients against central finite differences of the loss, in double: every trainable activation with every
/// loss, and deep networks. Each parameter's analytic and numeric derivative must agree to a relative 1e-6.
/// </summary>
public class GradientCheckTests
{
    private const int Rows = 4;
    private const double Step = 1e-6;

    public static TheoryData<string> ActivationLossNetworks()
    {
        var data = new TheoryData<string>();
        foreach (Type type in typeof(GradientCheckTests).Assembly.GetTypes())
        {
            if (type.Namespace == typeof(GradientCheckTests).Namespace && type.Name.StartsWith("Grad", StringComparison.Ordinal)
                && typeof(ITrainableNetwork<double>).IsAssignableFrom(type))
            {
                data.Add(type.Name);
            }
        }

        return data;
    }

    [Fact]
    public void EveryActivationMeetsEveryLoss()
    {
        // 12 element-wise activations plus Softmax, times 5 losses, plus the 3 deep networks.
        Assert.Equal((13 * 5) + 3, ActivationLossNetworks().Count);
    }

    [Theory]
    [MemberData(nameof(ActivationLossNetworks))]
    public void AnalyticGradientsMatchFiniteDifferences(string networkName)
    {
        ITrainableNetwork<double> net = Create(networkName);
        (double[] inputs, double[] targets) = MakeBatch(net, seed: 11);
        double[] analytic = new double[net.ParameterCount];
        double loss = net.ComputeGradients(inputs, targets, analytic);
        Assert.True(double.IsFinite(loss) && loss >= 0, $"loss {loss}");

        double[] numeric = FiniteDifferences(net, inputs, targets);
        for (int i = 0; i < analytic.Length; i++)
        {
            double error = Math.Abs(analytic[i] - numeric[i]);
            double scale = Math.Abs(analytic[i]) + Math.Abs(numeric[i]);
            Assert.True(error <= (1e-6 * scale) + 1e-9,
                $"{networkName}: parameter {i} ({Describe(net.Info, i)}): analytic {analytic[i]:R}, numeric {numeric[i]:R}, relative error {error / Math.Max(scale, 1e-300):E2}");
        }

        // The check is meaningful only if gradients are not all zero.
        Assert.Contains(analytic, g => Math.Abs(g) > 1e-6);
    }

    [Theory]
    [MemberData(nameof(ActivationLossNetworks))]
    public void ComputeGradientsLeavesParametersUnchanged(string networkName)
    {
        ITrainableNetwork<double> net = Create(networkName);
        (double[] inputs, double[] targets) = MakeBatch(net, seed: 5);
        double[] before = net.Parameters.ToArray();
        net.ComputeGradients(inputs, targets, new double[net.ParameterCount]);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    internal static ITrainableNetwork<double> Create(string networkName)
    {
        Type type = typeof(GradientCheckTests).Assembly.GetType($"{typeof(GradientCheckTests).Namespace}.{networkName}", throwOnError: true)!;
        var net = (ITrainableNetwork<double>)Activator.CreateInstance(type, 3)!;

        // Biases start at zero; give every parameter a random value so that bias and slope paths are exercised.
        var random = new SeededRandom(17);
        Span<double> parameters = net.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = 0.6 * random.NextNormal();
        }

        return net;
    }

    /// <summary>Inputs ~ N(0, 1); targets that fit the loss: N(0, 1), probabilities in (0, 1), or one-hot and soft class rows.</summary>
    internal static (double[] Inputs, double[] Targets) MakeBatch(INeuralNetwork<double> net, int seed)
    {
        var random = new SeededRandom(seed);
        double[] inputs = new double[Rows * net.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextNormal();
        }

        double[] targets = new double[Rows * net.OutputSize];
        for (int row = 0; row < Rows; row++)
        {
            Span<double> t = targets.AsSpan(row * net.OutputSize, net.OutputSize);
            switch (net.Info.Loss)
            {
                case Loss.CrossEntropy when row % 2 == 0:
                    t[random.NextInt(t.Length)] = 1; // one-hot
                    break;
                case Loss.CrossEntropy:
                    double sum = 0; // a soft target row that sums to 1
                    for (int k = 0; k < t.Length; k++)
                    {
                        sum += t[k] = 0.1 + random.NextDouble();
                    }

                    for (int k = 0; k < t.Length; k++)
                    {
                        t[k] /= sum;
                    }

                    break;
                case Loss.BinaryCrossEntropy:
                    for (int k = 0; k < t.Length; k++)
                    {
                        t[k] = random.NextDouble();
                    }

                    break;
                default:
                    for (int k = 0; k < t.Length; k++)
                    {
                        t[k] = random.NextNormal();
                    }

                    break;
            }
        }

        return (inputs, targets);
    }

    private static double[] FiniteDifferences(ITrainableNetwork<double> net, double[] inputs, double[] targets)
    {
        double[] scratch = new double[net.ParameterCount];
        double[] numeric = new double[net.ParameterCount];
        Span<double> parameters = net.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            double original = parameters[i];
            parameters[i] = original + Step;
            double plus = net.ComputeGradients(inputs, targets, scratch);
            parameters[i] = original - Step;
            double minus = net.ComputeGradients(inputs, targets, scratch);
            parameters[i] = original;
            numeric[i] = (plus - minus) / (2 * Step);
        }

        return numeric;
    }

    private static string Describe(NetworkInfo info, int parameter)
    {
        for (int k = 0; k < info.Layers.Count; k++)
        {
            LayerInfo layer = info.Layers[k];
            if (layer.Kind != LayerKind.Dense || parameter < layer.WeightOffset || parameter >= layer.WeightOffset + layer.ParameterCount)
            {
                continue;
            }

            int local = parameter - layer.WeightOffset;
            string part = local < layer.InputSize * layer.Units ? $"W[{local / layer.InputSize}, {local % layer.InputSize}]"
                : parameter == layer.SlopeOffset ? "PReLU slope"
                : $"b[{parameter - layer.BiasOffset}]";
            return $"layer {k + 1} {layer.Activation} {part}";
        }

        return "?";
    }
}
