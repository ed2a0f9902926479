using NetGen;

namespace NetGen.Bench;

/// <summary>
/// The design example (the FashionNet snapshot of the generator tests) without dropout: 784 -> 256 -> 128 -> 10,
/// 235,146 parameters ("mnist" in bench/peer).
/// </summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class BenchNetwork { }

/// <summary>A small tabular classifier, 13 -> 32 -> 16 -> 3 tanh (the wine data set's shape; "tab13" in bench/peer).</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(13)]
[Dense(32, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class TabularNetwork { }

/// <summary>SimpleChains.jl's README benchmark shape: 4 -> 32 tanh -> 16 tanh -> 4 linear, squared loss ("sc4" in bench/peer).</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
[Input(4)]
[Dense(32, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(4, Activation.Linear)]
public partial class SimpleChainsNetwork { }

/// <summary>SimpleChains' shape with ReLU instead of tanh: bench --train-profile sets it beside the tanh network to tell the activation's cost from the rest.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam)]
[Input(4)]
[Dense(32, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(4, Activation.Linear)]
public partial class SimpleChainsReluNetwork { }

/// <summary>784-256-128-10 with bfloat16 weights for inference (docs/performance.md, "Reduced-precision weights").</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, WeightPrecision = WeightPrecision.BFloat16)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class BenchNetworkBFloat16 { }

/// <summary>784-256-128-10 with int8 weights (a scale per unit) for inference.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, WeightPrecision = WeightPrecision.Int8)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class BenchNetworkInt8 { }

/// <summary>13-32-16-3 with ReLU hidden layers: the tabular shape without transcendental activations.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(13)]
[Dense(32, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class TabularReluNetwork { }

/// <summary>The samples/Digits network without dropout (64-128-64-10 ReLU), in float, bfloat16 and int8.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3)]
[Input(64)]
[Dense(128, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class DigitsFloat { }

/// <inheritdoc cref="DigitsFloat"/>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3, WeightPrecision = WeightPrecision.BFloat16)]
[Input(64)]
[Dense(128, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class DigitsBFloat16 { }

/// <inheritdoc cref="DigitsFloat"/>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3, WeightPrecision = WeightPrecision.Int8)]
[Input(64)]
[Dense(128, Activation.ReLU)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class DigitsInt8 { }
