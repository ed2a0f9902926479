// The networks of tests/reference/*.json, declared for the generator: one double-precision class per case
// (Ref + the case name in Pascal case) and a single-precision twin (suffix Single) for a few. Each class carries its
// case's loss, so the generated training members exist for the gradient and optimizer comparisons. Alpha is written
// only where it differs from NetGen's default (LeakyReLU 0.01, PReLU 0.25, ELU 1), so the defaults are checked too.
// softplus_threshold_mse has no float twin: its hidden values near 20 cancel in the output layer, so float rounding
// there is about 1e-5 of some outputs, beyond a relative tolerance.
// ReferenceNetworkTests.DeclarationsMatchTheReferenceDescriptions keeps these and the JSON in step.
using System;
using System.Collections.Generic;
using NetGen;

namespace NetGen.Runtime.Tests.Reference;

// Every trainable activation in 5 -> 7 -> 3 under each loss that fits (tests/reference/activations.json).
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Linear)] [Dense(3, Activation.Linear)]
public partial class RefLinearMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Linear, Bias = false)] [Dense(3, Activation.Linear)]
public partial class RefLinearMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Linear)] [Dense(3, Activation.Linear, Bias = false)]
public partial class RefLinearHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Linear)] [Dense(3, Activation.Sigmoid)]
public partial class RefLinearBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Linear)] [Dense(3, Activation.Softmax)]
public partial class RefLinearCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Sigmoid)]
public partial class RefSigmoidMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid, Bias = false)] [Dense(3, Activation.Sigmoid)]
public partial class RefSigmoidMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Sigmoid, Bias = false)]
public partial class RefSigmoidHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Sigmoid)]
public partial class RefSigmoidBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Softmax)]
public partial class RefSigmoidCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Tanh)]
public partial class RefTanhMse { }

[Network(Loss = Loss.MeanSquaredError)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Tanh)]
public partial class RefTanhMseSingle { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh, Bias = false)] [Dense(3, Activation.Tanh)]
public partial class RefTanhMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Tanh, Bias = false)]
public partial class RefTanhHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Sigmoid)]
public partial class RefTanhBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class RefTanhCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(3, Activation.ReLU)]
public partial class RefReluMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU, Bias = false)] [Dense(3, Activation.ReLU)]
public partial class RefReluMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(3, Activation.ReLU, Bias = false)]
public partial class RefReluHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(3, Activation.Sigmoid)]
public partial class RefReluBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(3, Activation.Softmax)]
public partial class RefReluCe { }

[Network(Loss = Loss.CrossEntropy)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(3, Activation.Softmax)]
public partial class RefReluCeSingle { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU)] [Dense(3, Activation.LeakyReLU)]
public partial class RefLeakyreluMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Bias = false)] [Dense(3, Activation.LeakyReLU)]
public partial class RefLeakyreluMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU)] [Dense(3, Activation.LeakyReLU, Bias = false)]
public partial class RefLeakyreluHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU)] [Dense(3, Activation.Sigmoid)]
public partial class RefLeakyreluBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU)] [Dense(3, Activation.Softmax)]
public partial class RefLeakyreluCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3, Activation.LeakyReLU, Alpha = 0.2)]
public partial class RefLeakyrelu02Mse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2, Bias = false)] [Dense(3, Activation.LeakyReLU, Alpha = 0.2)]
public partial class RefLeakyrelu02Mae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3, Activation.LeakyReLU, Alpha = 0.2, Bias = false)]
public partial class RefLeakyrelu02Huber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3, Activation.Sigmoid)]
public partial class RefLeakyrelu02Bce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3, Activation.Softmax)]
public partial class RefLeakyrelu02Ce { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU)] [Dense(3, Activation.PReLU)]
public partial class RefPreluMse { }

