using System;
using System.Collections.Generic;
using NetGen;

namespace NetGen.Runtime.Tests.Reference;

// Optimizer variants of two deep cases: the optimizer and its momentum, Nesterov and weight-decay settings are fixed at
// compile time, so each configuration of after_steps needs its own declaration. The learning rate is set from the JSON.
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Sgd, Momentum = 0.9, Precision = Precision.Double)] [Input(19)] [Dense(13, Activation.SELU)] [Dense(9, Activation.ELU, Alpha = 0.5, Bias = false)] [Dense(7, Activation.PReLU, Alpha = 0.1)] [Dense(5, Activation.Softmax)]
public partial class ClassifierSgdMomentum { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Sgd, Momentum = 0.9, Nesterov = true, Precision = Precision.Double)] [Input(19)] [Dense(13, Activation.SELU)] [Dense(9, Activation.ELU, Alpha = 0.5, Bias = false)] [Dense(7, Activation.PReLU, Alpha = 0.1)] [Dense(5, Activation.Softmax)]
public partial class ClassifierSgdNesterov { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Sgd, WeightDecay = 0.01, Precision = Precision.Double)] [Input(19)] [Dense(13, Activation.SELU)] [Dense(9, Activation.ELU, Alpha = 0.5, Bias = false)] [Dense(7, Activation.PReLU, Alpha = 0.1)] [Dense(5, Activation.Softmax)]
public partial class ClassifierSgdWeightDecay { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, Precision = Precision.Double)] [Input(19)] [Dense(13, Activation.SELU)] [Dense(9, Activation.ELU, Alpha = 0.5, Bias = false)] [Dense(7, Activation.PReLU, Alpha = 0.1)] [Dense(5, Activation.Softmax)]
public partial class ClassifierAdam { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.AdamW, Precision = Precision.Double)] [Input(19)] [Dense(13, Activation.SELU)] [Dense(9, Activation.ELU, Alpha = 0.5, Bias = false)] [Dense(7, Activation.PReLU, Alpha = 0.1)] [Dense(5, Activation.Softmax)]
public partial class ClassifierAdamW { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.RmsProp, Precision = Precision.Double)] [Input(19)] [Dense(13, Activation.SELU)] [Dense(9, Activation.ELU, Alpha = 0.5, Bias = false)] [Dense(7, Activation.PReLU, Alpha = 0.1)] [Dense(5, Activation.Softmax)]
public partial class ClassifierRmsProp { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, Momentum = 0.9, Precision = Precision.Double)] [Input(9)] [Dense(17, Activation.ReLU)] [Dense(11, Activation.Tanh)] [Dense(5, Activation.GELU)] [Dense(3, Activation.Linear)]
public partial class RegressionSgdMomentum { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, Momentum = 0.9, Nesterov = true, Precision = Precision.Double)] [Input(9)] [Dense(17, Activation.ReLU)] [Dense(11, Activation.Tanh)] [Dense(5, Activation.GELU)] [Dense(3, Activation.Linear)]
public partial class RegressionSgdNesterov { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, WeightDecay = 0.01, Precision = Precision.Double)] [Input(9)] [Dense(17, Activation.ReLU)] [Dense(11, Activation.Tanh)] [Dense(5, Activation.GELU)] [Dense(3, Activation.Linear)]
public partial class RegressionSgdWeightDecay { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, Precision = Precision.Double)] [Input(9)] [Dense(17, Activation.ReLU)] [Dense(11, Activation.Tanh)] [Dense(5, Activation.GELU)] [Dense(3, Activation.Linear)]
public partial class RegressionAdam { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.AdamW, Precision = Precision.Double)] [Input(9)] [Dense(17, Activation.ReLU)] [Dense(11, Activation.Tanh)] [Dense(5, Activation.GELU)] [Dense(3, Activation.Linear)]
public partial class RegressionAdamW { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.RmsProp, Precision = Precision.Double)] [Input(9)] [Dense(17, Activation.ReLU)] [Dense(11, Activation.Tanh)] [Dense(5, Activation.GELU)] [Dense(3, Activation.Linear)]
public partial class RegressionRmsProp { }

/// <summary>The generated training code against PyTorch: losses, gradients and three steps of every optimizer.</summary>
public class ReferenceTrainingTests
{
    private static readonly Dictionary<(string Case, string Optimizer), Func<ITrainableNetwork<double>>> OptimizerVariants = new()
    {
        [("deep_classifier_ce", "sgd_momentum")] = () => new ClassifierSgdMomentum(),
        [("deep_classifier_ce", "sgd_nesterov")] = () => new ClassifierSgdNesterov(),
        [("deep_classifier_ce", "sgd_weight_decay")] = () => new ClassifierSgdWeightDecay(),
        [("deep_classifier_ce", "adam")] = () => new ClassifierAdam(),
        [("deep_classifier_ce", "adamw")] = () => new ClassifierAdamW(),
        [("deep_classifier_ce", "rmsprop")] = () => new ClassifierRmsProp(),
        [("deep_regression_mse", "sgd_momentum")] = () => new RegressionSgdMomentum(),
        [("deep_regression_mse", "sgd_nesterov")] = () => new RegressionSgdNesterov(),
        [("deep_regression_mse", "sgd_weight_decay")] = () => new RegressionSgdWeightDecay(),
        [("deep_regression_mse", "adam")] = () => new RegressionAdam(),
        [("deep_regression_mse", "adamw")] = () => new RegressionAdamW(),
        [("deep_regression_mse", "rmsprop")] = () => new RegressionRmsProp(),
    };

