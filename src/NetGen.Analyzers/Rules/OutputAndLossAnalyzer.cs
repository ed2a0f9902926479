using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>NG1009-NG1014: whether the output activation suits the task the loss implies.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OutputAndLossAnalyzer : NetworkDesignAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DesignDescriptors.SoftmaxOnOneUnit,
        DesignDescriptors.CrossEntropyOnOneUnit,
        DesignDescriptors.CrossEntropyWithoutSoftmax,
        DesignDescriptors.BinaryCrossEntropyWithoutSigmoid,
        DesignDescriptors.SoftmaxWithBinaryCrossEntropy,
        DesignDescriptors.BoundedRegressionOutput);

    // The fixes suggest the output activation a loss reads as probabilities (the catalog's pairs: Sigmoid and binary
    // cross-entropy, Softmax and cross-entropy) and the identity for regression.
    private static readonly string Binary = ActivationTable.ProbabilitiesFor(Loss.BinaryCrossEntropy).ToString();

    private static readonly ImmutableDictionary<string, string?> UseSigmoid = Report.Properties((FixProperties.Activation, Binary));

    private protected override void Analyze(NetworkDeclaration network, Action<Diagnostic> report)
    {
        foreach (DenseLayer layer in network.DenseLayers)
        {
            if (layer.Entry.NormalisesRow && layer.Units == 1)
            {
                report(Report.Create(DesignDescriptors.SoftmaxOnOneUnit, network.LocationOf(layer), DiagnosticSeverity.Error, null, UseSigmoid,
                    layer.Title()));
            }
        }

        DenseLayer output = network.Output;
        Location outputLocation = network.LocationOf(output);
        switch (network.Spec.Loss)
        {
            case Loss.CrossEntropy when output.Units == 1:
                report(Report.Create(DesignDescriptors.CrossEntropyOnOneUnit, network.NetworkArgumentLocation("Loss"), DiagnosticSeverity.Error,
                    new[] { outputLocation },
                    Report.Properties((FixProperties.Activation, Binary), (FixProperties.Loss, nameof(Loss.BinaryCrossEntropy))),
                    output.Describe()));
                break;
            case Loss.CrossEntropy when output.Activation != LossCatalog.Of(Loss.CrossEntropy)!.FusesWith:
                report(Report.Create(DesignDescriptors.CrossEntropyWithoutSoftmax, outputLocation, DiagnosticSeverity.Error, null,
                    Report.Properties((FixProperties.Activation, ActivationTable.ProbabilitiesFor(Loss.CrossEntropy).ToString())),
                    output.Describe(), output.Activation.ToString(), Numbers.Int(output.Units), output.Entry.Range));
                break;
            case Loss.BinaryCrossEntropy when output.Entry.NormalisesRow && output.Units > 1:
                report(Report.Create(DesignDescriptors.SoftmaxWithBinaryCrossEntropy, outputLocation, output.Describe(), Numbers.Int(output.Units)));
                break;
            case Loss.BinaryCrossEntropy when output.Activation != LossCatalog.Of(Loss.BinaryCrossEntropy)!.FusesWith:
                report(Report.Create(DesignDescriptors.BinaryCrossEntropyWithoutSigmoid, outputLocation, DiagnosticSeverity.Error, null, UseSigmoid,
                    output.Describe(), output.Activation.ToString(), output.Entry.Range));
                break;
            case var loss when LossCatalog.Of(loss) is { IsRegression: true }:
                ReportBoundedRegression(network, output, outputLocation, report);
                break;
        }
    }

    private static void ReportBoundedRegression(NetworkDeclaration network, DenseLayer output, Location location, Action<Diagnostic> report)
    {
        DiagnosticSeverity? severity = output.Entry.RegressionFit switch
        {
            RegressionFit.Bounded => DiagnosticSeverity.Warning,
            RegressionFit.CutsNegatives => DiagnosticSeverity.Info,
            _ => null,
        };
        if (severity is { } found)
        {
            report(Report.Create(DesignDescriptors.BoundedRegressionOutput, location, found, null,
                Report.Properties((FixProperties.Activation, ActivationTable.Regression.ToString())),
                network.Spec.Loss.ToString(), output.Describe(), output.Entry.Range));
        }
    }
}