[Network(Loss = Loss.MeanSquaredError)] [Input(5)] [Dense(7, Activation.PReLU)] [Dense(3, Activation.PReLU)]
public partial class RefPreluMseSingle { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU, Bias = false)] [Dense(3, Activation.PReLU)]
public partial class RefPreluMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU)] [Dense(3, Activation.PReLU, Bias = false)]
public partial class RefPreluHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU)] [Dense(3, Activation.Sigmoid)]
public partial class RefPreluBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU)] [Dense(3, Activation.Softmax)]
public partial class RefPreluCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU)] [Dense(3, Activation.ELU)]
public partial class RefEluMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Bias = false)] [Dense(3, Activation.ELU)]
public partial class RefEluMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU)] [Dense(3, Activation.ELU, Bias = false)]
public partial class RefEluHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU)] [Dense(3, Activation.Sigmoid)]
public partial class RefEluBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU)] [Dense(3, Activation.Softmax)]
public partial class RefEluCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Alpha = 0.5)] [Dense(3, Activation.ELU, Alpha = 0.5)]
public partial class RefElu05Mse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Alpha = 0.5, Bias = false)] [Dense(3, Activation.ELU, Alpha = 0.5)]
public partial class RefElu05Mae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Alpha = 0.5)] [Dense(3, Activation.ELU, Alpha = 0.5, Bias = false)]
public partial class RefElu05Huber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Alpha = 0.5)] [Dense(3, Activation.Sigmoid)]
public partial class RefElu05Bce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Alpha = 0.5)] [Dense(3, Activation.Softmax)]
public partial class RefElu05Ce { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SELU)] [Dense(3, Activation.SELU)]
public partial class RefSeluMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SELU, Bias = false)] [Dense(3, Activation.SELU)]
public partial class RefSeluMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SELU)] [Dense(3, Activation.SELU, Bias = false)]
public partial class RefSeluHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SELU)] [Dense(3, Activation.Sigmoid)]
public partial class RefSeluBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SELU)] [Dense(3, Activation.Softmax)]
public partial class RefSeluCe { }

[Network(Loss = Loss.CrossEntropy)] [Input(5)] [Dense(7, Activation.SELU)] [Dense(3, Activation.Softmax)]
public partial class RefSeluCeSingle { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(3, Activation.Softplus)]
public partial class RefSoftplusMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus, Bias = false)] [Dense(3, Activation.Softplus)]
public partial class RefSoftplusMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(3, Activation.Softplus, Bias = false)]
public partial class RefSoftplusHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(3, Activation.Sigmoid)]
public partial class RefSoftplusBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(3, Activation.Softmax)]
public partial class RefSoftplusCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.GELU)] [Dense(3, Activation.GELU)]
public partial class RefGeluMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.GELU, Bias = false)] [Dense(3, Activation.GELU)]
public partial class RefGeluMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.GELU)] [Dense(3, Activation.GELU, Bias = false)]
public partial class RefGeluHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.GELU)] [Dense(3, Activation.Sigmoid)]
public partial class RefGeluBce { }

[Network(Loss = Loss.BinaryCrossEntropy)] [Input(5)] [Dense(7, Activation.GELU)] [Dense(3, Activation.Sigmoid)]
public partial class RefGeluBceSingle { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.GELU)] [Dense(3, Activation.Softmax)]
public partial class RefGeluCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(3, Activation.SiLU)]
public partial class RefSiluMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU, Bias = false)] [Dense(3, Activation.SiLU)]
public partial class RefSiluMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(3, Activation.SiLU, Bias = false)]
public partial class RefSiluHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(3, Activation.Sigmoid)]
public partial class RefSiluBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(3, Activation.Softmax)]
public partial class RefSiluCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PiecewiseLinear)] [Dense(3, Activation.PiecewiseLinear)]
public partial class RefPiecewiselinearMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PiecewiseLinear, Bias = false)] [Dense(3, Activation.PiecewiseLinear)]
public partial class RefPiecewiselinearMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PiecewiseLinear)] [Dense(3, Activation.PiecewiseLinear, Bias = false)]
public partial class RefPiecewiselinearHuber { }