    public static TheoryData<string> AllCases()
    {
        var data = new TheoryData<string>();
        foreach (ReferenceCase c in ReferenceData.Cases)
        {
            data.Add(c.Name);
        }

        return data;
    }

    public static TheoryData<string> SingleCases() => new(ReferenceNetworks.Single.Keys);

    public static TheoryData<string, string> OptimizerCases()
    {
        var data = new TheoryData<string, string>();
        foreach ((string name, string optimizer) in OptimizerVariants.Keys)
        {
            data.Add(name, optimizer);
        }

        return data;
    }

    private static ITrainableNetwork<double> Trainable(string name) => (ITrainableNetwork<double>)ReferenceNetworks.CreateDouble(name);

    [Theory]
    [MemberData(nameof(AllCases))]
    [Trait("Category", "VectorWidth")]
    public void LossAndGradientsMatchPyTorch(string name)
    {
        ReferenceCase c = ReferenceData.Case(name);
        ITrainableNetwork<double> net = Trainable(name);
        c.Parameters.CopyTo(net.Parameters);
        double[] gradients = new double[c.ParameterCount];
        double loss = net.ComputeGradients(c.Inputs, c.Targets, gradients);
        ReferenceAssert.Close(new[] { c.Loss }, new[] { loss }, ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, $"{name} loss");
        ReferenceAssert.Close(c.Gradients, gradients, ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, $"{name} gradients");
    }

    [Theory]
    [MemberData(nameof(SingleCases))]
    [Trait("Category", "VectorWidth")]
    public void SinglePrecisionLossAndGradientsMatchPyTorch(string name)
    {
        ReferenceCase c = ReferenceData.Case(name);
        var net = (ITrainableNetwork<float>)ReferenceNetworks.CreateSingle(name);
        ReferenceCase.ToSingle(c.Parameters).CopyTo(net.Parameters);
        float[] gradients = new float[c.ParameterCount];
        float loss = net.ComputeGradients(ReferenceCase.ToSingle(c.Inputs), ReferenceCase.ToSingle(c.Targets), gradients);
        ReferenceAssert.Close(new[] { c.Loss }, new[] { (double)loss }, ReferenceAssert.SingleRelative, ReferenceAssert.SingleAbsolute, $"{name} loss");
        ReferenceAssert.Close(c.Gradients, Array.ConvertAll(gradients, g => (double)g), ReferenceAssert.SingleRelative, 1e-5, $"{name} gradients");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    [Trait("Category", "VectorWidth")]
    public void ThreeSgdStepsMatchPyTorch(string name) =>
        AssertSteps(Trainable(name), ReferenceData.Case(name), "sgd");

    [Theory]
    [MemberData(nameof(OptimizerCases))]
    [Trait("Category", "VectorWidth")]
    public void ThreeStepsOfEveryOptimizerMatchPyTorch(string name, string optimizer) =>
        AssertSteps(OptimizerVariants[(name, optimizer)](), ReferenceData.Case(name), optimizer);

    [Fact]
    public void EveryOptimizerConfigurationIsCovered()
    {
        foreach (string optimizer in ReferenceData.OptimizerNames)
        {
            Assert.True(optimizer == "sgd" || OptimizerVariants.ContainsKey(("deep_classifier_ce", optimizer)), optimizer);
        }
    }

    [Fact]
    public void LectureCrossEntropyMatchesPyTorch()
    {
        // The network predicts p (inputs ln p through an identity layer), the target distribution is q: H(q, p) = -Σ q ln p.
        ReferenceLecture lecture = ReferenceData.Lecture;
        var net = new NetGen.Runtime.Tests.Gradients.TwoClassSoftmax();
        net.Parameters.Clear();
        net.Parameters[0] = 1;
        net.Parameters[3] = 1;
        double nats = net.ComputeGradients(Array.ConvertAll(lecture.CrossEntropyP, Math.Log), lecture.CrossEntropyQ, new double[6]);
        ReferenceAssert.Close(new[] { lecture.CrossEntropyNats }, new[] { nats }, ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, "H(q, p) in nats");
        ReferenceAssert.Close(new[] { lecture.CrossEntropyBits }, new[] { nats / Math.Log(2) }, ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, "H(q, p) in bits");
    }

    private static void AssertSteps(ITrainableNetwork<double> net, ReferenceCase c, string optimizer)
    {
        ReferenceSteps steps = c.Steps(optimizer);
        c.Parameters.CopyTo(net.Parameters);
        net.LearningRate = steps.LearningRate;
        var losses = new double[steps.Steps];
        for (int step = 0; step < steps.Steps; step++)
        {
            losses[step] = net.TrainBatch(c.Inputs, c.Targets);
        }

        ReferenceAssert.Close(steps.Losses, losses, ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, $"{c.Name} {optimizer} losses");
        ReferenceAssert.Close(steps.Parameters, net.Parameters, ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, $"{c.Name} {optimizer} parameters");
        double after = net.ComputeGradients(c.Inputs, c.Targets, new double[c.ParameterCount]);
        ReferenceAssert.Close(new[] { steps.LossAfter }, new[] { after }, ReferenceAssert.DoubleRelative, ReferenceAssert.DoubleAbsolute, $"{c.Name} {optimizer} loss after");
    }
}
