// Networks for the ONNX tests. The Fixture* classes are the PyTorch exports of tests/reference/onnx/ (made by
// tests/reference/make_onnx_reference.py), declared as that script's CASES describe them, each in double precision
// and as a single-precision twin (suffix Single); OnnxReferenceTests checks each declaration against the JSON's
// layer list. The Export* classes put every activation in a 4 -> 6 -> 3 network for the export tests.
using NetGen;

namespace NetGen.Runtime.Tests.OnnxFiles;

[Network(Precision = Precision.Double)] [Input(4)] [Dense(8, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(3)]
public partial class FixtureReluTanh { }

[Network] [Input(4)] [Dense(8, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(3)]
public partial class FixtureReluTanhSingle { }

[Network(Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Softmax)]
public partial class FixtureSigmoidSoftmax { }

[Network] [Input(5)] [Dense(7, Activation.Sigmoid)] [Dense(3, Activation.Softmax)]
public partial class FixtureSigmoidSoftmaxSingle { }

[Network(Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(6, Activation.ELU, Alpha = 0.5)] [Dense(2)]
public partial class FixtureLeakyElu { }

[Network] [Input(5)] [Dense(7, Activation.LeakyReLU, Alpha = 0.2)] [Dense(6, Activation.ELU, Alpha = 0.5)] [Dense(2)]
public partial class FixtureLeakyEluSingle { }

[Network(Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.PReLU)] [Dense(6, Activation.SELU)] [Dense(3)]
public partial class FixturePreluSelu { }

[Network] [Input(5)] [Dense(7, Activation.PReLU)] [Dense(6, Activation.SELU)] [Dense(3)]
public partial class FixturePreluSeluSingle { }

[Network(Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(6, Activation.GELU)] [Dense(3)]
public partial class FixtureSoftplusGelu { }

[Network] [Input(5)] [Dense(7, Activation.Softplus)] [Dense(6, Activation.GELU)] [Dense(3)]
public partial class FixtureSoftplusGeluSingle { }

[Network(Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(6, Activation.PiecewiseLinear)] [Dense(3)]
public partial class FixtureSiluPiecewise { }

[Network] [Input(5)] [Dense(7, Activation.SiLU)] [Dense(6, Activation.PiecewiseLinear)] [Dense(3)]
public partial class FixtureSiluPiecewiseSingle { }

[Network(Precision = Precision.Double)] [Input(5)] [Dense(6, Activation.Step)] [Dense(4, Activation.Sign)] [Dense(3)]
public partial class FixtureStepSign { }

[Network] [Input(5)] [Dense(6, Activation.Step)] [Dense(4, Activation.Sign)] [Dense(3)]
public partial class FixtureStepSignSingle { }

[Network(Precision = Precision.Double)] [Input(6)] [Dense(7, Activation.ReLU, Bias = false)] [Dropout(0.3)] [Dense(5, Activation.Tanh)] [Dense(2, Bias = false)]
public partial class FixtureNobiasFlattenDropout { }

[Network] [Input(6)] [Dense(7, Activation.ReLU, Bias = false)] [Dropout(0.3)] [Dense(5, Activation.Tanh)] [Dense(2, Bias = false)]
public partial class FixtureNobiasFlattenDropoutSingle { }

[Network(Precision = Precision.Double)] [Input(4)] [Dense(5, Activation.PiecewiseLinear)] [Dense(3, Activation.Softmax)]
public partial class FixtureOpset9ClipSoftmax { }

[Network] [Input(4)] [Dense(5, Activation.PiecewiseLinear)] [Dense(3, Activation.Softmax)]
public partial class FixtureOpset9ClipSoftmaxSingle { }

[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Tanh)] [Dense(3, Activation.Sigmoid)]
public partial class FixtureDoubleTanhSigmoid { }

[Network] [Input(4)] [Dense(6, Activation.Tanh)] [Dense(3, Activation.Sigmoid)]
public partial class FixtureDoubleTanhSigmoidSingle { }

[Network(Precision = Precision.Double)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(4, Activation.Sigmoid)]
public partial class FixtureMatmulAddRelu { }

[Network] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(4, Activation.Sigmoid)]
public partial class FixtureMatmulAddReluSingle { }

// The refused exports' architectures, so that the refusal is about the operator, not a size.
[Network] [Input(5)] [Dense(4, Activation.GELU)] [Dense(3)]
public partial class FixtureRefusedGeluExact { }

[Network] [Input(5)] [Dense(4, Activation.ReLU)] [Dense(3, Activation.Softmax)]
public partial class FixtureRefusedLogSoftmax { }

// Every activation for the export tests: hidden layer with it, then a linear output (Softmax: as the output).
[Network] [Input(4)] [Dense(6)] [Dense(3)] public partial class ExportLinear { }
[Network] [Input(4)] [Dense(6, Activation.Sigmoid)] [Dense(3)] public partial class ExportSigmoid { }
[Network] [Input(4)] [Dense(6, Activation.Tanh)] [Dense(3)] public partial class ExportTanh { }
[Network] [Input(4)] [Dense(6, Activation.ReLU)] [Dense(3)] public partial class ExportRelu { }
[Network] [Input(4)] [Dense(6, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3)] public partial class ExportLeakyRelu { }
[Network] [Input(4)] [Dense(6, Activation.PReLU)] [Dense(3)] public partial class ExportPrelu { }
[Network] [Input(4)] [Dense(6, Activation.ELU, Alpha = 0.5)] [Dense(3)] public partial class ExportElu { }
[Network] [Input(4)] [Dense(6, Activation.SELU)] [Dense(3)] public partial class ExportSelu { }
[Network] [Input(4)] [Dense(6, Activation.Softplus)] [Dense(3)] public partial class ExportSoftplus { }
[Network] [Input(4)] [Dense(6, Activation.GELU)] [Dense(3)] public partial class ExportGelu { }
[Network] [Input(4)] [Dense(6, Activation.SiLU)] [Dense(3)] public partial class ExportSilu { }
[Network] [Input(4)] [Dense(6, Activation.PiecewiseLinear)] [Dense(3)] public partial class ExportPiecewiseLinear { }
[Network] [Input(4)] [Dense(6, Activation.Step)] [Dense(3)] public partial class ExportStep { }
[Network] [Input(4)] [Dense(6, Activation.Sign)] [Dense(3)] public partial class ExportSign { }
[Network] [Input(4)] [Dense(6, Activation.ReLU)] [Dense(3, Activation.Softmax)] public partial class ExportSoftmax { }
[Network] [Input(4)] [Dense(6, Activation.ReLU, Bias = false)] [Dropout(0.5)] [Dense(5, Activation.Tanh)] [Dense(3, Bias = false)] public partial class ExportNoBiasDropout { }

[Network(Precision = Precision.Double)] [Input(4)] [Dense(6)] [Dense(3)] public partial class ExportLinearDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Sigmoid)] [Dense(3)] public partial class ExportSigmoidDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Tanh)] [Dense(3)] public partial class ExportTanhDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.ReLU)] [Dense(3)] public partial class ExportReluDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.LeakyReLU, Alpha = 0.2)] [Dense(3)] public partial class ExportLeakyReluDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.PReLU)] [Dense(3)] public partial class ExportPreluDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.ELU, Alpha = 0.5)] [Dense(3)] public partial class ExportEluDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.SELU)] [Dense(3)] public partial class ExportSeluDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Softplus)] [Dense(3)] public partial class ExportSoftplusDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.GELU)] [Dense(3)] public partial class ExportGeluDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.SiLU)] [Dense(3)] public partial class ExportSiluDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.PiecewiseLinear)] [Dense(3)] public partial class ExportPiecewiseLinearDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Step)] [Dense(3)] public partial class ExportStepDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.Sign)] [Dense(3)] public partial class ExportSignDouble { }
[Network(Precision = Precision.Double)] [Input(4)] [Dense(6, Activation.ReLU)] [Dense(3, Activation.Softmax)] public partial class ExportSoftmaxDouble { }

