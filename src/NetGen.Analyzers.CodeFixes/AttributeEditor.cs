using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace NetGen.CodeFixes;

/// <summary>
/// Edits to NetGen attribute arguments that keep the user's trivia: an enum member is renamed in place
/// (<c>Activation.Sigmoid</c> becomes <c>Activation.ReLU</c>, qualifier and spacing kept); a missing argument is added
/// fully qualified and left to the simplifier, so it reads <c>Activation.ReLU</c> wherever <c>using NetGen;</c> is in scope.
/// </summary>
internal static class AttributeEditor
{
    /// <summary>Sets the activation: the second positional argument, or <c>activation:</c>.</summary>
    public static AttributeSyntax WithActivation(AttributeSyntax attribute, string member)
    {
        AttributeArgumentSyntax? existing = Positional(attribute, 1, "activation");
        if (existing is not null)
        {
            return attribute.ReplaceNode(existing, existing.WithExpression(EnumValue(existing.Expression, "Activation", member)));
        }

        return Insert(attribute, SyntaxFactory.AttributeArgument(NewEnumValue("Activation", member)), 1);
    }

    /// <summary>Sets the named argument <c>Name = Enum.Member</c>, adding it at the end when absent.</summary>
    public static AttributeSyntax WithNamedEnum(AttributeSyntax attribute, string name, string enumType, string member)
    {
        AttributeArgumentSyntax? existing = Named(attribute, name);
        if (existing is not null)
        {
            return attribute.ReplaceNode(existing, existing.WithExpression(EnumValue(existing.Expression, enumType, member)));
        }

        AttributeArgumentSyntax argument = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(SyntaxFactory.IdentifierName(name).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space)),
            null,
            NewEnumValue(enumType, member));
        return Insert(attribute, argument, attribute.ArgumentList?.Arguments.Count ?? 0);
    }

    /// <summary>Replaces a number: the named argument <paramref name="name"/> if given, else the first positional argument.</summary>
    public static AttributeSyntax WithNumber(AttributeSyntax attribute, string? name, string literal)
    {
        AttributeArgumentSyntax? existing = name is null ? Positional(attribute, 0, "rate") : Named(attribute, name);
        if (existing is null)
        {
            return attribute;
        }

        ExpressionSyntax number = SyntaxFactory.ParseExpression(literal).WithTriviaFrom(existing.Expression);
        return attribute.ReplaceNode(existing, existing.WithExpression(number));
    }

    public static bool IsNetworkAttribute(AttributeSyntax attribute) =>
        RightmostName(attribute.Name) is "Network" or "NetworkAttribute";

    /// <summary>The attribute a diagnostic location points at: its list (brackets included), the attribute, or one of its arguments.</summary>
    public static AttributeSyntax? AttributeAt(SyntaxNode root, Location location)
    {
        if (!location.IsInSource || !root.FullSpan.Contains(location.SourceSpan))
        {
            return null;
        }

        SyntaxNode node = root.FindNode(location.SourceSpan);
        return node is AttributeListSyntax list ? list.Attributes.FirstOrDefault() : node.FirstAncestorOrSelf<AttributeSyntax>();
    }

    private static string RightmostName(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => "",
    };

    private static AttributeArgumentSyntax? Positional(AttributeSyntax attribute, int position, string parameterName)
    {
        IEnumerable<AttributeArgumentSyntax> arguments = attribute.ArgumentList?.Arguments ?? default(SeparatedSyntaxList<AttributeArgumentSyntax>);
        AttributeArgumentSyntax? byName = arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameterName);
        if (byName is not null)
        {
            return byName;
        }

        List<AttributeArgumentSyntax> positional = arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
        return position < positional.Count ? positional[position] : null;
    }

    private static AttributeArgumentSyntax? Named(AttributeSyntax attribute, string name) =>
        attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    private static ExpressionSyntax EnumValue(ExpressionSyntax existing, string enumType, string member) =>
        existing is MemberAccessExpressionSyntax access
            ? access.WithName(SyntaxFactory.IdentifierName(member).WithTriviaFrom(access.Name))
            : NewEnumValue(enumType, member).WithTriviaFrom(existing);

    private static ExpressionSyntax NewEnumValue(string enumType, string member) =>
        SyntaxFactory.ParseExpression($"global::NetGen.{enumType}.{member}").WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary>Inserts an argument at <paramref name="index"/>, with ", " before it and the existing separators kept.</summary>
    private static AttributeSyntax Insert(AttributeSyntax attribute, AttributeArgumentSyntax argument, int index)
    {
        AttributeArgumentListSyntax list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        var nodes = list.Arguments.ToList();
        var separators = list.Arguments.GetSeparators().ToList();
        index = System.Math.Min(index, nodes.Count);
        nodes.Insert(index, argument);
        if (nodes.Count > 1)
        {
            SyntaxToken comma = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
            separators.Insert(System.Math.Max(index - 1, 0), comma);
        }

        return attribute.WithArgumentList(list.WithArguments(SyntaxFactory.SeparatedList(nodes, separators)));
    }
}
