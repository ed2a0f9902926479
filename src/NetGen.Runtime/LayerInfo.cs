namespace NetGen;

/// <summary>One layer of a generated network, as the generator resolved it (defaults filled in).</summary>
/// <param name="Kind">Dense or dropout.</param>
/// <param name="InputSize">The width of the layer's input.</param>
/// <param name="Units">The width of the layer's output (equal to <paramref name="InputSize"/> for dropout).</param>
/// <param name="Activation">The activation (Linear for dropout).</param>
/// <param name="Init">The resolved initialiser (never <see cref="Init.Default"/> for a dense layer).</param>
/// <param name="Alpha">The slope of LeakyReLU/PReLU/ELU, 0 for other activations.</param>
/// <param name="HasBias">Whether the layer has a bias vector.</param>
/// <param name="WeightOffset">Offset of the [units, inputs] weight matrix in <see cref="INeuralNetwork{T}.Parameters"/>, or -1.</param>
/// <param name="BiasOffset">Offset of the bias vector, or -1.</param>
/// <param name="SlopeOffset">Offset of the learned PReLU slope, or -1.</param>
/// <param name="DropoutRate">The dropout probability (dropout layers), else 0.</param>
public sealed record LayerInfo(
    LayerKind Kind,
    int InputSize,
    int Units,
    Activation Activation,
    Init Init,
    double Alpha,
    bool HasBias,
    int WeightOffset,
    int BiasOffset,
    int SlopeOffset,
    double DropoutRate)
{
    /// <summary>A dense layer (generated code describes its layers with this): a bias offset of -1 means no bias.</summary>
    public static LayerInfo Dense(int inputSize, int units, Activation activation, Init init, int weightOffset, int biasOffset = -1, int slopeOffset = -1, double alpha = 0) =>
        new(LayerKind.Dense, inputSize, units, activation, init, alpha, biasOffset >= 0, weightOffset, biasOffset, slopeOffset, 0);

    /// <summary>A dropout layer of <paramref name="width"/> values.</summary>
    public static LayerInfo Dropout(int width, double rate) =>
        new(LayerKind.Dropout, width, width, Activation.Linear, Init.Default, 0, false, -1, -1, -1, rate);

    /// <summary>The number of trainable parameters this layer owns.</summary>
    public int ParameterCount => Kind == LayerKind.Dense
        ? (InputSize * Units) + (HasBias ? Units : 0) + (SlopeOffset >= 0 ? 1 : 0)
        : 0;
}
