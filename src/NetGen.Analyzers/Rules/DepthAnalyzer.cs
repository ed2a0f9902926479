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
    private const int DeepHiddenCount = 10;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DesignDescriptors.DeepSigmoidStack,
        DesignDescriptors.DeepTanhStack,
        DesignDescriptors.VeryDeepNetwork);

    private protected override void Analyze(NetworkDeclaration network, Action<Diagnostic> report)
    {
        // The catalog says which activations fade the gradient in stacks (sigmoid: NG1006, tanh: NG1007) and how fast.
        foreach (List<DenseLayer> run in Runs(network))
        {
            if (run[0].Entry.DeepStack is not { } rule || run.Count < rule.MinimumRun)
            {
                continue;
            }

            bool sigmoid = rule.RuleId == DiagnosticIds.DeepSigmoidStack;
            DiagnosticSeverity severity = run.Count >= rule.WarningRun ? DiagnosticSeverity.Warning : DiagnosticSeverity.Info;
            ImmutableDictionary<string, string?>? properties = sigmoid
                ? Report.Properties((FixProperties.Activation, ActivationTable.Hidden.ToString()), (FixProperties.Init, nameof(Init.HeNormal)))
                : null;
            report(Report.Create(sigmoid ? DesignDescriptors.DeepSigmoidStack : DesignDescriptors.DeepTanhStack, network.LocationOf(run[0]), severity,
                run.Skip(1).Select(network.LocationOf), properties,
                Numbers.Int(run[0].Number), Numbers.Int(run[run.Count - 1].Number), Numbers.Int(run.Count),
                Numbers.Short(Math.Pow(rule.ShrinkPerLayer, run.Count))));
        }

        List<DenseLayer> hidden = network.HiddenLayers.ToList();
        if (hidden.Count >= DeepHiddenCount)
        {
            report(Report.Create(DesignDescriptors.VeryDeepNetwork, network.LocationOf(hidden[DeepHiddenCount - 1]),
                network.Type.Name, Numbers.Int(hidden.Count)));
        }
    }

    /// <summary>Maximal runs of consecutive hidden layers with one activation; dropout between them does not break a run.</summary>
    private static IEnumerable<List<DenseLayer>> Runs(NetworkDeclaration network)
    {
        var run = new List<DenseLayer>();
        foreach (DenseLayer layer in network.HiddenLayers)
        {
            if (run.Count > 0 && run[0].Activation != layer.Activation)
            {
                yield return run;
                run = new List<DenseLayer>();
            }

            run.Add(layer);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
