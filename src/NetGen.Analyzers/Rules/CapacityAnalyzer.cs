using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>NG1022-NG1023: layers too narrow for the classes, or too large for memory.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CapacityAnalyzer : NetworkDesignAnalyzer
{
    private const long HugeWeightCount = 100_000_000;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DesignDescriptors.BottleneckBeforeSoftmax,
        DesignDescriptors.HugeLayer);

    private protected override void Analyze(NetworkDeclaration network, Action<Diagnostic> report)
    {
        DenseLayer output = network.Output;
        if (output.Entry.NormalisesRow && output.Units >= 2)
        {
            foreach (DenseLayer layer in network.HiddenLayers)
            {
                if (layer.Units < output.Units)
                {
                    report(Report.Create(DesignDescriptors.BottleneckBeforeSoftmax, network.LocationOf(layer),
                        layer.Describe(), Numbers.Int(layer.Units), Numbers.Int(output.Units)));
                }
            }
        }

        int scalarBytes = network.Spec.Precision == Precision.Double ? 8 : 4;
        foreach (DenseLayer layer in network.DenseLayers)
        {
            long weights = (long)layer.FanIn * layer.Units;
            if (weights < HugeWeightCount)
            {
                continue;
            }

            double bytes = (double)weights * scalarBytes;
            string training = network.Spec.IsTrainable && OptimizerCatalog.KeepsTwoMoments(network.Spec.Optimizer)
                ? $", x3 = {Numbers.Bytes(bytes * 3)} while training with {network.Spec.Optimizer} (two moment buffers)"
                : "";
            report(Report.Create(DesignDescriptors.HugeLayer, network.LocationOf(layer),
                layer.Title(), Numbers.Count(weights), Numbers.Bytes(bytes), training));
        }
    }
}
