using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>NG0001-NG0009 and NG0011 onward: declarations that cannot become code. Errors, reported by the generator, which then emits nothing.</summary>
internal static class DeclarationDiagnostics
{
    private const string Category = "NetGen.Declaration";

    public static readonly DiagnosticDescriptor NotPartial = Create(
        DiagnosticIds.NotPartial,
        "Network type must be partial",
        "'{0}' declares a network but is not partial, so NetGen cannot add the generated members; add the 'partial' modifier{1}",
        "The generator adds the network's constants, constructors and methods in a second part of the class. Every declaration of the type, and of each type that contains it, needs the 'partial' modifier.");

    public static readonly DiagnosticDescriptor InputMissingOrMisplaced = Create(
        DiagnosticIds.InputMissingOrMisplaced,
        "Network needs exactly one [Input], before its layers",
        "{0}",
        "A network starts with one [Input(size)] attribute that gives the number of features, followed by its layers in order.");

    public static readonly DiagnosticDescriptor NoDenseLayer = Create(
        DiagnosticIds.NoDenseLayer,
        "Network has no [Dense] layer",
        "'{0}' has no [Dense] layer; add at least one, e.g. [Dense(1, Activation.Sigmoid)]",
        "A network maps its input through one or more dense layers; without one there is nothing to compute.");

    public static readonly DiagnosticDescriptor NonPositiveSize = Create(
        DiagnosticIds.NonPositiveSize,
        "Layer size must be positive",
        "{0} is {1}; a size must be at least 1",
        "Input sizes and unit counts are array lengths in the generated code and must be at least 1.");

    public static readonly DiagnosticDescriptor LayersSpreadOverDeclarations = Create(
        DiagnosticIds.LayersSpreadOverDeclarations,
        "Layer attributes must be on one declaration",
        "'{0}' has layer attributes on {1} partial declarations; the order of layers across files is undefined, so put [Input], [Dense] and [Dropout] on one declaration",
        "Layers are taken in source order. C# does not define an order between attributes of different partial declarations.");

    public static readonly DiagnosticDescriptor UnsupportedTypeShape = Create(
        DiagnosticIds.UnsupportedTypeShape,
        "Network type shape is not supported",
        "'{0}' cannot be a network: {1}",
        "A network is a non-generic, non-static class (or record class), not nested in a generic type.");

    public static readonly DiagnosticDescriptor DropoutPlacement = Create(
        DiagnosticIds.DropoutPlacement,
        "Dropout must follow [Input] or a layer and precede a dense layer",
        "{0}",
        "[Dropout] masks, during training, the values coming out of what stands before it: the input features (directly after [Input]) or a dense layer. It cannot come before [Input], it cannot be the last layer (dropping outputs would corrupt what the loss sees), and two in a row are one dropout with a higher rate.");

    public static readonly DiagnosticDescriptor UnusableArgument = Create(
        DiagnosticIds.UnusableArgument,
        "Argument is not a usable constant",
        "{0} is {1}; {2}",
        "Arguments become constants in the generated code; NaN, infinities and enum values that have no member cannot.");

    public static readonly DiagnosticDescriptor MemberNameCollision = Create(
        DiagnosticIds.MemberNameCollision,
        "Declared member collides with a generated member",
        "'{0}' declares '{1}', which NetGen generates for networks; rename or remove it",
        "The generator adds InputSize, OutputSize, ParameterCount, Info, Parameters, Initialize, Predict, PredictBatch, PredictClass (classification outputs) and the constructors () and (int); with a Loss also LearningRate, ComputeGradients, TrainBatch, LastGradients, PredictLayers and ResetOptimizer.");

    public static readonly DiagnosticDescriptor NetworkTooLarge = Create(
        DiagnosticIds.NetworkTooLarge,
        "Network is too large to address",
        "'{0}' is too large to address: {1} needs {2} more {3}, which brings them to {4}; one array or Span holds at most {5} values, so make the layers smaller",
        "The generated code keeps all parameters in one array and every intermediate value of a row in one scratch array, indexed by int. A network whose parameters or scratch values do not fit in one array cannot be generated.");

    private static DiagnosticDescriptor Create(string id, string title, string message, string description) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description,
            helpLinkUri: DiagnosticIds.HelpLink(id), WellKnownDiagnosticTags.NotConfigurable);
}
