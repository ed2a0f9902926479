namespace NetGen.SourceGeneration;

/// <summary>
/// A network laid out for code: every size, parameter offset and buffer offset the emitter writes as a constant.
/// Derived from a <see cref="NetworkSpec"/> alone by <see cref="NetworkPlanner"/>.
/// </summary>
internal sealed record NetworkPlan(
    NetworkSpec Spec,
    ScalarType Scalar,
    int OutputSize,
    int ParameterCount,
    long MultiplyAdds,
    int ScratchLength,
    EquatableArray<LayerPlan> Layers)
{
    public LayerPlan OutputLayer => Layers[Layers.Count - 1];
}

/// <summary>
/// One layer. <see cref="Number"/> counts all layers from 1 (the input is layer 0). Offsets are -1 where the layer
/// has no such part. <see cref="ActivationOffset"/> is where a hidden dense layer writes its output in the scratch
/// buffer (-1 for the output layer, which writes to the caller's span, and for dropout, which writes nothing at
/// inference); <see cref="SourceOffset"/> is where its input comes from (-1: the caller's input span).
/// </summary>
internal sealed record LayerPlan(
    int Number,
    LayerSpec Spec,
    int InputSize,
    int OutputSize,
    int WeightOffset,
    int BiasOffset,
    int SlopeOffset,
    int ParameterCount,
    long MultiplyAdds,
    int SourceOffset,
    int ActivationOffset,
    bool IsOutput)
{
    public bool IsDense => Spec.Kind == LayerKindSpec.Dense;
}

/// <summary>The floating-point type the code computes in, with what writing code in it needs.</summary>
internal sealed record ScalarType(string Name, string MathClass, int MaxVectorLanes, string LiteralSuffix)
{
    /// <summary>float: Vector&lt;float&gt; has at most 16 lanes (512-bit registers).</summary>
    public static ScalarType Single { get; } = new("float", "global::System.MathF", 16, "f");

    /// <summary>double: at most 8 lanes.</summary>
    public static ScalarType Double { get; } = new("double", "global::System.Math", 8, "d");

    /// <summary>A literal that reads back as exactly <paramref name="value"/> in this type, in invariant culture.</summary>
    public string Literal(double value)
    {
        string text = Name == "float"
            ? ((float)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return text + LiteralSuffix;
    }
}
