using NetGen;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>Dropout on a wide input into one linear unit with weights fixed at 1: y = Σ mask_i x_i.</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, Precision = Precision.Double)]
[Input(4000)]
[Dropout(0.25)]
[Dense(1, Activation.Linear, Bias = false)]
public partial class DropoutProbe { }

/// <summary>A float classifier with dropout and Adam, shaped like the samples' networks, for allocation tests.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(64)]
[Dense(48, Activation.ReLU)]
[Dropout(0.2)]
[Dense(10, Activation.Softmax)]
public partial class SmallClassifier { }

/// <summary>One sigmoid output trained with binary cross-entropy; labels are 0 or 1.</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.RmsProp, Momentum = 0.5)]
[Input(5)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class SmallBinary { }
