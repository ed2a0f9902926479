using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>
/// A network that <see cref="NetworkParser"/> read without errors and <see cref="NetworkPlanner"/> laid out (the plan
/// the generator prints), with the places to report on. Rules see only complete declarations: when the parser finds an
/// NG0xxx error the generator reports it and the analyzers stay silent.
/// </summary>
internal sealed class NetworkDeclaration
{
    private NetworkDeclaration(INamedTypeSymbol type, NetworkPlan plan, NetworkParseResult parse, ImmutableArray<DenseLayer> denseLayers)
    {
        Type = type;
        Plan = plan;
        Parse = parse;
        DenseLayers = denseLayers;
    }

    public INamedTypeSymbol Type { get; }

    public NetworkPlan Plan { get; }

    public NetworkSpec Spec => Plan.Spec;

    public NetworkParseResult Parse { get; }

    public ImmutableArray<DenseLayer> DenseLayers { get; }

    public DenseLayer Output => DenseLayers[DenseLayers.Length - 1];

    public IEnumerable<DenseLayer> HiddenLayers => DenseLayers.Take(DenseLayers.Length - 1);

    /// <summary>Reads <paramref name="type"/>; null when it is not a complete, error-free network. Prefer <see cref="NetworkDeclarations.Get"/>.</summary>
    public static NetworkDeclaration? Read(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        NetworkParseResult parse = NetworkParser.Parse(type, cancellationToken);
        if (parse.Plan is not { } plan || parse.LayerAttributes.Length != plan.Layers.Count)
        {
            return null;
        }

        ImmutableArray<DenseLayer> dense = plan.DenseLayers.Select(l => new DenseLayer(l, parse.LayerAttributes[l.Index])).ToImmutableArray();
        return dense.Length == 0 ? null : new NetworkDeclaration(type, plan, parse, dense);
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
        SyntaxNode? syntax = attribute.ApplicationSyntaxReference?.GetSyntax(CancellationToken.None);
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
        Place(Parse.NetworkAttribute is { } network ? NetworkParser.ArgumentLocation(network, -1, name, CancellationToken.None) : null);

    /// <summary>The dense layer that follows <paramref name="layer"/>, if any.</summary>
    public DenseLayer? Next(DenseLayer layer) => layer.DenseNumber < DenseLayers.Length ? DenseLayers[layer.DenseNumber] : null;

    /// <summary>The dense layer before <paramref name="layer"/>, if any.</summary>
    public DenseLayer? Previous(DenseLayer layer) => layer.DenseNumber > 1 ? DenseLayers[layer.DenseNumber - 2] : null;

    /// <summary>The first dense layer after layer index <paramref name="layerIndex"/>, if any.</summary>
    public DenseLayer? DenseAfter(int layerIndex) => DenseLayers.FirstOrDefault(l => l.LayerIndex > layerIndex);

    private Location Place(Location? location) => location ?? Type.Locations.FirstOrDefault() ?? Location.None;
}
