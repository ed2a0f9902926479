using NetGen;

namespace NetGen.Bench;

/// <summary>The DESIGN.md example without dropout: 784 -> 256 -> 128 -> 10, 235,146 parameters ("mnist" in bench/peer).</summary>
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
