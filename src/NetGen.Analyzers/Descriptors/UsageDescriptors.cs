using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>NG2001-NG2004: how a network is sized and called.</summary>
internal static class UsageDescriptors
{
    public const string PerformanceCategory = "NetGen.Performance";
    public const string UsageCategory = "NetGen.Usage";

    public static readonly DiagnosticDescriptor IdleVectorLanes = new(
        DiagnosticIds.IdleVectorLanes,
        "Layer width leaves vector lanes idle",
        "{0} has width {1}, not a multiple of 8: each row of {1} weights in dense layer {2} ends in a part-filled vector, leaving {3} of {4} lanes idle on {4}-lane vectors and {5} of {6} on {6}-lane vectors (a scalar tail does the rest); a width of {7} fills them",
        PerformanceCategory,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        "The generated code computes each unit as a Vector<T> dot product over its inputs. A width that is a multiple of the vector length needs no scalar tail. Widths narrower than one 8-lane vector are not reported.",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.IdleVectorLanes));

    public static readonly DiagnosticDescriptor SpanLengthMismatch = new(
        DiagnosticIds.SpanLengthMismatch,
        "Span length does not fit the network",
        "'{0}' of {1}.{2} has length {3}, but {4}; the call throws ArgumentException",
        UsageCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "Predict, PredictClass, PredictBatch and TrainBatch check their span lengths against InputSize and OutputSize and throw when they do not fit. When a length is a compile-time constant the mismatch is certain.",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.SpanLengthMismatch));

    public static readonly DiagnosticDescriptor PredictInRowLoop = new(
        DiagnosticIds.PredictInRowLoop,
        "Predict called row by row in a loop",
        "{0}.Predict is called once per row of '{1}' in this loop; {0}.PredictBatch({1}, outputs) does all the rows in one call and reads each weight once per tile of 4 rows",
        PerformanceCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        "PredictBatch runs rows in tiles that share each weight load, with results identical to Predict's bit for bit; calling Predict per row of a buffer gives up that reuse.",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.PredictInRowLoop));

    public static readonly DiagnosticDescriptor TrainingWithoutLoss = new(
        DiagnosticIds.TrainingWithoutLoss,
        "Training a network declared without a Loss",
        "{0} has no {1}: it is declared without a Loss, so NetGen generates only its inference members. Set Loss on its [Network] attribute (for its {2} output: [Network(Loss = Loss.{3})]) to generate TrainBatch, ComputeGradients and the other training members and make it an ITrainableNetwork.",
        UsageCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "Training members (TrainBatch, ComputeGradients, LearningRate, LastGradients, OptimizerState...) and ITrainableNetwork<T>, which Trainer.Fit takes, are generated only for networks whose [Network] attribute names a Loss. Without one the compiler reports only that the member does not exist (CS1061) or that the network does not convert (CS1503).",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.TrainingWithoutLoss));
}
