// Networks for the finite-difference gradient checks: every trainable activation meets every loss. For the
// element-wise losses the activation sits in both layers, so its derivative is checked next to the loss gradient;
// BinaryCrossEntropy and CrossEntropy keep their matching outputs (Sigmoid, Softmax). Softmax is an output activation,
// so its row pairs a Tanh hidden layer with a Softmax output under every loss (fused with CrossEntropy, through the
// Jacobian otherwise).
using NetGen;

namespace NetGen.Runtime.Tests.Gradients;

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Linear)] [Dense(3, Activation.Linear)]
public partial class GradLinearMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Linear)] [Dense(3, Activation.Linear)]
public partial class GradLinearMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Linear)] [Dense(3, Activation.Linear)]
public partial class GradLinearHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Linear)] [Dense(3, Activation.Sigmoid)]
public partial class GradLinearBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Linear)] [Dense(3, Activation.Softmax)]
public partial class GradLinearCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Sigmoid)]
public partial class GradSigmoidMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Sigmoid)]
public partial class GradSigmoidMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Sigmoid)]
public partial class GradSigmoidHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Sigmoid)]
public partial class GradSigmoidBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Softmax)]
public partial class GradSigmoidCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Tanh)]
public partial class GradTanhMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Tanh)]
public partial class GradTanhMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Tanh)]
public partial class GradTanhHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Sigmoid)]
public partial class GradTanhBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class GradTanhCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(3, Activation.ReLU)]
public partial class GradReLUMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(3, Activation.ReLU)]
public partial class GradReLUMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(3, Activation.ReLU)]
public partial class GradReLUHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(3, Activation.Sigmoid)]
public partial class GradReLUBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(3, Activation.Softmax)]
public partial class GradReLUCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3, Activation.LeakyReLU, Alpha = 0.2)]
public partial class GradLeakyReLUMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3, Activation.LeakyReLU, Alpha = 0.2)]
public partial class GradLeakyReLUMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3, Activation.LeakyReLU, Alpha = 0.2)]
public partial class GradLeakyReLUHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3, Activation.Sigmoid)]
public partial class GradLeakyReLUBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3, Activation.Softmax)]
public partial class GradLeakyReLUCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU, Alpha = 0.3)] [Dense(3, Activation.PReLU, Alpha = 0.3)]
public partial class GradPReLUMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU, Alpha = 0.3)] [Dense(3, Activation.PReLU, Alpha = 0.3)]
public partial class GradPReLUMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU, Alpha = 0.3)] [Dense(3, Activation.PReLU, Alpha = 0.3)]
public partial class GradPReLUHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU, Alpha = 0.3)] [Dense(3, Activation.Sigmoid)]
public partial class GradPReLUBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU, Alpha = 0.3)] [Dense(3, Activation.Softmax)]
public partial class GradPReLUCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Alpha = 0.7)] [Dense(3, Activation.ELU, Alpha = 0.7)]
public partial class GradELUMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Alpha = 0.7)] [Dense(3, Activation.ELU, Alpha = 0.7)]
public partial class GradELUMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Alpha = 0.7)] [Dense(3, Activation.ELU, Alpha = 0.7)]
public partial class GradELUHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Alpha = 0.7)] [Dense(3, Activation.Sigmoid)]
public partial class GradELUBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ELU, Alpha = 0.7)] [Dense(3, Activation.Softmax)]
public partial class GradELUCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SELU)] [Dense(3, Activation.SELU)]
public partial class GradSELUMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SELU)] [Dense(3, Activation.SELU)]
public partial class GradSELUMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SELU)] [Dense(3, Activation.SELU)]
public partial class GradSELUHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SELU)] [Dense(3, Activation.Sigmoid)]
public partial class GradSELUBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SELU)] [Dense(3, Activation.Softmax)]
public partial class GradSELUCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(3, Activation.Softplus)]
public partial class GradSoftplusMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(3, Activation.Softplus)]
public partial class GradSoftplusMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(3, Activation.Softplus)]
public partial class GradSoftplusHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(3, Activation.Sigmoid)]
public partial class GradSoftplusBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(3, Activation.Softmax)]
public partial class GradSoftplusCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.GELU)] [Dense(3, Activation.GELU)]
public partial class GradGELUMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.GELU)] [Dense(3, Activation.GELU)]
public partial class GradGELUMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.GELU)] [Dense(3, Activation.GELU)]
public partial class GradGELUHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.GELU)] [Dense(3, Activation.Sigmoid)]
public partial class GradGELUBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.GELU)] [Dense(3, Activation.Softmax)]
public partial class GradGELUCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(3, Activation.SiLU)]
public partial class GradSiLUMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(3, Activation.SiLU)]
public partial class GradSiLUMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(3, Activation.SiLU)]
public partial class GradSiLUHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(3, Activation.Sigmoid)]
public partial class GradSiLUBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(3, Activation.Softmax)]
public partial class GradSiLUCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PiecewiseLinear)] [Dense(3, Activation.PiecewiseLinear)]
public partial class GradPiecewiseLinearMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PiecewiseLinear)] [Dense(3, Activation.PiecewiseLinear)]
public partial class GradPiecewiseLinearMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PiecewiseLinear)] [Dense(3, Activation.PiecewiseLinear)]
public partial class GradPiecewiseLinearHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PiecewiseLinear)] [Dense(3, Activation.Sigmoid)]
public partial class GradPiecewiseLinearBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PiecewiseLinear)] [Dense(3, Activation.Softmax)]
public partial class GradPiecewiseLinearCe { }

[Network(Loss = Loss.MeanSquaredError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class GradSoftmaxMse { }

[Network(Loss = Loss.MeanAbsoluteError, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class GradSoftmaxMae { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class GradSoftmaxHuber { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class GradSoftmaxBce { }

[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class GradSoftmaxCe { }

// Whole networks of three to five dense layers, mixing activations, dropout (off in ComputeGradients) and a layer
// without bias.
[Network(Loss = Loss.CrossEntropy, Precision = Precision.Double)]
[Input(6)]
[Dense(9, Activation.Tanh)]
[Dropout(0.3)]
[Dense(7, Activation.ELU)]
[Dense(5, Activation.SiLU, Bias = false)]
[Dense(4, Activation.Softmax)]
public partial class GradDeepClassifier { }

[Network(Loss = Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.PReLU)]
[Dense(6, Activation.GELU)]
[Dense(5, Activation.Softplus)]
[Dense(3, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class GradDeepBinary { }

[Network(Loss = Loss.Huber, Precision = Precision.Double)]
[Input(3)]
[Dropout(0.1)]
[Dense(17, Activation.SELU)]
[Dense(9, Activation.LeakyReLU)]
[Dense(2, Activation.Linear)]
public partial class GradDeepRegressor { }
