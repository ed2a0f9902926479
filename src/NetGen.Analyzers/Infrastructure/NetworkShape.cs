using System.Threading;
using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>The sizes a call must fit.</summary>
internal sealed record NetworkShape(string TypeName, int InputSize, int OutputSize)
{
    public static NetworkShape? Read(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        NetworkDeclaration.Read(type, cancellationToken) is { } network
            ? new NetworkShape(type.Name, network.Spec.InputSize, network.Output.Units)
            : null;
}
