using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen;

namespace NetGen.Runtime.Tests.Reference;

/// <summary>
/// The generated forward pass against PyTorch (tests/reference/*.json), and the declarations against the JSON
/// descriptions, so that neither can drift from the other without a failing test.
/// </summary>
public class ReferenceNetworkTests
{
    public static TheoryData<string> DoubleCases
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (ReferenceCase c in ReferenceData.Cases)
            {
                names.Add(c.Name);
            }

            return names;
        }
    }

    public static TheoryData<string> SingleCases
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (string name in ReferenceNetworks.Single.Keys.OrderBy(name => name, StringComparer.Ordinal))
            {
                names.Add(name);
            }

            return names;
        }
    }

    [Theory]
    [MemberData(nameof(DoubleCases))]
    [Trait("Category", "VectorWidth")]
    public void DoubleForwardPassMatchesPyTorch(string name)
    {
        ReferenceCase reference = ReferenceData.Case(name);
        INeuralNetwork<double> net = ReferenceNetworks.CreateDouble(name);
        Assert.Equal(reference.ParameterCount, net.Parameters.Length);
        reference.Parameters.CopyTo(net.Parameters);

        double[] outputs = new double[reference.Rows * reference.OutputSize];
        net.PredictBatch(reference.Inputs, outputs);
        ReferenceAssert.Close(reference.Outputs, outputs, ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, $"{name}: PredictBatch");

        double[] row = new double[reference.OutputSize];
        for (int r = 0; r < reference.Rows; r++)
        {
            net.Predict(reference.Inputs.AsSpan(r * reference.InputSize, reference.InputSize), row);
            ReferenceAssert.Close(
                reference.Outputs.AsSpan(r * reference.OutputSize, reference.OutputSize), row,
                ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, $"{name}: Predict, row {r}");
        }
    }

    [Theory]
    [MemberData(nameof(SingleCases))]
    [Trait("Category", "VectorWidth")]
    public void SingleForwardPassMatchesPyTorch(string name)
    {
        ReferenceCase reference = ReferenceData.Case(name);
        INeuralNetwork<float> net = ReferenceNetworks.CreateSingle(name);
        Assert.Equal(reference.ParameterCount, net.Parameters.Length);
        ReferenceCase.ToSingle(reference.Parameters).CopyTo(net.Parameters);

        float[] outputs = new float[reference.Rows * reference.OutputSize];
        net.PredictBatch(ReferenceCase.ToSingle(reference.Inputs), outputs);
        ReferenceAssert.Close(reference.Outputs, outputs, ReferenceAssert.SingleRelative, ReferenceAssert.SingleAbsolute, $"{name} (float): PredictBatch");
    }

    [Theory]
    [MemberData(nameof(DoubleCases))]
    public void DoubleDeclarationMatchesTheReferenceDescription(string name)
    {
        INeuralNetwork<double> net = ReferenceNetworks.CreateDouble(name);
        AssertDescribes(ReferenceData.Case(name), net.Info, Precision.Double, net.InputSize, net.OutputSize, net.ParameterCount, net.Parameters.Length);
    }

    [Theory]
    [MemberData(nameof(SingleCases))]
    public void SingleDeclarationMatchesTheReferenceDescription(string name)
    {
        INeuralNetwork<float> net = ReferenceNetworks.CreateSingle(name);
        AssertDescribes(ReferenceData.Case(name), net.Info, Precision.Single, net.InputSize, net.OutputSize, net.ParameterCount, net.Parameters.Length);
    }

    [Fact]
    public void EveryReferenceCaseHasExactlyOneDeclaredNetwork()
    {
        string[] cases = ReferenceData.Cases.Select(c => c.Name).ToArray();
        Assert.Equal(cases.Length, cases.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(cases.OrderBy(n => n, StringComparer.Ordinal), ReferenceNetworks.Double.Keys.OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(ReferenceNetworks.Single.Keys, name => Assert.Contains(name, cases));
        Assert.True(ReferenceNetworks.Single.Count >= 5, "a few cases have single-precision twins");
    }

    [Fact]
    public void EveryReferenceFileIsRead()
    {
        string[] files = Directory.GetFiles(ReferenceData.Folder, "*.json").Select(Path.GetFileName).OfType<string>()
            .OrderBy(n => n, StringComparer.Ordinal).ToArray();
        // training.json is read by TrainingFeatureReferenceTests.
        Assert.Equal(ReferenceData.CaseFiles.Append("lecture.json").Append("training.json").OrderBy(n => n, StringComparer.Ordinal), files);
        Assert.All(files.Where(f => f != "training.json"), file => Assert.StartsWith("1.13", ReferenceData.TorchVersion(file), StringComparison.Ordinal));
    }

    [Fact]
    public void TheReferenceCoversEveryTrainableActivationAndEveryLoss()
    {
        Activation[] covered = ReferenceData.Cases.SelectMany(c => c.Layers).Select(l => l.Activation).Distinct().ToArray();
        foreach (Activation activation in Enum.GetValues<Activation>().Where(a => a is not Activation.Step and not Activation.Sign))
        {
            Assert.Contains(activation, covered);
        }

        foreach (Loss loss in Enum.GetValues<Loss>().Where(l => l != Loss.None))
        {
            Assert.Contains(loss, ReferenceData.Cases.Select(c => c.LossFunction));
        }

        // Hidden-layer activations meet every loss (the activation matrix of activations.json).
        foreach (Activation activation in covered.Where(a => a != Activation.Softmax))
        {
            Loss[] losses = ReferenceData.Cases.Where(c => c.Layers[0].Activation == activation).Select(c => c.LossFunction).Distinct().ToArray();
            Assert.True(losses.Length == 5, $"{activation} is the first layer under {losses.Length} of the 5 losses.");
        }

        Assert.Contains(ReferenceData.Cases, c => c.Layers.Any(l => !l.Bias));
        Assert.Contains(ReferenceData.Cases, c => c.Layers.Count >= 5);
        Assert.Contains(ReferenceData.Cases, c => c.LossFunction == Loss.MeanSquaredError && c.Layers[^1].Activation == Activation.Softmax);
    }

    [Fact]
    public void EveryCaseHasEveryOptimizerRun()
    {
        Assert.All(ReferenceData.Cases, c =>
        {
            Assert.Equal(ReferenceData.OptimizerNames.OrderBy(n => n, StringComparer.Ordinal), c.AfterSteps.Keys.OrderBy(n => n, StringComparer.Ordinal));
            Assert.All(c.AfterSteps.Values, steps =>
            {
                Assert.Equal(3, steps.Steps);
                // The first step's loss is taken at the starting parameters: the case's own loss.
                Assert.Equal(c.Loss, steps.Losses[0]);
                Assert.NotEqual(c.Parameters, steps.Parameters);
            });
        });
        ReferenceSteps adamW = ReferenceData.Case("tanh_mse").Steps("adamw");
        Assert.Equal(Optimizer.AdamW, adamW.Optimizer);
        Assert.Equal((0.01, 0.01, 0.9, 0.999, 1e-8), (adamW.LearningRate, adamW.WeightDecay, adamW.Beta1, adamW.Beta2, adamW.Epsilon));
        ReferenceSteps nesterov = ReferenceData.Case("tanh_mse").Steps("sgd_nesterov");
        Assert.Equal((Optimizer.Sgd, 0.1, 0.9, true), (nesterov.Optimizer, nesterov.LearningRate, nesterov.Momentum, nesterov.Nesterov));
        Assert.Throws<KeyNotFoundException>(() => ReferenceData.Case("tanh_mse").Steps("lbfgs"));
    }

    private static void AssertDescribes(
        ReferenceCase reference, NetworkInfo info, Precision precision, int inputSize, int outputSize, int parameterCount, int parametersLength)
    {
        Assert.Equal(precision, info.Precision);
        Assert.Equal(reference.LossFunction, info.Loss);
        Assert.Equal(reference.InputSize, info.InputSize);
        Assert.Equal(reference.InputSize, inputSize);
        Assert.Equal(reference.OutputSize, info.OutputSize);
        Assert.Equal(reference.OutputSize, outputSize);
        Assert.Equal(reference.ParameterCount, reference.Parameters.Length);
        Assert.Equal(reference.ParameterCount, info.ParameterCount);
        Assert.Equal(reference.ParameterCount, parameterCount);
        Assert.Equal(reference.ParameterCount, parametersLength);

        Assert.Equal(reference.Layers.Count, info.Layers.Count);
        int width = reference.InputSize;
        for (int i = 0; i < reference.Layers.Count; i++)
        {
            ReferenceLayer expected = reference.Layers[i];
            LayerInfo actual = info.Layers[i];
            string where = $"{reference.Name}, layer {i}";
            Assert.True(actual.Kind == LayerKind.Dense, $"{where}: {actual.Kind}");
            Assert.True(width == actual.InputSize, $"{where}: input {actual.InputSize}, expected {width}");
            Assert.True(expected.Units == actual.Units, $"{where}: {actual.Units} units, expected {expected.Units}");
            Assert.True(expected.Activation == actual.Activation, $"{where}: {actual.Activation}, expected {expected.Activation}");
            Assert.True((expected.Alpha ?? 0) == actual.Alpha, $"{where}: alpha {actual.Alpha}, expected {expected.Alpha}");
            Assert.True(expected.Bias == actual.HasBias, $"{where}: bias {actual.HasBias}, expected {expected.Bias}");
            Assert.True(expected.WeightOffset == actual.WeightOffset, $"{where}: weight offset {actual.WeightOffset}, expected {expected.WeightOffset}");
            Assert.True(expected.BiasOffset == actual.BiasOffset, $"{where}: bias offset {actual.BiasOffset}, expected {expected.BiasOffset}");
            Assert.True(expected.SlopeOffset == actual.SlopeOffset, $"{where}: slope offset {actual.SlopeOffset}, expected {expected.SlopeOffset}");
            Assert.True(expected.ParameterCount == actual.ParameterCount, $"{where}: {actual.ParameterCount} parameters, expected {expected.ParameterCount}");
            width = expected.Units;
        }
    }
}
