using NetGen;

namespace AotInference;

/// <summary>
/// The network samples/Digits trains, declared for inference only (dropout is the identity there) and with the weights
/// and the pixel scaling that sample saved compiled in: <c>new DigitsClassifier()</c> is the trained network, with no
/// file read at run time, and <c>PredictRaw</c>/<c>PredictClassRaw</c> take raw pixel counts (0-16).
/// </summary>
[Network(Weights = "digits.ngm", StandardizeInputs = true)]
[Input(64)]
[Dense(128, Activation.ReLU)]
[Dropout(0.2)]
[Dense(64, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class DigitsClassifier { }
