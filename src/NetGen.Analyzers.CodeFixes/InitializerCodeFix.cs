using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.SourceGeneration;

namespace NetGen.CodeFixes;

/// <summary>NG1001 (He normal, or He uniform), NG1002 (Glorot), NG1003 (LeCun normal): set the layer's <c>Init</c>.</summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(InitializerCodeFix)), Shared]
public sealed class InitializerCodeFix : AttributeCodeFix
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticIds.ReLUWithGlorotInit, DiagnosticIds.SaturatingWithHeInit, DiagnosticIds.SeluWithoutSelfNormalisation);

    private protected override IEnumerable<(string Title, string Key, Func<AttributeSyntax, AttributeSyntax> Edit)> Actions(Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(FixProperties.Init, out string? inits) || string.IsNullOrEmpty(inits))
        {
            yield break;
        }

        foreach (string init in inits!.Split(','))
        {
            yield return ($"Use Init.{init}", $"{diagnostic.Id}:{init}",
                attribute => AttributeEditor.WithNamedEnum(attribute, "Init", "Init", init));
        }
    }
}
