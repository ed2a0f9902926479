using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration.Weights;

/// <summary>
/// NG0010: a <c>[Network(Weights = ...)]</c> file that cannot be compiled in. One ID, two messages: the file is not
/// there (or not an AdditionalFiles item, or unreadable), or a tensor does not fit (docs/diagnostics/NG0010.md).
/// </summary>
internal static class WeightsDiagnostics
{
    private const string Category = "NetGen.Weights";

    private const string Description =
        "[Network(Weights = \"file\")] compiles a weights file into the assembly. The file must be an AdditionalFiles item of the project " +
        "(a path relative to the project file), in a format NetGen reads (NetGen model file, safetensors, .npz, .npy, or an ONNX graph " +
        "named *.onnx), with one tensor per layer parameter in state_dict order and every shape as the layers declare it (an ONNX graph: " +
        "one Gemm or MatMul per dense layer, followed by the declared activation).";

    public static readonly DiagnosticDescriptor FileUnavailable = new(
        DiagnosticIds.WeightsDoNotFit,
        "Weights file cannot be compiled in",
        "The weights file '{0}' of '{1}' {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, Description,
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.WeightsDoNotFit), WellKnownDiagnosticTags.NotConfigurable);

    public static readonly DiagnosticDescriptor DoesNotFit = new(
        DiagnosticIds.WeightsDoNotFit,
        "Weights file does not fit the network",
        "The weights file '{0}' does not fit '{1}': {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, Description,
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.WeightsDoNotFit), WellKnownDiagnosticTags.NotConfigurable);
}
