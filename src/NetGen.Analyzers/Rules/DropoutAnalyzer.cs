using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>NG1018-NG1019: dropout rates.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DropoutAnalyzer : NetworkDesignAnalyzer
{
    private const double MaxUsualRate = 0.5;
    private const double MinUsualRate = 0.1;
    private const double MaxInputRate = 0.2;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DesignDescriptors.DropoutRateOutOfRange,
        DesignDescriptors.HighInputDropout);

    private protected override void Analyze(NetworkDeclaration network, Action<Diagnostic> report)
    {
        IReadOnlyList<LayerSpec> layers = network.Spec.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].Kind != LayerKind.Dropout)
            {
                continue;
            }

            double p = layers[i].DropoutRate;
            string rate = Numbers.Exact(p);
            (DiagnosticSeverity Severity, string Reason, double Clamped)? problem =
                p < 0 ? (DiagnosticSeverity.Error, "is negative, but a rate is the probability of dropping a unit", MinUsualRate)
                : p >= 1 ? (DiagnosticSeverity.Error, "drops every unit: a rate is a probability below 1, and the kept units would be scaled by 1/(1-p) = inf", MaxUsualRate)
                : p > MaxUsualRate ? (DiagnosticSeverity.Warning, $"drops more than half of the units and scales the kept ones by 1/(1-p) = {Numbers.Short(1 / (1 - p))}, so training is slow and noisy", MaxUsualRate)
                : null;
            if (problem is { } found)
            {
                report(Report.Create(DesignDescriptors.DropoutRateOutOfRange, network.LocationOf(i), found.Severity, null,
                    Report.Properties((FixProperties.Value, Numbers.Exact(found.Clamped))), rate, found.Reason));
            }

            if (i == 0 && p > MaxInputRate && p < 1)
            {
                report(Report.Create(DesignDescriptors.HighInputDropout, network.LocationOf(i), rate, Numbers.Short(p * 100)));
            }
        }
    }
}
