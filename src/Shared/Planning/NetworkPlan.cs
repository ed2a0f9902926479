using System.Collections.Generic;
using System.Linq;

namespace NetGen.SourceGeneration;

/// <summary>
/// A network laid out for code, built by <see cref="NetworkPlanner"/> from a <see cref="NetworkSpec"/> alone. The
/// generator prints it and every analyzer judges it, so sizes, offsets, names and layer numbers agree by construction.
/// Plain data: it compares by value and caches across compilations.
/// </summary>
/// <remarks>
/// Layers are numbered by position (see docs/architecture.md): <c>[Input]</c> is layer 0 and every <c>[Dense]</c> and
/// <c>[Dropout]</c> after it counts, so in Input, Dense, Dropout, Dense the second dense layer is layer 3. Diagnostics,
/// the layer table, the comments, the kernel names (<c>Dense3</c>) and the weight streams all use that number.
/// <see cref="ActivationCount"/> is the number of values PredictLayers writes: every dense layer's units.
/// </remarks>
internal sealed record NetworkPlan(
    NetworkSpec Spec,
    ScalarType Scalar,
    int OutputSize,
    int ParameterCount,
    long MultiplyAdds,
    int ActivationCount,
    EquatableArray<LayerPlan> Layers,
    ScratchLayout Scratch,
    ClassRule? PredictClass,
    TrainingPlan? Training,
    EquatableArray<string> MemberNames,
    int PackedLength,
    int BatchRows,
    int BatchLength)
{
    /// <summary>
    /// The most rows PredictBatch pushes through the layers together (at least 6, at most 64, fewer for wide hidden
    /// layers so that their values for those rows stay near 32,768 numbers); <see cref="BatchLength"/> is the length
    /// of the buffer holding every hidden layer's outputs for that many rows, and <see cref="PackedLength"/> the
    /// length of the packed inference copy (docs/architecture.md).
    /// </summary>
    public const int MaxBatchRows = 64;

    public int InputSize => Spec.InputSize;

    public IEnumerable<DenseLayerPlan> DenseLayers => Layers.OfType<DenseLayerPlan>();

    public IEnumerable<DropoutLayerPlan> DropoutLayers => Layers.OfType<DropoutLayerPlan>();

    public bool HasDropout => DropoutLayers.Any();

    /// <summary>The last dense layer; a complete plan always has one (NG0003 otherwise).</summary>
    public DenseLayerPlan OutputLayer => DenseLayers.Last();
}

/// <summary>
/// One layer after <c>[Input]</c>. <see cref="Number"/> is its position (1 for the first layer after the input);
/// <see cref="Index"/> the same position in <see cref="NetworkSpec.Layers"/> (from 0). <see cref="TrainingInput"/> is
/// where it reads its input while training: a scratch slot, or null for the caller's input row.
/// </summary>
internal abstract record LayerPlan(int Number, int InputSize, int OutputSize, ScratchSlot? TrainingInput)
{
    public int Index => Number - 1;
}

/// <summary>
/// A dense layer: <see cref="DenseNumber"/> counts dense layers only (1 for the first). Its outputs <see cref="Y"/>
/// have a slot of one row, and so do its pre-activations <see cref="Z"/> when training reads them back
/// (<see cref="KeepsZ"/>; null otherwise: nothing stores them); <see cref="InferenceInput"/> is where it reads at
/// inference (dropout is skipped there), <see cref="BatchInput"/> and <see cref="BatchOutput"/> the same for
/// <see cref="NetworkPlan.BatchRows"/> rows in PredictBatch's buffer (null: the caller's rows). <see cref="Packed"/>
/// is where its panels start in the packed inference copy, <see cref="PackedSlope"/> where a learned slope sits there,
/// <see cref="PackedReduced"/> where its bfloat16 or int8 copy starts (WeightPrecision; inference reads that one).
/// </summary>
internal sealed record DenseLayerPlan(
    int Number,
    int DenseNumber,
    LayerSpec Spec,
    int InputSize,
    int OutputSize,
    DenseParameters Parameters,
    ScratchSlot? Z,
    ScratchSlot Y,
    ScratchSlot? TrainingInput,
    ScratchSlot? InferenceInput,
    ScratchSlot? BatchInput,
    ScratchSlot? BatchOutput,
    bool IsFirstDense,
    bool IsOutput,
    bool KeepsZ,
    int Packed = 0,
    int? PackedSlope = null,
    int? PackedReduced = null)
    : LayerPlan(Number, InputSize, OutputSize, TrainingInput)
{
    public ActivationEntry Activation => ActivationCatalog.Of(Spec.Activation);

    public Init Init => Spec.Init;

    public bool HasBias => Spec.HasBias;

    public double Alpha => Spec.Alpha;

    public int ParameterCount => Parameters.Count;

    public long MultiplyAdds => (long)InputSize * OutputSize;
}

