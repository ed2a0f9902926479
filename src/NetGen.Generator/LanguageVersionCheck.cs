using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.SourceGeneration;

/// <summary>
/// NG0012: the generated code uses C# 11 (<c>file</c>-local types, and UTF-8 string literals for embedded weights), so a project on an older language version gets one error naming both versions, and no generated
/// code at all, instead of a page of compiler errors inside files it did not write (docs/diagnostics/NG0012.md).
/// </summary>
internal static class LanguageVersionCheck
{
    /// <summary>The oldest C# the generated files compile with.</summary>
    public const LanguageVersion Required = LanguageVersion.CSharp11;

    public static readonly DiagnosticDescriptor TooOld = new(
        DiagnosticIds.LanguageVersionTooOld,
        "NetGen needs C# 11 or later",
        "The project compiles C# {0}, but NetGen's generated code needs C# 11 or later, so no code was generated for its {1} network(s): {2}; set <LangVersion>11</LangVersion> or later in the project file, or remove <LangVersion> (net8.0 and later default to C# 12 or later)",
        "NetGen.Declaration",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        "The generated networks use file-local types, and embedded weights use UTF-8 string literals, both introduced by C# 11. With an older LangVersion the generator emits nothing and reports this error once.",
        helpLinkUri: DiagnosticIds.HelpLink(DiagnosticIds.LanguageVersionTooOld),
        WellKnownDiagnosticTags.NotConfigurable);

    /// <summary>The effective language version of the compilation's C# parse options.</summary>
    public static IncrementalValueProvider<LanguageVersion> Register(IncrementalGeneratorInitializationContext context) =>
        context.ParseOptionsProvider.Select(static (options, _) => options is CSharpParseOptions csharp ? csharp.LanguageVersion : Required);

    public static bool Supports(LanguageVersion version) => version >= Required;

    /// <summary>One NG0012 for the whole project, with the number of networks that were not generated and the first five names.</summary>
    public static void Report(SourceProductionContext output, LanguageVersion version, ImmutableArray<string> networks)
    {
        if (Supports(version) || networks.IsDefaultOrEmpty)
        {
            return;
        }

        // The wording is the descriptor's; the arguments are the version, the count and the names (the first five, then "...").
        string names = string.Join(", ", networks.Take(5).Select(n => $"'{n}'")) + (networks.Length > 5 ? ", ..." : "");
        output.ReportDiagnostic(Diagnostic.Create(TooOld, Location.None, version.ToDisplayString(),
            networks.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), names));
    }
}
