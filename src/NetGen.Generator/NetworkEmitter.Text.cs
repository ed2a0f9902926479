using System.Globalization;

namespace NetGen.SourceGeneration;

/// <summary>How the emitter writes numbers, layers and scratch references.</summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>"Dense 784 -> 256, ReLU" or "Dropout 0.2 (training only; identity at inference)".</summary>
    internal static string Describe(LayerPlan layer)
    {
        if (layer is not DenseLayerPlan dense)
        {
            return $"Dropout {Double(((DropoutLayerPlan)layer).Rate).TrimEnd('d')} (training only; identity at inference)";
        }

        string activation = dense.Activation.WithAlpha(dense.Alpha, alpha => "α = " + Double(alpha).TrimEnd('d'));
        return $"Dense {Int(dense.InputSize)} -> {Int(dense.OutputSize)}, {activation}{(dense.HasBias ? "" : ", no bias")}";
    }

    /// <summary>A ref to a scratch slot by its constant's name, or to the caller's row (<c>x</c>) for null.</summary>
    private static string Ref(ScratchSlot? slot) => slot is null ? "ref x" : $"ref Unsafe.Add(ref a, {slot.Name})";

    internal static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string Double(double value) => ScalarType.Double.Literal(value);
}
