using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>NG1020-NG1021: the learning rate written on [Network].</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OptimizerAnalyzer : NetworkDesignAnalyzer
{
    private const string LearningRate = "LearningRate";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DesignDescriptors.InvalidLearningRate,
        DesignDescriptors.UnusualLearningRate);

    private protected override void Analyze(NetworkDeclaration network, Action<Diagnostic> report)
    {
        if (!network.HasNetworkArgument(LearningRate))
        {
            return;
        }

        double rate = network.Spec.LearningRate;
        Optimizer optimizer = network.Spec.Optimizer;
        Location location = network.NetworkArgumentLocation(LearningRate);
        string written = Numbers.Exact(rate);
        string defaultRate = DefaultLiteral(optimizer);
        if (!(rate > 0) || double.IsInfinity(rate))
        {
            string reason = rate == 0 ? "a step of 0 never changes the weights"
                : rate < 0 ? "a negative rate climbs the loss instead of descending it"
                : "the rate is not a finite number";
            report(Report.Create(DesignDescriptors.InvalidLearningRate, location, written, reason, optimizer.ToString(), defaultRate));
            return;
        }

        bool adaptive = OptimizerCatalog.IsAdaptive(optimizer);
        double upper = adaptive ? 1e-2 : 1.0;
        if (rate < 1e-6 || rate > upper)
        {
            string range = adaptive ? "[1e-6, 1e-2]" : "[1e-6, 1]";
            report(Report.Create(DesignDescriptors.UnusualLearningRate, location, DiagnosticSeverity.Warning, null,
                Report.Properties((FixProperties.Value, defaultRate)), written, optimizer.ToString(), range, defaultRate));
        }
    }

    /// <summary>The optimizer's default rate as a C# literal (torch.optim defaults, as <see cref="OptimizerCatalog.DefaultLearningRate"/>).</summary>
    private static string DefaultLiteral(Optimizer optimizer) =>
        OptimizerCatalog.DefaultLearningRate(optimizer) == 1e-3 ? "1e-3" : Numbers.Exact(OptimizerCatalog.DefaultLearningRate(optimizer));
}
