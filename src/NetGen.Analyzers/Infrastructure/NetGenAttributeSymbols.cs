using System.Linq;
using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>The four NetGen attribute types of one compilation, resolved once at compilation start.</summary>
internal sealed class NetGenAttributeSymbols
{
    private readonly INamedTypeSymbol?[] _attributes;

    private NetGenAttributeSymbols(INamedTypeSymbol?[] attributes) => _attributes = attributes;

    /// <summary>Null when the compilation does not reference NetGen at all, so the analyzers register nothing.</summary>
    public static NetGenAttributeSymbols? Resolve(Compilation compilation)
    {
        INamedTypeSymbol?[] attributes =
        {
            compilation.GetTypeByMetadataName(NetworkParser.NetworkAttributeName),
            compilation.GetTypeByMetadataName(NetworkParser.InputAttributeName),
            compilation.GetTypeByMetadataName(NetworkParser.DenseAttributeName),
            compilation.GetTypeByMetadataName(NetworkParser.DropoutAttributeName),
        };
        return attributes.All(a => a is null) ? null : new NetGenAttributeSymbols(attributes);
    }

    /// <summary>Whether <paramref name="type"/> carries a NetGen attribute and so declares a network.</summary>
    public bool IsNetwork(INamedTypeSymbol type) => type.GetAttributes().Any(IsNetGenAttribute);

    public bool IsNetGenAttribute(AttributeData attribute) =>
        _attributes.Any(known => known is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known));
}
