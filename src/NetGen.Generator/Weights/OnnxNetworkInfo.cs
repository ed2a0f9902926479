using System.Collections.Generic;
using System.Linq;

namespace NetGen.SourceGeneration.Weights;

/// <summary>
/// What <c>OnnxImporter</c> (src/NetGen.Runtime/Onnx/OnnxImporter.cs, compiled into the generator as it is) reads of a
/// network, built from the plan: the runtime's <c>NetworkInfo</c> with only the members the importer uses, so that an
/// <c>.onnx</c> weights file is checked at build time by the same code, and with the same messages, as
/// <c>Onnx.Import</c> at run time.
/// </summary>
internal sealed class NetworkInfo
{
    public NetworkInfo(NetworkPlan plan)
    {
        Name = plan.Spec.FullName;
        InputSize = plan.Spec.InputSize;
        ParameterCount = plan.ParameterCount;
        Layers = plan.Layers.Select(layer => layer is DenseLayerPlan dense
                ? new LayerInfo(LayerKind.Dense, dense.InputSize, dense.OutputSize, dense.Spec.Activation,
                    dense.Activation.Alpha != AlphaRole.None ? dense.Alpha : 0, dense.HasBias,
                    dense.Parameters.Weights.Offset, dense.Parameters.Bias?.Offset ?? -1, dense.Parameters.Slope ?? -1)
                : new LayerInfo(LayerKind.Dropout, layer.InputSize, layer.OutputSize, Activation.Linear, 0, false, -1, -1, -1))
            .ToList();
        OutputSize = Layers[Layers.Count - 1].Units;
    }

    public string Name { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    public int ParameterCount { get; }

    public IReadOnlyList<LayerInfo> Layers { get; }
}

/// <summary>One layer as <see cref="NetworkInfo"/> describes it (the runtime's <c>LayerInfo</c>, the members the importer reads).</summary>
internal sealed record LayerInfo(LayerKind Kind, int InputSize, int Units, Activation Activation, double Alpha, bool HasBias,
    int WeightOffset, int BiasOffset, int SlopeOffset);
