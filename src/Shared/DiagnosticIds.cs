namespace NetGen.SourceGeneration;

/// <summary>Every NetGen diagnostic ID, shared by descriptors, code fixes and tests. See docs/diagnostics/.</summary>
internal static class DiagnosticIds
{
    public const string NotPartial = "NG0001";
    public const string InputMissingOrMisplaced = "NG0002";
    public const string NoDenseLayer = "NG0003";
    public const string NonPositiveSize = "NG0004";
    public const string LayersSpreadOverDeclarations = "NG0005";
    public const string UnsupportedTypeShape = "NG0006";
    public const string DropoutPlacement = "NG0007";
    public const string UnusableArgument = "NG0008";
    public const string MemberNameCollision = "NG0009";

    /// <summary>Where every rule's page lives: <c>docs/diagnostics/NGxxxx.md</c> in the repository.</summary>
    public const string HelpLinkBase = "https://github.com/netgen-dev/netgen/blob/main/docs/diagnostics/";

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";
}
