using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.SourceGeneration;

namespace NetGen.CodeFixes;

/// <summary>NG1018 clamps a dropout rate into 0.1-0.5; NG1021 puts the optimizer's default learning rate.</summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(NumberCodeFix)), Shared]
public sealed class NumberCodeFix : AttributeCodeFix
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.DropoutRateOutOfRange, DiagnosticIds.UnusualLearningRate);

    private protected override IEnumerable<(string Title, string Key, Func<AttributeSyntax, AttributeSyntax> Edit)> Actions(Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(FixProperties.Value, out string? value) || string.IsNullOrEmpty(value))
        {
            yield break;
        }

        bool learningRate = diagnostic.Id == DiagnosticIds.UnusualLearningRate;
        string title = learningRate ? $"Use the optimizer's default learning rate {value}" : $"Set the dropout rate to {value}";
        yield return (title, diagnostic.Id, attribute => AttributeEditor.WithNumber(attribute, learningRate ? "LearningRate" : null, value!));
    }
}
