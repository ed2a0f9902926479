using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>Builds diagnostics with an effective severity (for the catalog's E/W and W/I rules) and code-fix properties.</summary>
internal static class Report
{
    public static Diagnostic Create(DiagnosticDescriptor descriptor, Location location, params object[] arguments) =>
        Diagnostic.Create(descriptor, location, arguments);

    public static Diagnostic Create(DiagnosticDescriptor descriptor, Location location, DiagnosticSeverity severity,
        IEnumerable<Location>? additionalLocations, ImmutableDictionary<string, string?>? properties, params object[] arguments) =>
        Diagnostic.Create(descriptor, location, severity, additionalLocations, properties, arguments);

    public static ImmutableDictionary<string, string?> Properties(params (string Key, string? Value)[] entries)
    {
        ImmutableDictionary<string, string?>.Builder builder = ImmutableDictionary.CreateBuilder<string, string?>();
        foreach ((string key, string? value) in entries)
        {
            if (value is not null)
            {
                builder[key] = value;
            }
        }

        return builder.ToImmutable();
    }
}
