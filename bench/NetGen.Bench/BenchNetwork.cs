using NetGen;

namespace NetGen.Bench;

/// <summary>The DESIGN.md example without dropout: 784 -> 256 -> 128 -> 10, 235,146 parameters.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class BenchNetwork { }
