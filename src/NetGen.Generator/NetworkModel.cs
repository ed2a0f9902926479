using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.SourceGeneration;

/// <summary>
/// What the pipeline carries for one network type: the plan (null when it cannot be generated) and the diagnostics
/// that say why, with locations reduced to plain data. Equatable, and free of symbols, syntax and compilations.
/// </summary>
internal sealed record NetworkModel(string Key, string HintName, NetworkPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A diagnostic as data: which descriptor, where, with which message arguments.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), Arguments.Select(a => (object?)a).ToArray());
}

/// <summary>A source location as data (a <see cref="Location"/> would keep its syntax tree alive).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is { IsInSource: true } ? new LocationInfo(location.SourceTree!.FilePath, location.SourceSpan, location.GetLineSpan().Span) : null;
}

/// <summary>Builds a <see cref="NetworkModel"/> from a type symbol: the generator's only contact with symbols.</summary>
internal static class NetworkModelBuilder
{
    public static NetworkModel Build(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        NetworkParseResult result = NetworkParser.Parse(type, cancellationToken);
        ImmutableArray<DiagnosticInfo> diagnostics = result.Diagnostics
            .Select(d => new DiagnosticInfo(d.Descriptor, LocationInfo.From(d.Location), new EquatableArray<string>(d.Arguments)))
            .ToImmutableArray();

        // The metadata name is unique per type (it includes containing types and arity).
        string key = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "`" + type.Arity;
        string hintName = HintNameOf(type);
        return new NetworkModel(key, hintName, result.Plan, new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    /// <summary><c>Namespace.Outer.Type.NetGen.g.cs</c> (docs/architecture.md).</summary>
    private static string HintNameOf(INamedTypeSymbol type)
    {
        string name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
            .WithGenericsOptions(SymbolDisplayGenericsOptions.None));
        return name.Replace('<', '_').Replace('>', '_') + ".NetGen.g.cs";
    }
}
