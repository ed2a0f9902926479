using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>
/// One read of each network per compilation, shared by every NetGen analyzer: the first rule that asks parses and plans
/// the type, the others find the result. Keyed weakly by the compilation, so nothing outlives it.
/// </summary>
internal static class NetworkDeclarations
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<INamedTypeSymbol, NetworkDeclaration?>> Cache = new();

    /// <summary>The declaration of <paramref name="type"/>, or null when it is not a complete, error-free network.</summary>
    public static NetworkDeclaration? Get(Compilation compilation, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        ConcurrentDictionary<INamedTypeSymbol, NetworkDeclaration?> networks =
            Cache.GetValue(compilation, static _ => new ConcurrentDictionary<INamedTypeSymbol, NetworkDeclaration?>(SymbolEqualityComparer.Default));
        if (networks.TryGetValue(type, out NetworkDeclaration? found))
        {
            return found;
        }

        // Two rules may read the same type at once; both results are equal, the first stored wins.
        return networks.GetOrAdd(type, NetworkDeclaration.Read(type, cancellationToken));
    }
}
