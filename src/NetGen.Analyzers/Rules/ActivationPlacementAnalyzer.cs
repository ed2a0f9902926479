using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>NG1015-NG1017: activations in places where they cannot do their job.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ActivationPlacementAnalyzer : NetworkDesignAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DesignDescriptors.LinearHiddenLayer,
        DesignDescriptors.SoftmaxHiddenLayer,
        DesignDescriptors.NonDifferentiableActivation);

    private protected override void Analyze(NetworkDeclaration network, Action<Diagnostic> report)
    {
        foreach (DenseLayer layer in network.HiddenLayers)
        {
            if (layer.Entry.IsIdentity && network.Next(layer) is { } next)
            {
                int rank = Math.Min(layer.FanIn, Math.Min(layer.Units, next.Units));
                string widths = $"{Numbers.Int(layer.FanIn)}, {Numbers.Int(layer.Units)}, {Numbers.Int(next.Units)}";
                report(Report.Create(DesignDescriptors.LinearHiddenLayer, network.LocationOf(layer), DiagnosticSeverity.Warning, null, UseReLU(layer),
                    layer.Describe(), Numbers.Int(next.Number), widths, Numbers.Int(rank)));
            }
            else if (layer.Entry.NormalisesRow)
            {
                report(Report.Create(DesignDescriptors.SoftmaxHiddenLayer, network.LocationOf(layer), DiagnosticSeverity.Warning, null, UseReLU(layer),
                    layer.Describe(), Numbers.Int(layer.Units), Numbers.Short(1.0 / layer.Units)));
            }
        }

        if (network.Spec.Loss == Loss.None)
        {
            return;
        }

        foreach (DenseLayer layer in network.DenseLayers.Where(l => !l.Entry.Differentiable))
        {
            int before = layer.DenseNumber - 1; // dense layers before it, whose weights it freezes too
            string frozen = before == 0 ? "its weights" : $"its weights and those of the {Numbers.Int(before)} layer{(before == 1 ? "" : "s")} before it";
            report(Report.Create(DesignDescriptors.NonDifferentiableActivation, network.LocationOf(layer),
                layer.Title(), layer.Activation.ToString(), network.Spec.Loss.ToString(), frozen));
        }
    }

    /// <summary>The catalog's hidden activation (ReLU), and He init when the layer names an initialiser meant for another activation (else the fix would trade one warning for NG1001).</summary>
    private static ImmutableDictionary<string, string?> UseReLU(DenseLayer layer) => Report.Properties(
        (FixProperties.Activation, ActivationTable.Hidden.ToString()),
        (FixProperties.Init, layer.Spec.DeclaredInit == Init.Default || InitCatalog.IsHe(layer.Spec.DeclaredInit) ? null : nameof(Init.HeNormal)));
}