// Declarations that differ from tests/reference/onnx/relu_tanh.onnx (4 -> 8 ReLU -> 6 Tanh -> 3) in one respect each.
[Network] [Input(4)] [Dense(9, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(3)] public partial class MismatchWidth { }
[Network] [Input(4)] [Dense(8, Activation.Tanh)] [Dense(6, Activation.Tanh)] [Dense(3)] public partial class MismatchActivation { }
[Network] [Input(4)] [Dense(8, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(3)] [Dense(2)] public partial class MismatchExtraLayer { }
[Network] [Input(4)] [Dense(8, Activation.ReLU)] [Dense(3)] public partial class MismatchMissingLayer { }
[Network] [Input(4)] [Dense(8, Activation.ReLU, Bias = false)] [Dense(6, Activation.Tanh)] [Dense(3)] public partial class MismatchNoBias { }
[Network] [Input(5)] [Dense(8, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(3)] public partial class MismatchInput { }

// nobias_flatten_dropout (6 -> 7 ReLU no bias -> 5 Tanh -> 2 no bias) declared with a bias on its first layer.
[Network] [Input(6)] [Dense(7, Activation.ReLU)] [Dense(5, Activation.Tanh)] [Dense(2, Bias = false)] public partial class MismatchBias { }

// leaky_elu (LeakyReLU 0.2) declared with the default slope 0.01.
[Network] [Input(5)] [Dense(7, Activation.LeakyReLU)] [Dense(6, Activation.ELU, Alpha = 0.5)] [Dense(2)] public partial class MismatchAlpha { }
