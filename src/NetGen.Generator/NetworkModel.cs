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

        return new NetworkModel(KeyOf(type), HintNames.Of(type), result.Plan, new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    /// <summary>A network's identity across pipeline steps: unique per type (it includes containing types and arity).</summary>
    public static string KeyOf(INamedTypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "`" + type.Arity;
}

/// <summary>
/// The one place that names generated files. Roslyn rejects a hint name with characters outside a small set (an
/// <c>@</c> of an escaped keyword, for one) and two hint names that differ only in case, and either rejection fails the
/// whole generator (CS8785), removing the generated members of every network in the project.
/// </summary>
internal static class HintNames
{
    /// <summary>
    /// <c>Namespace.Outer.Type.NetGen.g.cs</c> (docs/architecture.md) from the metadata names (no <c>@</c>), with every
    /// character other than a letter, a digit, '_' and '.' replaced by '_'. Not yet unique: see <see cref="MakeUnique"/>.
    /// </summary>
    public static string Of(INamedTypeSymbol type)
    {
        var parts = new System.Collections.Generic.List<string>();
        for (ISymbol? symbol = type; symbol is INamedTypeSymbol or INamespaceSymbol { IsGlobalNamespace: false }; symbol = symbol.ContainingSymbol)
        {
            parts.Add(symbol.MetadataName);
        }

        parts.Reverse();
        var name = new System.Text.StringBuilder();
        foreach (char c in string.Join(".", parts))
        {
            name.Append(char.IsLetterOrDigit(c) || c is '_' or '.' ? c : '_');
        }

        return name.Append(NetworkParser.GeneratedFileSuffix).ToString();
    }

    /// <summary>
    /// Makes the hint names of <paramref name="models"/> (in their order, which is the ordinal order of their keys)
    /// unique ignoring case, as Roslyn compares them: the first keeps its name, a later one that collides becomes
    /// <c>Name.2.NetGen.g.cs</c>, <c>Name.3.NetGen.g.cs</c> and so on. No type or namespace name starts with a digit, so
    /// these never collide with a name of <see cref="Of"/>.
    /// </summary>
    public static ImmutableArray<NetworkModel> MakeUnique(ImmutableArray<NetworkModel> models)
    {
        var taken = new System.Collections.Generic.HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        var result = ImmutableArray.CreateBuilder<NetworkModel>(models.Length);
        foreach (NetworkModel model in models)
        {
            string hintName = model.HintName;
            string stem = hintName.Substring(0, hintName.Length - NetworkParser.GeneratedFileSuffix.Length);
            for (int n = 2; !taken.Add(hintName); n++)
            {
                hintName = $"{stem}.{n.ToString(System.Globalization.CultureInfo.InvariantCulture)}{NetworkParser.GeneratedFileSuffix}";
            }

            result.Add(hintName == model.HintName ? model : model with { HintName = hintName });
        }

        return result.MoveToImmutable();
    }
}
