using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>NG1001-NG1023: network design. Defaults follow docs/diagnostics; users change them in .editorconfig.</summary>
internal static class DesignDescriptors
{
    public const string Category = "NetGen.Design";

    public static readonly DiagnosticDescriptor ReLUWithGlorotInit = Create(
        DiagnosticIds.ReLUWithGlorotInit, DiagnosticSeverity.Warning,
        "Rectifier layer initialised with Glorot",
        "{0} uses {1}, which is meant for tanh and sigmoid: Glorot variance 2/(in+out) = {2} against He 2/((1+a^2)*in) = {3}; the signal's variance shrinks about x{4} per layer, and after the {6} rectifier layer(s) initialised this way it keeps x{5} (~0.5^L); use He init",
        "He et al. (2015) showed that a rectifier zeroes (or scales by a) half of its inputs, so keeping the signal's variance needs weights of variance 2/((1+a^2) fan_in). Glorot's 2/(fan_in+fan_out) is about half of that, and the shortfall compounds layer after layer. Reported as info when the network has fewer than 3 such layers.");

    public static readonly DiagnosticDescriptor SaturatingWithHeInit = Create(
        DiagnosticIds.SaturatingWithHeInit, DiagnosticSeverity.Info,
        "Sigmoid or tanh layer initialised with He",
        "{0} uses {1}: He variance 2/in = {2} is x{3} Glorot's 2/(in+out) = {4}, which pushes the {5} units into saturation where the gradient vanishes; use Glorot init",
        "Glorot and Bengio (2010) chose 2/(fan_in+fan_out) so that sigmoid and tanh units start in their near-linear region. He init is larger and drives pre-activations into the flat tails, where the derivative is close to 0.");

    public static readonly DiagnosticDescriptor SeluWithoutSelfNormalisation = Create(
        DiagnosticIds.SeluWithoutSelfNormalisation, DiagnosticSeverity.Warning,
        "SELU network without self-normalising setup",
        "{0}: self-normalisation needs weights of variance 1/fan_in ({1}) and activations kept at mean 0 and variance 1",
        "Klambauer et al. (2017) proved that SELU drives activations towards mean 0 and variance 1 only when the weights are drawn with variance 1/fan_in (LeCun normal) and the inputs are not disturbed; standard dropout rescales the kept units and breaks the fixed point (they use alpha dropout instead).");

    public static readonly DiagnosticDescriptor UnusualSlope = Create(
        DiagnosticIds.UnusualSlope, DiagnosticSeverity.Error,
        "Unusual negative slope",
        "{0} has Alpha = {1}: {2}; the gain is sqrt(2/(1+a^2)) = {3}, and the usual slope is 0.01-0.3",
        "Alpha is the slope (LeakyReLU, PReLU) or the saturation value (ELU) for negative inputs. A negative value makes the activation non-monotonic (error); for LeakyReLU and PReLU a slope of 1 turns the layer linear and a slope above 1 makes negative inputs steeper than positive ones (warnings).");

    public static readonly DiagnosticDescriptor ZeroWeights = Create(
        DiagnosticIds.ZeroWeights, DiagnosticSeverity.Error,
        "Weights initialised to zero",
        "{0} starts with every weight 0: all {1} units compute the same output and get the same gradient, so the symmetry is never broken and the {1} units stay identical; use a random initialiser",
        "Units of a layer differ only because their initial weights differ. With equal weights every unit receives the same update at every step and the layer behaves like a single unit.");

    public static readonly DiagnosticDescriptor DeepSigmoidStack = Create(
        DiagnosticIds.DeepSigmoidStack, DiagnosticSeverity.Warning,
        "Deep stack of sigmoid layers",
        "Dense layers {0} to {1} are {2} sigmoid hidden layers in a row: sigmoid' <= 0.25, so the gradient through {2} sigmoid layers can shrink by up to 0.25^{2} = {3}; use ReLU with He init for hidden layers",
        "The derivative of the sigmoid is at most 0.25, so each sigmoid layer can scale the backpropagated gradient down by a factor of 4 and the first layers of a deep stack barely learn. Warning for 4 or more layers in a row, info for 2 or 3.");

    public static readonly DiagnosticDescriptor DeepTanhStack = Create(
        DiagnosticIds.DeepTanhStack, DiagnosticSeverity.Info,
        "Deep stack of tanh layers",
        "Dense layers {0} to {1} are {2} tanh hidden layers in a row: tanh' = 1 - tanh^2 < 1 away from 0 (0.42 at z = 1), so once units leave the linear region the gradient can shrink by up to 0.42^{2} = {3}; consider ReLU with He init",
        "Tanh saturates like the sigmoid; its derivative is 1 only at 0. Long tanh stacks train slowly unless carefully initialised.");

