using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>NG1006-NG1008: stacks of saturating layers and plain depth, where the gradient fades on its way back.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DepthAnalyzer : NetworkDesignAnalyzer
{
    private const int SigmoidWarningDepth = 4;
    private const int TanhInfoDepth = 6;
    private const int DeepHiddenCount = 10;

    /// <summary>tanh'(1) = 1 - tanh(1)^2: the slope once a unit is one unit away from 0.</summary>
    private const double TanhSlopeAtOne = 0.41997434161402614;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DesignDescriptors.DeepSigmoidStack,
        DesignDescriptors.DeepTanhStack,
        DesignDescriptors.VeryDeepNetwork);

    private protected override void Analyze(NetworkDeclaration network, Action<Diagnostic> report)
    {
        foreach (List<DenseLayer> run in Runs(network, ActivationKind.Sigmoid).Where(r => r.Count >= 2))
        {
            DiagnosticSeverity severity = run.Count >= SigmoidWarningDepth ? DiagnosticSeverity.Warning : DiagnosticSeverity.Info;
            ImmutableDictionary<string, string?> properties = Report.Properties(
                (FixProperties.Activation, nameof(ActivationKind.ReLU)), (FixProperties.Init, nameof(InitKind.HeNormal)));
            report(Report.Create(DesignDescriptors.DeepSigmoidStack, network.LocationOf(run[0]), severity,
                run.Skip(1).Select(network.LocationOf), properties,
                Numbers.Int(run[0].Number), Numbers.Int(run[run.Count - 1].Number), Numbers.Int(run.Count), Numbers.Short(Math.Pow(0.25, run.Count))));
        }

        foreach (List<DenseLayer> run in Runs(network, ActivationKind.Tanh).Where(r => r.Count >= TanhInfoDepth))
        {
            report(Report.Create(DesignDescriptors.DeepTanhStack, network.LocationOf(run[0]), DiagnosticSeverity.Info,
                run.Skip(1).Select(network.LocationOf), null,
                Numbers.Int(run[0].Number), Numbers.Int(run[run.Count - 1].Number), Numbers.Int(run.Count),
                Numbers.Short(Math.Pow(TanhSlopeAtOne, run.Count))));
        }

        List<DenseLayer> hidden = network.HiddenLayers.ToList();
        if (hidden.Count >= DeepHiddenCount)
        {
            report(Report.Create(DesignDescriptors.VeryDeepNetwork, network.LocationOf(hidden[DeepHiddenCount - 1]),
                network.Type.Name, Numbers.Int(hidden.Count)));
        }
    }

    /// <summary>Maximal runs of consecutive hidden layers with one activation; dropout between them does not break a run.</summary>
    private static IEnumerable<List<DenseLayer>> Runs(NetworkDeclaration network, ActivationKind activation)
    {
        var run = new List<DenseLayer>();
        foreach (DenseLayer layer in network.HiddenLayers)
        {
            if (layer.Activation == activation)
            {
                run.Add(layer);
                continue;
            }

            if (run.Count > 0)
            {
                yield return run;
                run = new List<DenseLayer>();
            }
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
