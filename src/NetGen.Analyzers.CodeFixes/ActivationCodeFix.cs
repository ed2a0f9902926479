using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.SourceGeneration;

namespace NetGen.CodeFixes;

/// <summary>
/// Switches activations (and, where the analyzer asks, the initialiser and the loss): NG1006 sigmoid stack to ReLU with
/// He init; NG1009 Softmax to Sigmoid; NG1010/NG1012 Sigmoid output with BinaryCrossEntropy; NG1011 Softmax output;
/// NG1014 Linear output; NG1015/NG1016 ReLU hidden layer.
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(ActivationCodeFix)), Shared]
public sealed class ActivationCodeFix : AttributeCodeFix
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.DeepSigmoidStack, DiagnosticIds.SoftmaxOnOneUnit, DiagnosticIds.CrossEntropyOnOneUnit,
        DiagnosticIds.CrossEntropyWithoutSoftmax, DiagnosticIds.BinaryCrossEntropyWithoutSigmoid, DiagnosticIds.BoundedRegressionOutput,
        DiagnosticIds.LinearHiddenLayer, DiagnosticIds.SoftmaxHiddenLayer);

    private protected override IEnumerable<(string Title, string Key, Func<AttributeSyntax, AttributeSyntax> Edit)> Actions(Diagnostic diagnostic)
    {
        diagnostic.Properties.TryGetValue(FixProperties.Activation, out string? activation);
        diagnostic.Properties.TryGetValue(FixProperties.Init, out string? init);
        diagnostic.Properties.TryGetValue(FixProperties.Loss, out string? loss);
        if (string.IsNullOrEmpty(activation))
        {
            yield break;
        }

        string title = $"Use Activation.{activation}" + (init is null ? "" : $" with Init.{init}") + (loss is null ? "" : $" and Loss.{loss}");
        yield return (title, diagnostic.Id, Edit);

        AttributeSyntax Edit(AttributeSyntax attribute)
        {
            if (AttributeEditor.IsNetworkAttribute(attribute))
            {
                return loss is null ? attribute : AttributeEditor.WithNamedEnum(attribute, "Loss", "Loss", loss);
            }

            AttributeSyntax edited = AttributeEditor.WithActivation(attribute, activation!);
            return init is null ? edited : AttributeEditor.WithNamedEnum(edited, "Init", "Init", init);
        }
    }
}