[Network(Loss = Loss.Huber)] [Input(5)] [Dense(7, Activation.PiecewiseLinear)] [Dense(3, Activation.PiecewiseLinear, Bias = false)]
public partial class RefPiecewiselinearHuberSingle { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PiecewiseLinear)] [Dense(3, Activation.Sigmoid)]
public partial class RefPiecewiselinearBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PiecewiseLinear)] [Dense(3, Activation.Softmax)]
public partial class RefPiecewiselinearCe { }

// Output layers: Softmax under every loss, one-layer softmax, single Sigmoid, Softplus past its threshold (outputs.json).
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class RefSoftmaxMse { }

[Network(Loss = Loss.MeanSquaredError)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class RefSoftmaxMseSingle { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(4, Activation.Softmax)]
public partial class RefSoftmaxMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class RefSoftmaxHuber { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(4, Activation.Softmax)]
public partial class RefSoftmaxCeSoftTargets { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(6)] [Dense(5, Activation.Softmax)]
public partial class RefSoftmaxSingleLayerCe { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]
public partial class RefSigmoidSingleOutputBce { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Softplus)] [Dense(2, Activation.Linear)]
public partial class RefSoftplusThresholdMse { }

// Whole networks of 3 to 5 layers (deep.json).
[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(9)] [Dense(17, Activation.ReLU)] [Dense(11, Activation.Tanh)] [Dense(5, Activation.GELU)] [Dense(3, Activation.Linear)]
public partial class RefDeepRegressionMse { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(19)] [Dense(13, Activation.SELU)] [Dense(9, Activation.ELU, Alpha = 0.5, Bias = false)] [Dense(7, Activation.PReLU, Alpha = 0.1)] [Dense(5, Activation.Softmax)]
public partial class RefDeepClassifierCe { }

[Network(Loss = Loss.CrossEntropy)] [Input(19)] [Dense(13, Activation.SELU)] [Dense(9, Activation.ELU, Alpha = 0.5, Bias = false)] [Dense(7, Activation.PReLU, Alpha = 0.1)] [Dense(5, Activation.Softmax)]
public partial class RefDeepClassifierCeSingle { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(6)] [Dense(11, Activation.SiLU)] [Dense(9, Activation.LeakyReLU, Alpha = 0.2)] [Dense(4, Activation.Sigmoid)]
public partial class RefDeepMultilabelBce { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(7)] [Dense(10, Activation.Softplus)] [Dense(8, Activation.PiecewiseLinear)] [Dense(6, Activation.Sigmoid)] [Dense(5, Activation.Tanh)] [Dense(2, Activation.Linear, Bias = false)]
public partial class RefDeepFiveLayerHuber { }

[Network(Loss = Loss.Huber)] [Input(7)] [Dense(10, Activation.Softplus)] [Dense(8, Activation.PiecewiseLinear)] [Dense(6, Activation.Sigmoid)] [Dense(5, Activation.Tanh)] [Dense(2, Activation.Linear, Bias = false)]
public partial class RefDeepFiveLayerHuberSingle { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(8)] [Dense(12, Activation.PReLU)] [Dense(12, Activation.PReLU, Alpha = 0.05, Bias = false)] [Dense(3, Activation.ELU)]
public partial class RefDeepTwoPreluMae { }

