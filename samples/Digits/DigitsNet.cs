using NetGen;

namespace Digits;

/// <summary>
/// A classifier for 8x8 images of handwritten digits: 64 pixel intensities in, 10 class probabilities out. Two ReLU
/// hidden layers with He initialisation (the default for ReLU), light dropout, a softmax output with cross-entropy.
/// </summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3)]
[Input(64)]
[Dense(128, Activation.ReLU)]
[Dropout(0.2)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class DigitsNet { }
