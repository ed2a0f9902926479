using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace NetGen.SourceGeneration;

/// <summary>
/// The length of a span argument when it is certain at compile time: <c>new float[3]</c>, <c>new float[] { ... }</c>,
/// <c>stackalloc float[3]</c>, or a local initialised with one of those and never assigned again.
/// </summary>
internal static class ConstantSpanLength
{
    public static int? Of(IOperation? value, CancellationToken cancellationToken) => Of(value, followLocals: true, cancellationToken);

    private static int? Of(IOperation? value, bool followLocals, CancellationToken cancellationToken)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        switch (value)
        {
            case null:
                return null;
            case IArrayCreationOperation { DimensionSizes.Length: 1 } array:
                return array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int length } && length >= 0 ? length : null;
            case ILocalReferenceOperation local when followLocals:
                return OfLocal(local, cancellationToken);
        }

        return value.Syntax switch
        {
            StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax { RankSpecifiers.Count: 1 } arrayType }
                when arrayType.RankSpecifiers[0].Sizes.Count == 1 && value.SemanticModel is { } model =>
                model.GetConstantValue(arrayType.RankSpecifiers[0].Sizes[0], cancellationToken) is { HasValue: true, Value: int length } && length >= 0 ? length : null,
            ImplicitStackAllocArrayCreationExpressionSyntax implicitStackAlloc => implicitStackAlloc.Initializer.Expressions.Count,
            _ => null,
        };
    }

    private static int? OfLocal(ILocalReferenceOperation reference, CancellationToken cancellationToken)
    {
        ILocalSymbol local = reference.Local;
        if (local.IsRef || local.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel is not { } model
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer: { } initializer } declarator
            || declarator.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        SyntaxNode? body = declarator.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax
            or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax or CompilationUnitSyntax);
        if (body is null || IsWrittenAgain(body, local.Name))
        {
            return null;
        }

        return Of(model.GetOperation(initializer.Value, cancellationToken), followLocals: false, cancellationToken);
    }

    /// <summary>Conservative: any assignment to, or ref/out use of, a name like the local's counts as a write.</summary>
    private static bool IsWrittenAgain(SyntaxNode body, string name) =>
        body.DescendantNodes().OfType<IdentifierNameSyntax>().Any(identifier => identifier.Identifier.ValueText == name && identifier.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == identifier,
            ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
            RefExpressionSyntax => true,
            _ => false,
        });
}
