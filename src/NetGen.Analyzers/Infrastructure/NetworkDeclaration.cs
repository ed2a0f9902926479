using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>
/// A network that <see cref="NetworkParser"/> read without errors, with the dense layers indexed and the places to
/// report on. Rules see only complete declarations: when the parser finds an NG0xxx error the generator reports it
/// and the analyzers stay silent.
/// </summary>
internal sealed class NetworkDeclaration
{
    private NetworkDeclaration(INamedTypeSymbol type, NetworkSpec spec, NetworkParseResult parse, ImmutableArray<DenseLayer> denseLayers,
        CancellationToken cancellationToken)
    {
        Type = type;
        Spec = spec;
        Parse = parse;
        DenseLayers = denseLayers;
        CancellationToken = cancellationToken;
    }

    public INamedTypeSymbol Type { get; }

    public NetworkSpec Spec { get; }

    public NetworkParseResult Parse { get; }

    public ImmutableArray<DenseLayer> DenseLayers { get; }

    public CancellationToken CancellationToken { get; }

    public DenseLayer Output => DenseLayers[DenseLayers.Length - 1];

    public IEnumerable<DenseLayer> HiddenLayers => DenseLayers.Take(DenseLayers.Length - 1);

    /// <summary>Reads <paramref name="type"/>; null when it is not a complete, error-free network.</summary>
    public static NetworkDeclaration? Read(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        NetworkParseResult parse = NetworkParser.Parse(type, cancellationToken);
        NetworkSpec? spec = parse.Spec;
        if (spec is null || parse.LayerAttributes.Length != spec.Layers.Count)
        {
            return null;
        }

        var dense = ImmutableArray.CreateBuilder<DenseLayer>();
        int lastDense = -1;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            if (spec.Layers[i].Kind == LayerKindSpec.Dense)
            {
                lastDense = i;
            }
        }

        int fanIn = spec.InputSize;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            if (layer.Kind != LayerKindSpec.Dense)
            {
                continue;
            }

            dense.Add(new DenseLayer(layer, i, dense.Count + 1, fanIn, parse.LayerAttributes[i], i == lastDense));
            fanIn = layer.Units;
        }

        return dense.Count == 0 ? null : new NetworkDeclaration(type, spec, parse, dense.ToImmutable(), cancellationToken);
    }

    /// <summary>Where a layer attribute (dense or dropout) is written.</summary>
    public Location LocationOf(int layerIndex) => WithBrackets(Parse.LayerAttributes[layerIndex]);

    public Location LocationOf(DenseLayer layer) => LocationOf(layer.LayerIndex);

    /// <summary>The [Input] attribute (always present in a complete declaration).</summary>
    public Location InputLocation => Parse.InputAttribute is { } input ? WithBrackets(input) : Place(null);

    /// <summary>
    /// An attribute with its brackets when it stands alone in its list (<c>[Dense(64)]</c>), so the squiggle covers
    /// the whole line; the attribute alone when it shares a list (<c>[Input(4), Dense(8)]</c>).
    /// </summary>
    private Location WithBrackets(AttributeData attribute)
    {
        SyntaxNode? syntax = attribute.ApplicationSyntaxReference?.GetSyntax(CancellationToken);
        if (syntax?.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.AttributeListSyntax { Attributes.Count: 1 } list)
        {
            return list.GetLocation();
        }

        return Place(syntax?.GetLocation());
    }

    /// <summary>Whether <c>[Network]</c> sets the named argument <paramref name="name"/> explicitly.</summary>
    public bool HasNetworkArgument(string name) =>
        Parse.NetworkAttribute is { } network && network.NamedArguments.Any(a => a.Key == name);

    /// <summary>The <c>Name = value</c> argument of <c>[Network]</c>; the attribute itself when the argument is absent.</summary>
    public Location NetworkArgumentLocation(string name) =>
        Place(Parse.NetworkAttribute is { } network ? NetworkParser.ArgumentLocation(network, -1, name, CancellationToken) : null);

    /// <summary>The dense layer that follows layer <paramref name="layer"/>, if any.</summary>
    public DenseLayer? Next(DenseLayer layer) => layer.Number < DenseLayers.Length ? DenseLayers[layer.Number] : null;

    private Location Place(Location? location) => location ?? Type.Locations.FirstOrDefault() ?? Location.None;
}
