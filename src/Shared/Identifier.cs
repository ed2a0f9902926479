using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.SourceGeneration;

/// <summary>How a name read from a symbol is printed into C#: with '@' when it is a keyword (<c>@class</c>).</summary>
internal static class Identifier
{
    /// <summary>
    /// <paramref name="name"/> as an identifier token. Reserved keywords need the '@'; contextual keywords get it too,
    /// which is always valid and spares knowing where each one is reserved.
    /// </summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    /// <summary>A dotted name (a namespace) with each part escaped.</summary>
    public static string EscapeDotted(string name) => string.Join(".", System.Linq.Enumerable.Select(name.Split('.'), Escape));
}