    public static readonly DiagnosticDescriptor VeryDeepNetwork = Create(
        DiagnosticIds.VeryDeepNetwork, DiagnosticSeverity.Info,
        "Very deep plain network",
        "'{0}' has {1} hidden dense layers: plain deep MLPs without normalisation or skip connections usually train worse than shallower ones (He et al. 2016: a 56-layer plain net had higher training error than a 20-layer one); consider fewer, wider layers",
        "Without batch normalisation or residual connections, optimisation gets harder with depth even when the deeper network could represent the shallower one.");

    public static readonly DiagnosticDescriptor SoftmaxOnOneUnit = Create(
        DiagnosticIds.SoftmaxOnOneUnit, DiagnosticSeverity.Error,
        "Softmax on a single unit",
        "{0} applies Softmax to 1 unit: e^z / e^z = 1 for every input, so the output is always 1 and its gradient is 0; use Sigmoid for a single probability",
        "Softmax normalises over the units of a layer; with one unit the result is the constant 1.");

    public static readonly DiagnosticDescriptor CrossEntropyOnOneUnit = Create(
        DiagnosticIds.CrossEntropyOnOneUnit, DiagnosticSeverity.Error,
        "CrossEntropy with one output unit",
        "Loss.CrossEntropy with 1 output unit ({0}): -sum t_k log p_k over one class ignores the negative class (a target of 0 gives loss 0 whatever the output); use Loss.BinaryCrossEntropy with a Sigmoid output",
        "Categorical cross-entropy needs one output per class. A binary problem with one output unit is a Bernoulli probability: sigmoid plus binary cross-entropy.");

    public static readonly DiagnosticDescriptor CrossEntropyWithoutSoftmax = Create(
        DiagnosticIds.CrossEntropyWithoutSoftmax, DiagnosticSeverity.Error,
        "CrossEntropy without a Softmax output",
        "Loss.CrossEntropy expects probabilities that sum to 1, but the output layer ({0}) uses {1}, whose {2} outputs lie in {3} and need not sum to 1; use Softmax on the output layer",
        "NetGen's CrossEntropy takes the log of the outputs as class probabilities (fused with Softmax for a stable gradient). Other activations do not give a distribution, so log p is meaningless or undefined.");

    public static readonly DiagnosticDescriptor BinaryCrossEntropyWithoutSigmoid = Create(
        DiagnosticIds.BinaryCrossEntropyWithoutSigmoid, DiagnosticSeverity.Error,
        "BinaryCrossEntropy without a Sigmoid output",
        "Loss.BinaryCrossEntropy expects each output in (0,1), but the output layer ({0}) uses {1}, whose range is {2}, so log(p) or log(1-p) can be undefined; use Sigmoid on the output layer",
        "Binary cross-entropy reads each output as the probability of a positive label; NetGen fuses it with Sigmoid and computes it from the logit.");

    public static readonly DiagnosticDescriptor SoftmaxWithBinaryCrossEntropy = Create(
        DiagnosticIds.SoftmaxWithBinaryCrossEntropy, DiagnosticSeverity.Warning,
        "Softmax output with BinaryCrossEntropy",
        "The output layer ({0}) uses Softmax over {1} units with Loss.BinaryCrossEntropy: softmax makes the classes compete (the outputs sum to 1), so at most one label can be near 1; for multi-label use Sigmoid, for one class per row use Loss.CrossEntropy",
        "Multi-label classification treats each output as an independent yes/no: Sigmoid per unit. Softmax is for exactly one class per row, with CrossEntropy.");

    public static readonly DiagnosticDescriptor BoundedRegressionOutput = Create(
        DiagnosticIds.BoundedRegressionOutput, DiagnosticSeverity.Warning,
        "Bounded output with a regression loss",
        "Loss.{0} is a regression loss, but the output layer ({1}) confines predictions to {2}; targets outside that range can never be reached; use Linear on the output layer",
        "Regression targets are real numbers. Sigmoid, Tanh and Softmax squash the output into a bounded range (warning); ReLU cuts off negative values (info).");