[Network(Loss = Loss.MeanAbsoluteError)] [Input(8)] [Dense(12, Activation.PReLU)] [Dense(12, Activation.PReLU, Alpha = 0.05, Bias = false)] [Dense(3, Activation.ELU)]
public partial class RefDeepTwoPreluMaeSingle { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(16, Activation.GELU)] [Dense(9, Activation.Sigmoid)] [Dense(4, Activation.Softmax)]
public partial class RefDeepSoftmaxMse { }
/// <summary>Creates the declared network of each reference case by the case's name.</summary>
public static class ReferenceNetworks
{
    /// <summary>One double-precision network per case.</summary>
    public static readonly IReadOnlyDictionary<string, Func<INeuralNetwork<double>>> Double =
        new Dictionary<string, Func<INeuralNetwork<double>>>(StringComparer.Ordinal)
    {
        ["linear_mse"] = () => new RefLinearMse(),
        ["linear_mae"] = () => new RefLinearMae(),
        ["linear_huber"] = () => new RefLinearHuber(),
        ["linear_bce"] = () => new RefLinearBce(),
        ["linear_ce"] = () => new RefLinearCe(),
        ["sigmoid_mse"] = () => new RefSigmoidMse(),
        ["sigmoid_mae"] = () => new RefSigmoidMae(),
        ["sigmoid_huber"] = () => new RefSigmoidHuber(),
        ["sigmoid_bce"] = () => new RefSigmoidBce(),
        ["sigmoid_ce"] = () => new RefSigmoidCe(),
        ["tanh_mse"] = () => new RefTanhMse(),
        ["tanh_mae"] = () => new RefTanhMae(),
        ["tanh_huber"] = () => new RefTanhHuber(),
        ["tanh_bce"] = () => new RefTanhBce(),
        ["tanh_ce"] = () => new RefTanhCe(),
        ["relu_mse"] = () => new RefReluMse(),
        ["relu_mae"] = () => new RefReluMae(),
        ["relu_huber"] = () => new RefReluHuber(),
        ["relu_bce"] = () => new RefReluBce(),
        ["relu_ce"] = () => new RefReluCe(),
        ["leakyrelu_mse"] = () => new RefLeakyreluMse(),
        ["leakyrelu_mae"] = () => new RefLeakyreluMae(),
        ["leakyrelu_huber"] = () => new RefLeakyreluHuber(),
        ["leakyrelu_bce"] = () => new RefLeakyreluBce(),
        ["leakyrelu_ce"] = () => new RefLeakyreluCe(),
        ["leakyrelu02_mse"] = () => new RefLeakyrelu02Mse(),
        ["leakyrelu02_mae"] = () => new RefLeakyrelu02Mae(),
        ["leakyrelu02_huber"] = () => new RefLeakyrelu02Huber(),
        ["leakyrelu02_bce"] = () => new RefLeakyrelu02Bce(),
        ["leakyrelu02_ce"] = () => new RefLeakyrelu02Ce(),
        ["prelu_mse"] = () => new RefPreluMse(),
        ["prelu_mae"] = () => new RefPreluMae(),
        ["prelu_huber"] = () => new RefPreluHuber(),
        ["prelu_bce"] = () => new RefPreluBce(),
        ["prelu_ce"] = () => new RefPreluCe(),
        ["elu_mse"] = () => new RefEluMse(),
        ["elu_mae"] = () => new RefEluMae(),
        ["elu_huber"] = () => new RefEluHuber(),
        ["elu_bce"] = () => new RefEluBce(),
        ["elu_ce"] = () => new RefEluCe(),
        ["elu05_mse"] = () => new RefElu05Mse(),
        ["elu05_mae"] = () => new RefElu05Mae(),
        ["elu05_huber"] = () => new RefElu05Huber(),
        ["elu05_bce"] = () => new RefElu05Bce(),
        ["elu05_ce"] = () => new RefElu05Ce(),
        ["selu_mse"] = () => new RefSeluMse(),
        ["selu_mae"] = () => new RefSeluMae(),
        ["selu_huber"] = () => new RefSeluHuber(),
        ["selu_bce"] = () => new RefSeluBce(),
        ["selu_ce"] = () => new RefSeluCe(),
        ["softplus_mse"] = () => new RefSoftplusMse(),
        ["softplus_mae"] = () => new RefSoftplusMae(),
        ["softplus_huber"] = () => new RefSoftplusHuber(),
        ["softplus_bce"] = () => new RefSoftplusBce(),
        ["softplus_ce"] = () => new RefSoftplusCe(),
        ["gelu_mse"] = () => new RefGeluMse(),
        ["gelu_mae"] = () => new RefGeluMae(),
        ["gelu_huber"] = () => new RefGeluHuber(),
        ["gelu_bce"] = () => new RefGeluBce(),
        ["gelu_ce"] = () => new RefGeluCe(),
        ["silu_mse"] = () => new RefSiluMse(),
        ["silu_mae"] = () => new RefSiluMae(),
        ["silu_huber"] = () => new RefSiluHuber(),
        ["silu_bce"] = () => new RefSiluBce(),
        ["silu_ce"] = () => new RefSiluCe(),
        ["piecewiselinear_mse"] = () => new RefPiecewiselinearMse(),
        ["piecewiselinear_mae"] = () => new RefPiecewiselinearMae(),
        ["piecewiselinear_huber"] = () => new RefPiecewiselinearHuber(),
        ["piecewiselinear_bce"] = () => new RefPiecewiselinearBce(),
        ["piecewiselinear_ce"] = () => new RefPiecewiselinearCe(),
        ["softmax_mse"] = () => new RefSoftmaxMse(),
        ["softmax_mae"] = () => new RefSoftmaxMae(),
        ["softmax_huber"] = () => new RefSoftmaxHuber(),
        ["softmax_ce_soft_targets"] = () => new RefSoftmaxCeSoftTargets(),
        ["softmax_single_layer_ce"] = () => new RefSoftmaxSingleLayerCe(),
        ["sigmoid_single_output_bce"] = () => new RefSigmoidSingleOutputBce(),
        ["softplus_threshold_mse"] = () => new RefSoftplusThresholdMse(),
        ["deep_regression_mse"] = () => new RefDeepRegressionMse(),
        ["deep_classifier_ce"] = () => new RefDeepClassifierCe(),
        ["deep_multilabel_bce"] = () => new RefDeepMultilabelBce(),
        ["deep_five_layer_huber"] = () => new RefDeepFiveLayerHuber(),
        ["deep_two_prelu_mae"] = () => new RefDeepTwoPreluMae(),
        ["deep_softmax_mse"] = () => new RefDeepSoftmaxMse(),
    };

