using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.SourceGeneration;

namespace NetGen.CodeFixes;

/// <summary>NG2004: adds <c>Loss = Loss.X</c> (the loss the analyzer chose for the output activation) to the network's [Network] attribute.</summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(LossCodeFix)), Shared]
public sealed class LossCodeFix : AttributeCodeFix
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.TrainingWithoutLoss);

    private protected override IEnumerable<(string Title, string Key, Func<AttributeSyntax, AttributeSyntax> Edit)> Actions(Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(FixProperties.Loss, out string? loss) || string.IsNullOrEmpty(loss) || diagnostic.AdditionalLocations.Count == 0)
        {
            yield break;
        }

        yield return ($"Train with Loss.{loss}: add it to [Network]", diagnostic.Id + "." + loss,
            attribute => AttributeEditor.IsNetworkAttribute(attribute) ? AttributeEditor.WithNamedEnum(attribute, "Loss", "Loss", loss!) : attribute);
    }
}
