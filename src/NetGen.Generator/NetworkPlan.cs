namespace NetGen.SourceGeneration;

/// <summary>
/// A network laid out for code: every size, parameter offset and scratch offset the emitter writes as a constant.
/// Derived from a <see cref="NetworkSpec"/> alone by <see cref="NetworkPlanner"/>.
/// </summary>
/// <remarks>
/// One scratch layout serves inference (per thread) and training (per instance): each dense layer's pre-activations
/// z and outputs y, each dropout layer's mask and output, then two gradient rows of <see cref="MaxWidth"/> values
/// and one target row used by backpropagation. From <see cref="BatchRegion"/> on, each hidden dense layer has room for
/// the outputs of <see cref="BatchTile"/> rows, used by PredictBatch.
/// </remarks>
internal sealed record NetworkPlan(
    NetworkSpec Spec,
    ScalarType Scalar,
    int OutputSize,
    int ParameterCount,
    long MultiplyAdds,
    int MaxWidth,
    int ActivationCount,
    int GradientA,
    int GradientB,
    int TargetRow,
    int BatchRegion,
    int ScratchLength,
    EquatableArray<LayerPlan> Layers)
{
    /// <summary>Rows PredictBatch pushes through the layers together, so each weight is read once per tile.</summary>
    public const int BatchTile = 4;

    public LayerPlan OutputLayer => Layers[Layers.Count - 1];
}

/// <summary>
/// One layer. <see cref="Number"/> counts layers from 1 (the input is layer 0). Offsets are -1 where the layer has no
/// such part. <see cref="ZOffset"/>/<see cref="YOffset"/> locate a dense layer's pre-activations and outputs in the
/// scratch buffer; for dropout, <see cref="YOffset"/> is its masked output and <see cref="MaskOffset"/> its mask.
/// <see cref="TrainingSource"/> is where the layer reads its input during training (-1: the input row);
/// <see cref="InferenceSource"/> the same at inference, where dropout layers are skipped. <see cref="BatchYOffset"/> and
/// <see cref="BatchSource"/> are the same for a tile of rows in PredictBatch (-1: the caller's rows).
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
    int ZOffset,
    int YOffset,
    int MaskOffset,
    int TrainingSource,
    int InferenceSource,
    bool IsFirstDense,
    bool IsOutput,
    int BatchYOffset = -1,
    int BatchSource = -1)
{
    public bool IsDense => Spec.Kind == LayerKindSpec.Dense;
}

/// <summary>The floating-point type the code computes in, with what writing code in it needs.</summary>
internal sealed record ScalarType(string Name, string MathClass, int MinVectorLanes, int MaxVectorLanes, string LiteralSuffix)
{
    /// <summary>float: Vector&lt;float&gt; has 4 lanes (128-bit) to 16 lanes (512-bit).</summary>
    public static ScalarType Single { get; } = new("float", "MathF", 4, 16, "f");

    /// <summary>double: 2 to 8 lanes.</summary>
    public static ScalarType Double { get; } = new("double", "Math", 2, 8, "d");

    /// <summary>A literal that reads back as exactly <paramref name="value"/> in this type, in invariant culture.</summary>
    public string Literal(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            // Declarations with NaN or infinite arguments stop at NG0008; derived values (1/(1 - rate) for a rate of 1,
            // which NG1018 reports) still need valid code.
            return $"{Name}.{(double.IsNaN(value) ? "NaN" : value > 0 ? "PositiveInfinity" : "NegativeInfinity")}";
        }

        string text = Name == "float"
            ? ((float)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return text + LiteralSuffix;
    }
}