    public static readonly DiagnosticDescriptor LinearHiddenLayer = Create(
        DiagnosticIds.LinearHiddenLayer, DiagnosticSeverity.Warning,
        "Linear hidden layer",
        "Hidden {0} is Linear: it and dense layer {1} collapse into one linear map of rank <= min({2}) = {3}, so the layer adds parameters but no expressive power; use ReLU",
        "A composition of linear maps is linear. Without a nonlinearity a hidden layer can only restrict the rank of the map; remove it or give it an activation.");

    public static readonly DiagnosticDescriptor SoftmaxHiddenLayer = Create(
        DiagnosticIds.SoftmaxHiddenLayer, DiagnosticSeverity.Warning,
        "Softmax on a hidden layer",
        "Hidden {0} uses Softmax: its {1} outputs sum to 1, a mean activation of 1/{1} = {2}, and its units compete; softmax belongs on the output layer; use ReLU",
        "Softmax turns a layer into a probability distribution. In a hidden layer that shrinks the signal by the layer width and couples every unit to every other.");

    public static readonly DiagnosticDescriptor NonDifferentiableActivation = Create(
        DiagnosticIds.NonDifferentiableActivation, DiagnosticSeverity.Error,
        "Step or Sign activation in a trained network",
        "{0} uses {1}, whose derivative is 0 almost everywhere: with Loss.{2} no gradient passes through it, so {3} never learn; keep {1} for inference-only networks (Loss.None) or use Sigmoid/Tanh",
        "Gradient descent needs differentiable activations. Step and Sign are flat except at 0, so backpropagation multiplies the gradient by 0.");

    public static readonly DiagnosticDescriptor DropoutRateOutOfRange = Create(
        DiagnosticIds.DropoutRateOutOfRange, DiagnosticSeverity.Error,
        "Dropout rate out of range",
        "[Dropout({0})] {1}; typical rates are 0.1-0.5",
        "The rate is the probability of dropping a unit: it must be in [0, 1) (error otherwise). Rates above 0.5 (warning) drop most of the signal and scale the rest by 1/(1-p).");

    public static readonly DiagnosticDescriptor HighInputDropout = Create(
        DiagnosticIds.HighInputDropout, DiagnosticSeverity.Info,
        "High dropout on the input",
        "[Dropout({0})] directly after [Input] drops {1}% of the raw features at each training step: input dropout above 0.2 throws away much of the signal; the usual input rate is 0.1-0.2 (Srivastava et al. keep 0.8 of the inputs)",
        "Hidden units are redundant and tolerate high dropout; raw input features are not, so input dropout is kept low.");

    public static readonly DiagnosticDescriptor InvalidLearningRate = Create(
        DiagnosticIds.InvalidLearningRate, DiagnosticSeverity.Error,
        "Learning rate is not positive",
        "LearningRate = {0}: {1}; use a positive rate ({2} defaults to {3})",
        "Each step moves the parameters by -rate x gradient. A rate of 0 never moves them; a negative rate climbs the loss.");

    public static readonly DiagnosticDescriptor UnusualLearningRate = Create(
        DiagnosticIds.UnusualLearningRate, DiagnosticSeverity.Warning,
        "Learning rate outside the optimizer's usual range",
        "LearningRate = {0} is outside the usual range for {1}, {2}; its default is {3}",
        "Adaptive optimizers (Adam, AdamW, RMSprop) normalise the step, so rates above 1e-2 tend to diverge; plain SGD tolerates up to about 1. Rates below 1e-6 make no visible progress.");

    public static readonly DiagnosticDescriptor BottleneckBeforeSoftmax = Create(
        DiagnosticIds.BottleneckBeforeSoftmax, DiagnosticSeverity.Warning,
        "Hidden layer narrower than the number of classes",
        "Hidden {0} has {1} units but the softmax output has {2} classes: width {1} < {2} caps the rank of the {2} logits at {1}, so some class scores are tied to the others; widen it to at least {2}",
        "The logits are a linear map of the last hidden representation; a bottleneck narrower than the number of classes limits which class rankings the network can express (the softmax bottleneck).");

    public static readonly DiagnosticDescriptor HugeLayer = Create(
        DiagnosticIds.HugeLayer, DiagnosticSeverity.Info,
        "Very large layer",
        "{0} has {1} weights: {2} for the weights alone{3}",
        "Parameters live in one contiguous array. Layers of 1e8 weights and more need hundreds of megabytes, three times that while training with Adam (weights plus two moment buffers).");

    private static DiagnosticDescriptor Create(string id, DiagnosticSeverity severity, string title, string message, string description) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, description, helpLinkUri: DiagnosticIds.HelpLink(id));
}
