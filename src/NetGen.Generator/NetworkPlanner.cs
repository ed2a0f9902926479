using System.Collections.Generic;

namespace NetGen.SourceGeneration;

/// <summary>
/// Lays a network out: parameters in PyTorch <c>state_dict</c> order (each dense layer's weight [out, in] row-major,
/// then its bias, then a PReLU slope), and each hidden layer's output at its own place in one scratch buffer so
/// that training can read every activation back.
/// </summary>
internal static class NetworkPlanner
{
    public static NetworkPlan Plan(NetworkSpec spec)
    {
        var layers = new List<LayerPlan>(spec.Layers.Count);
        int width = spec.InputSize;
        int parameterOffset = 0;
        int scratchOffset = 0;
        int source = -1; // the caller's input
        long multiplyAdds = 0;
        int lastDense = LastDenseIndex(spec);

        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            if (layer.Kind == LayerKindSpec.Dropout)
            {
                // Identity at inference: the next layer reads what this one received.
                layers.Add(new LayerPlan(i + 1, layer, width, width, -1, -1, -1, 0, 0, source, -1, false));
                continue;
            }

            int weights = parameterOffset;
            int bias = layer.HasBias ? weights + (layer.Units * width) : -1;
            int slope = layer.Activation == ActivationKind.PReLU ? weights + (layer.Units * width) + (layer.HasBias ? layer.Units : 0) : -1;
            int count = (layer.Units * width) + (layer.HasBias ? layer.Units : 0) + (slope >= 0 ? 1 : 0);
            bool isOutput = i == lastDense;
            int activation = isOutput ? -1 : scratchOffset;
            long macs = (long)layer.Units * width;

            layers.Add(new LayerPlan(i + 1, layer, width, layer.Units, weights, bias, slope, count, macs, source, activation, isOutput));

            parameterOffset += count;
            multiplyAdds += macs;
            if (!isOutput)
            {
                scratchOffset += layer.Units;
                source = activation;
            }

            width = layer.Units;
        }

        return new NetworkPlan(
            spec,
            spec.Precision == PrecisionKind.Double ? ScalarType.Double : ScalarType.Single,
            width,
            parameterOffset,
            multiplyAdds,
            // One output row is kept at the end of the scratch for PredictClass.
            scratchOffset + width,
            new EquatableArray<LayerPlan>(layers));
    }

    private static int LastDenseIndex(NetworkSpec spec)
    {
        for (int i = spec.Layers.Count - 1; i >= 0; i--)
        {
            if (spec.Layers[i].Kind == LayerKindSpec.Dense)
            {
                return i;
            }
        }

        return -1;
    }
}