    /// <summary>Single-precision twins of a few cases.</summary>
    public static readonly IReadOnlyDictionary<string, Func<INeuralNetwork<float>>> Single =
        new Dictionary<string, Func<INeuralNetwork<float>>>(StringComparer.Ordinal)
    {
        ["tanh_mse"] = () => new RefTanhMseSingle(),
        ["relu_ce"] = () => new RefReluCeSingle(),
        ["selu_ce"] = () => new RefSeluCeSingle(),
        ["prelu_mse"] = () => new RefPreluMseSingle(),
        ["gelu_bce"] = () => new RefGeluBceSingle(),
        ["piecewiselinear_huber"] = () => new RefPiecewiselinearHuberSingle(),
        ["softmax_mse"] = () => new RefSoftmaxMseSingle(),
        ["deep_classifier_ce"] = () => new RefDeepClassifierCeSingle(),
        ["deep_five_layer_huber"] = () => new RefDeepFiveLayerHuberSingle(),
        ["deep_two_prelu_mae"] = () => new RefDeepTwoPreluMaeSingle(),
    };

    /// <summary>A fresh double-precision network for the case.</summary>
    public static INeuralNetwork<double> CreateDouble(string name) =>
        Double.TryGetValue(name, out Func<INeuralNetwork<double>>? create)
            ? create()
            : throw new KeyNotFoundException($"No network is declared for reference case '{name}' in ReferenceNetworks.cs.");

    /// <summary>A fresh single-precision twin for the case.</summary>
    public static INeuralNetwork<float> CreateSingle(string name) =>
        Single.TryGetValue(name, out Func<INeuralNetwork<float>>? create)
            ? create()
            : throw new KeyNotFoundException($"No single-precision twin is declared for reference case '{name}'.");
}
