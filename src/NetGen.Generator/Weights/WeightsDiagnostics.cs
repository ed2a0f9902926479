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

    /// <summary>NG0013: <c>StandardizeInputs = true</c> with a weights file that carries no standardizer (docs/diagnostics/NG0013.md).</summary>
    public static readonly DiagnosticDescriptor StandardizerMissing = new(
        DiagnosticIds.StandardizerMissing,
        "The weights file carries no input standardizer",
        "'{1}' declares StandardizeInputs = true, but its weights file '{0}' {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        "[Network(Weights = \"file\", StandardizeInputs = true)] compiles the inputs' standardizer in with the weights, and the generated PredictRaw " +
        "applies it. The file must carry one: a NetGen model file saved with ModelFile.Save(net, path, standardizer), or a safetensors file or .npz " +
        "archive with the tensors netgen.standardizer.mean and netgen.standardizer.std of shape [InputSize].",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.StandardizerMissing), WellKnownDiagnosticTags.NotConfigurable);

    /// <summary>The end of NG0013's message: what the file is, and how to give it a standardizer.</summary>
    public static string NoStandardizerIn(WeightFileContents contents) =>
        contents.Onnx is not null
            ? "is an ONNX graph, which carries no standardizer for NetGen; embed a NetGen model file or a safetensors/.npz file with the tensors netgen.standardizer.mean and netgen.standardizer.std instead, or remove Weights and set InputStandardizer at run time"
            : contents.Fingerprint is not null
                ? "is a NetGen model file saved without one; save it with ModelFile.Save(net, path, standardizer), or remove StandardizeInputs"
                : $"({contents.Format}) has no tensors netgen.standardizer.mean and netgen.standardizer.std; add both, of shape [InputSize], or remove StandardizeInputs";
}
