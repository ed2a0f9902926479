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

    // NG0002, NG0004 and NG0007 have one descriptor per case: the message templates live here, the parser only passes
    // names and numbers as arguments.
    private const string InputTitle = "Network needs exactly one [Input], before its layers";
    private const string InputDescription = "A network starts with one [Input(size)] attribute that gives the number of features, followed by its layers in order.";

    public static readonly DiagnosticDescriptor InputMissing = Create(
        DiagnosticIds.InputMissingOrMisplaced, InputTitle,
        "'{0}' has no [Input(size)]; add one before its first layer to give the number of input features",
        InputDescription);

    public static readonly DiagnosticDescriptor InputRepeated = Create(
        DiagnosticIds.InputMissingOrMisplaced, InputTitle,
        "'{0}' has {1} [Input] attributes; a network has exactly one",
        InputDescription);

    public static readonly DiagnosticDescriptor InputAfterLayer = Create(
        DiagnosticIds.InputMissingOrMisplaced, InputTitle,
        "[Input] must come before the layers of '{0}', but a [Dense] layer precedes it; move [Input] to the top",
        InputDescription);

    public static readonly DiagnosticDescriptor NoDenseLayer = Create(
        DiagnosticIds.NoDenseLayer,
        "Network has no [Dense] layer",
        "'{0}' has no [Dense] layer; add at least one, e.g. [Dense(1, Activation.Sigmoid)]",
        "A network maps its input through one or more dense layers; without one there is nothing to compute.");

    private const string SizeTitle = "Layer size must be positive";
    private const string SizeDescription = "Input sizes and unit counts are array lengths in the generated code and must be at least 1.";

    public static readonly DiagnosticDescriptor InputSizeNotPositive = Create(
        DiagnosticIds.NonPositiveSize, SizeTitle, "The input size is {0}; a size must be at least 1", SizeDescription);

    public static readonly DiagnosticDescriptor UnitCountNotPositive = Create(
        DiagnosticIds.NonPositiveSize, SizeTitle, "The unit count of dense layer {0} is {1}; a size must be at least 1", SizeDescription);

    public static readonly DiagnosticDescriptor LayersSpreadOverDeclarations = Create(
        DiagnosticIds.LayersSpreadOverDeclarations,
        "Layer attributes must be on one declaration",
        "'{0}' has layer attributes on {1} partial declarations; the order of layers across files is undefined, so put [Input], [Dense] and [Dropout] on one declaration",
        "Layers are taken in source order. C# does not define an order between attributes of different partial declarations.");

    // NG0006: one descriptor per shape; the type's name ({0}) and, where one is named, the other type or member ({1}).
    private const string ShapeTitle = "Network type shape is not supported";
    private const string ShapePrefix = "'{0}' cannot be a network: ";
    private const string ShapeDescription = "A network is a non-generic, non-static class (or record class) without a primary constructor, not nested in a generic type, not derived from another network, and not named like one of its generated members.";

    public static readonly DiagnosticDescriptor ShapeRecordStruct = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it is a record struct; declare it as a class", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeStruct = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it is a struct; declare it as a class", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeInterface = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it is an interface; declare it as a class", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeNotClass = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it is not a class; declare it as a class", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeStatic = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it is static, but a network has instance parameters; remove 'static'", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeGeneric = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it is generic, but every size and type in a network is fixed; remove the type parameters", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeFileLocal = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it is a file-local ('file') class, but NetGen writes its members into another file, where they would declare a second class of that name; remove 'file'", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeInFileLocal = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it is nested in the file-local ('file') type '{1}', but NetGen writes its members into another file, where that type is not visible; remove 'file'", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapePrimaryConstructor = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it has a primary constructor, but NetGen generates the constructors () and (int) and C# requires every other constructor to call the primary one; remove the parameter list and declare the values as fields or properties", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeDerivesFromNetwork = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it derives from the network '{1}', whose parameters and training members its own would hide; derive from a class that is not a network, or hold the other network in a field", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeNamedLikeMember = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "its name is the name of the member '{0}' that NetGen generates for networks, and a member cannot have the name of its class; rename the class", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeInGenericType = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it is nested in the generic type '{1}'; move it out", ShapeDescription);
    public static readonly DiagnosticDescriptor ShapeInNonClass = Create(DiagnosticIds.UnsupportedTypeShape, ShapeTitle, ShapePrefix + "it is nested in '{1}', which is not a class or struct; move it out", ShapeDescription);

    private const string DropoutTitle = "Dropout must follow [Input] or a layer and precede a dense layer";
    private const string DropoutDescription = "[Dropout] masks, during training, the values coming out of what stands before it: the input features (directly after [Input]) or a dense layer. It cannot come before [Input], it cannot be the last layer (dropping outputs would corrupt what the loss sees), and two in a row are one dropout with a higher rate.";

    public static readonly DiagnosticDescriptor DropoutBeforeInput = Create(
        DiagnosticIds.DropoutPlacement, DropoutTitle,
        "[Dropout] comes before [Input] in '{0}'; move it after [Input] (input dropout) or after a [Dense] layer",
        DropoutDescription);

    public static readonly DiagnosticDescriptor DropoutLast = Create(
        DiagnosticIds.DropoutPlacement, DropoutTitle,
        "[Dropout] is the last layer of '{0}'; dropout belongs between layers, so remove it or add the output layer after it",
        DropoutDescription);

    public static readonly DiagnosticDescriptor DropoutTwice = Create(
        DiagnosticIds.DropoutPlacement, DropoutTitle,
        "Two [Dropout] layers in a row in '{0}'; merge them into one (rates p and q combine to 1 - (1 - p)(1 - q))",
        DropoutDescription);

    // NG0008: one descriptor per case. A [Dense] argument is named by its parameter or property name ({0}) and its
    // layer's number ({1}); a [Network] argument by its name ({0}).
    private const string UnusableTitle = "Argument is not a usable constant";
    private const string UnusableDescription = "Arguments become constants in the generated code, in the network's precision; NaN, infinities (including doubles beyond float's range in a float network) and enum values that have no member cannot.";
    private const string BeyondFloat = "the network computes in float, where it is infinite; use a number within ±3.4E+38, or Precision = Precision.Double";

    public static readonly DiagnosticDescriptor LayerEnumUndefined = Create(DiagnosticIds.UnusableArgument, UnusableTitle, "The {0} of dense layer {1} is ({2}){3}; use one of {4}", UnusableDescription);
    public static readonly DiagnosticDescriptor LayerValueNotFinite = Create(DiagnosticIds.UnusableArgument, UnusableTitle, "The {0} of dense layer {1} is {2}; use a finite number", UnusableDescription);
    public static readonly DiagnosticDescriptor LayerValueBeyondFloat = Create(DiagnosticIds.UnusableArgument, UnusableTitle, "The {0} of dense layer {1} is {2}; " + BeyondFloat, UnusableDescription);
    public static readonly DiagnosticDescriptor DropoutRateNotFinite = Create(DiagnosticIds.UnusableArgument, UnusableTitle, "The dropout rate is {0}; use a finite number", UnusableDescription);
    public static readonly DiagnosticDescriptor SettingEnumUndefined = Create(DiagnosticIds.UnusableArgument, UnusableTitle, "{0} is ({0}){1}; use one of {2}", UnusableDescription);
    public static readonly DiagnosticDescriptor SettingNotFinite = Create(DiagnosticIds.UnusableArgument, UnusableTitle, "{0} is {1}; use a finite number", UnusableDescription);
    public static readonly DiagnosticDescriptor ReducedWeightsInDouble = Create(DiagnosticIds.UnusableArgument, UnusableTitle, "WeightPrecision is WeightPrecision.{0} in a network of Precision.Double; reduced-precision weights serve float networks: use Precision.Single or remove WeightPrecision", UnusableDescription);
    public static readonly DiagnosticDescriptor SettingBeyondFloat = Create(DiagnosticIds.UnusableArgument, UnusableTitle, "{0} is {1}; " + BeyondFloat, UnusableDescription);

    public static readonly DiagnosticDescriptor MemberNameCollision = Create(
        DiagnosticIds.MemberNameCollision,
        "Declared member collides with a generated member",
        "'{0}' declares '{1}', which NetGen generates for networks; rename or remove it",
        "The generator adds InputSize, OutputSize, ParameterCount, Info, Parameters, Initialize, Predict, PredictBatch, PredictClass (classification outputs) and the constructors () and (int); with a Loss also LearningRate, ComputeGradients, TrainBatch, LastGradients, PredictLayers and ResetOptimizer; and private members named _netgen... and NetGen.... Members inherited from a base class count too.");

    public static readonly DiagnosticDescriptor NetworkTooLarge = Create(
        DiagnosticIds.NetworkTooLarge,
        "Network is too large to address",
        "'{0}' is too large to address: {1} needs {2} more {3}, which brings them to {4}; one array or Span holds at most {5} values, so make the layers smaller",
        "The generated code keeps all parameters in one array and every intermediate value of a row in one scratch array, indexed by int. A network whose parameters or scratch values do not fit in one array cannot be generated.");

    private static DiagnosticDescriptor Create(string id, string title, string message, string description) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description,
            helpLinkUri: DiagnosticIds.HelpLink(id), WellKnownDiagnosticTags.NotConfigurable);
}
