namespace NetGen.SourceGeneration;

/// <summary>Every NetGen diagnostic ID, shared by descriptors, code fixes and tests. See docs/diagnostics/.</summary>
internal static class DiagnosticIds
{
    public const string NotPartial = "NG0001";
    public const string InputMissingOrMisplaced = "NG0002";
    public const string NoDenseLayer = "NG0003";
    public const string NonPositiveSize = "NG0004";
    public const string LayersSpreadOverDeclarations = "NG0005";
    public const string UnsupportedTypeShape = "NG0006";
    public const string DropoutPlacement = "NG0007";
    public const string UnusableArgument = "NG0008";
    public const string MemberNameCollision = "NG0009";
    public const string WeightsDoNotFit = "NG0010";
    public const string NetworkTooLarge = "NG0011";
    public const string LanguageVersionTooOld = "NG0012";
    public const string StandardizerMissing = "NG0013";

    public const string ReLUWithGlorotInit = "NG1001";
    public const string SaturatingWithHeInit = "NG1002";
    public const string SeluWithoutSelfNormalisation = "NG1003";
    public const string UnusualSlope = "NG1004";
    public const string ZeroWeights = "NG1005";
    public const string DeepSigmoidStack = "NG1006";
    public const string DeepTanhStack = "NG1007";
    public const string VeryDeepNetwork = "NG1008";
    public const string SoftmaxOnOneUnit = "NG1009";
    public const string CrossEntropyOnOneUnit = "NG1010";
    public const string CrossEntropyWithoutSoftmax = "NG1011";
    public const string BinaryCrossEntropyWithoutSigmoid = "NG1012";
    public const string SoftmaxWithBinaryCrossEntropy = "NG1013";
    public const string BoundedRegressionOutput = "NG1014";
    public const string LinearHiddenLayer = "NG1015";
    public const string SoftmaxHiddenLayer = "NG1016";
    public const string NonDifferentiableActivation = "NG1017";
    public const string DropoutRateOutOfRange = "NG1018";
    public const string HighInputDropout = "NG1019";
    public const string InvalidLearningRate = "NG1020";
    public const string UnusualLearningRate = "NG1021";
    public const string BottleneckBeforeSoftmax = "NG1022";
    public const string HugeLayer = "NG1023";

    public const string IdleVectorLanes = "NG2001";
    public const string SpanLengthMismatch = "NG2002";
    public const string PredictInRowLoop = "NG2003";
    public const string TrainingWithoutLoss = "NG2004";

    /// <summary>Where every rule's page lives: <c>docs/diagnostics/NGxxxx.md</c> in the repository.</summary>
    public const string HelpLinkBase = "https://github.com/netgen-dev/netgen/blob/main/docs/diagnostics/";

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";
}
