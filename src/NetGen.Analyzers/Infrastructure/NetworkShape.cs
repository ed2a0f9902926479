namespace NetGen.SourceGeneration;

/// <summary>The sizes a call must fit.</summary>
internal sealed record NetworkShape(string TypeName, int InputSize, int OutputSize)
{
    public static NetworkShape From(NetworkDeclaration network) => new(network.Type.Name, network.Spec.InputSize, network.Plan.OutputSize);
}
