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

    private static readonly ImmutableDictionary<string, string?> UseSigmoid =
        Report.Properties((FixProperties.Activation, nameof(ActivationKind.Sigmoid)));

    private protected override void Analyze(NetworkDeclaration network, Action<Diagnostic> report)
    {
        foreach (DenseLayer layer in network.DenseLayers)
        {
            if (layer.Activation == ActivationKind.Softmax && layer.Units == 1)
            {
                report(Report.Create(DesignDescriptors.SoftmaxOnOneUnit, network.LocationOf(layer), DiagnosticSeverity.Error, null, UseSigmoid,
                    layer.Title()));
            }
        }

        DenseLayer output = network.Output;
        Location outputLocation = network.LocationOf(output);
        switch (network.Spec.Loss)
        {
            case LossKind.CrossEntropy when output.Units == 1:
                report(Report.Create(DesignDescriptors.CrossEntropyOnOneUnit, network.NetworkArgumentLocation("Loss"), DiagnosticSeverity.Error,
                    new[] { outputLocation },
                    Report.Properties((FixProperties.Activation, nameof(ActivationKind.Sigmoid)), (FixProperties.Loss, nameof(LossKind.BinaryCrossEntropy))),
                    output.Describe()));
                break;
            case LossKind.CrossEntropy when output.Activation != ActivationKind.Softmax:
                report(Report.Create(DesignDescriptors.CrossEntropyWithoutSoftmax, outputLocation, DiagnosticSeverity.Error, null,
                    Report.Properties((FixProperties.Activation, nameof(ActivationKind.Softmax))),
                    output.Describe(), output.Activation.ToString(), Numbers.Int(output.Units), InitFacts.Range(output.Activation)));
                break;
            case LossKind.BinaryCrossEntropy when output.Activation == ActivationKind.Softmax && output.Units > 1:
                report(Report.Create(DesignDescriptors.SoftmaxWithBinaryCrossEntropy, outputLocation, output.Describe(), Numbers.Int(output.Units)));
                break;
            case LossKind.BinaryCrossEntropy when output.Activation != ActivationKind.Sigmoid:
                report(Report.Create(DesignDescriptors.BinaryCrossEntropyWithoutSigmoid, outputLocation, DiagnosticSeverity.Error, null, UseSigmoid,
                    output.Describe(), output.Activation.ToString(), InitFacts.Range(output.Activation)));
                break;
            case LossKind.MeanSquaredError or LossKind.MeanAbsoluteError or LossKind.Huber:
                ReportBoundedRegression(network, output, outputLocation, report);
                break;
        }
    }

    private static void ReportBoundedRegression(NetworkDeclaration network, DenseLayer output, Location location, Action<Diagnostic> report)
    {
        DiagnosticSeverity? severity = output.Activation switch
        {
            ActivationKind.Sigmoid or ActivationKind.Tanh or ActivationKind.Softmax => DiagnosticSeverity.Warning,
            ActivationKind.ReLU => DiagnosticSeverity.Info,
            _ => null,
        };
        if (severity is { } found)
        {
            report(Report.Create(DesignDescriptors.BoundedRegressionOutput, location, found, null,
                Report.Properties((FixProperties.Activation, nameof(ActivationKind.Linear))),
                network.Spec.Loss.ToString(), output.Describe(), InitFacts.Range(output.Activation)));
        }
    }
}
