using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>
/// Base of the fixes that rewrite NetGen attributes at a diagnostic's locations (the primary one and the additional
/// ones the analyzer attached). Subclasses say which actions to offer and how to edit each attribute.
/// </summary>
public abstract class AttributeCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            foreach ((string title, string key, Func<AttributeSyntax, AttributeSyntax> edit) in Actions(diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, token => ApplyAsync(context.Document, diagnostic, edit, token), key),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The actions for one diagnostic: a title, an equivalence key (ID plus variant) and the edit to each attribute.</summary>
    private protected abstract IEnumerable<(string Title, string Key, Func<AttributeSyntax, AttributeSyntax> Edit)> Actions(Diagnostic diagnostic);

    private static async Task<Document> ApplyAsync(Document document, Diagnostic diagnostic, Func<AttributeSyntax, AttributeSyntax> edit,
        CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        ImmutableArray<AttributeSyntax> targets = new[] { diagnostic.Location }.Concat(diagnostic.AdditionalLocations)
            .Where(l => l.SourceTree == root.SyntaxTree)
            .Select(l => AttributeEditor.AttributeAt(root, l))
            .OfType<AttributeSyntax>()
            .Distinct()
            .ToImmutableArray();
        if (targets.IsEmpty)
        {
            return document;
        }

        return document.WithSyntaxRoot(root.ReplaceNodes(targets, (original, _) => edit(original)));
    }
}