/// <summary>A dropout layer: its mask and its masked output, one row each (training only; identity at inference).</summary>
internal sealed record DropoutLayerPlan(int Number, double Rate, int Width, ScratchSlot Mask, ScratchSlot Y, ScratchSlot? TrainingInput)
    : LayerPlan(Number, Width, Width, TrainingInput);

/// <summary>Where a dense layer's parameters live in the parameter array (PyTorch state_dict order: weight, bias, slope).</summary>
internal sealed record DenseParameters(ParameterRange Weights, ParameterRange? Bias, int? Slope)
{
    public int Count => Weights.Length + (Bias?.Length ?? 0) + (Slope is null ? 0 : 1);
}

internal sealed record ParameterRange(int Offset, int Length);

/// <summary>A named region of the scratch buffer; the generated code declares <see cref="Name"/> as a constant.</summary>
internal sealed record ScratchSlot(string Name, int Offset, int Length)
{
    public int End => Offset + Length;
}

/// <summary>
/// The scratch buffer of one row: every layer's slots in order (a dense layer's z only where training reads it), then
/// (training only) two gradient rows of the widest layer and a target row, then PredictBatch's tiles.
/// <see cref="Slots"/> lists every slot, in offset order: the generated code declares exactly these.
/// </summary>
internal sealed record ScratchLayout(EquatableArray<ScratchSlot> Slots, int Length);

/// <summary>How PredictClass decides: the index of the largest output, or a threshold on a single output.</summary>
internal sealed record ClassRule(double? Threshold)
{
    public bool IsArgMax => Threshold is null;
}

/// <summary>
/// What training needs beyond the layers: the loss and whether it fuses with the output activation (then the loss
/// writes dL/dz directly), what the loss's row code reads, the divisor of the mean, the optimizer's buffers, and
/// backpropagation's scratch rows: two gradient rows (as wide as the widest layer) and the target row of a label.
/// </summary>
internal sealed record TrainingPlan(
    Loss Loss,
    bool FusedOutput,
    Reads OutputReads,
    string Normaliser,
    string MeanOver,
    EquatableArray<string> OptimizerBuffers,
    ScratchSlot GradientA,
    ScratchSlot GradientB,
    ScratchSlot Target)
{
    public LossEntry Entry => LossCatalog.Of(Loss)!;
}

/// <summary>
/// Why a network has no plan: laying out <see cref="ArrayName"/> (the parameters or the scratch values) passed
/// <see cref="NetworkPlanner.MaxArrayLength"/> when <see cref="Owner"/> (a phrase such as "dense layer 1 (65,536 ->
/// 65,537)"; <see cref="LayerIndex"/> is its index in <see cref="NetworkSpec.Layers"/>, -1 for the rows that follow the
/// layers) asked for <see cref="Requested"/> more values, bringing the array to <see cref="Total"/>.
/// </summary>
internal sealed record PlanTooLarge(string ArrayName, string Owner, int LayerIndex, long Requested, long Total);

/// <summary>The floating-point type the code computes in, with what writing code in it needs.</summary>
internal sealed record ScalarType(string Name, string MathClass, int MinVectorLanes, int MaxVectorLanes, string LiteralSuffix)
{
    /// <summary>float: Vector&lt;float&gt; has 4 lanes (128-bit) to 16 lanes (512-bit).</summary>
    public static ScalarType Single { get; } = new("float", "MathF", 4, 16, "f");

    /// <summary>double: 2 to 8 lanes.</summary>
    public static ScalarType Double { get; } = new("double", "Math", 2, 8, "d");

    /// <summary>
    /// <c>Vector&lt;T&gt;</c> of this type, fully qualified: the kernels class sits in a namespace that user code can also
    /// declare types in, so no type name in generated code relies on a using directive.
    /// </summary>
    public string Vector => $"{VectorClass}<{Name}>";

    /// <summary>The static <c>System.Numerics.Vector</c> class (LoadUnsafe, Sum, Max, ...), fully qualified.</summary>
    public const string VectorClass = "global::System.Numerics.Vector";

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
