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
    int BatchLength,
    ReducedWeights? Reduced)
{
    /// <summary>
    /// The most rows PredictBatch pushes through the layers together (at least 6, at most 64, fewer for wide hidden
    /// layers so that their values for those rows stay near 32,768 numbers); <see cref="BatchLength"/> is the length
    /// of the buffer holding every hidden layer's outputs for that many rows, and <see cref="PackedLength"/> the
    /// length of the packed inference copy (docs/architecture.md).
    /// </summary>
    public const int MaxBatchRows = 64;

    public int InputSize => Spec.InputSize;

    /// <summary>Units per panel of the packed copy: 64 bytes, 16 floats or 8 doubles (NetGen.Numerics.PackedDense).</summary>
    public int PanelWidth => PanelWidthOf(Spec.Precision);

    public static int PanelWidthOf(Precision precision) => precision == Precision.Double ? 8 : 16;

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
/// is its panels' region of the packed inference copy (<c>LayerNPacked</c>), <see cref="PackedSlope"/> a learned
/// slope's (<c>LayerNSlope</c>), <see cref="PackedReduced"/> its bfloat16 or int8 copy's (<c>LayerNReduced</c>;
/// <see cref="NetworkPlan.Reduced"/>, inference reads that one).
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
    ScratchSlot? Packed = null,
    ScratchSlot? PackedSlope = null,
    ScratchSlot? PackedReduced = null)
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

/// <summary>
/// A named region of one of the generated arrays (the scratch buffer, the training tiles, PredictBatch's buffer, the
/// packed copy); the generated code declares <see cref="Name"/> as a constant.
/// </summary>
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
/// writes dL/dz directly), what the loss's row code reads, whether the mean is over the outputs too (the divisor: rows, or rows × outputs), the
/// optimizer's buffers, and
/// backpropagation's scratch rows: two gradient rows (as wide as the widest layer) and the target row of a label.
/// </summary>
internal sealed record TrainingPlan(
    Loss Loss,
    bool FusedOutput,
    Reads OutputReads,
    bool MeanOverOutputs,
    string MeanOver,
    EquatableArray<string> OptimizerBuffers,
    ScratchSlot GradientA,
    ScratchSlot GradientB,
    ScratchSlot Target,
    TrainingTiles Tiles)
{
    public LossEntry Entry => LossCatalog.Of(Loss)!;
}

/// <summary>
/// Where backpropagation keeps a tile of <see cref="Rows"/> rows (docs/performance.md, "Training kernels"): after the
/// plan's scratch, for every per-row slot training reads (each layer's y, the z it keeps, a dropout mask, in layer
/// order) and the two gradient rows, a slot of that many rows one after another, named after the per-row slot
/// (<c>Layer1YRows</c>). <see cref="Length"/> is the training scratch buffer's length. When a tile of two rows would
/// not fit the budget the tiles are the per-row slots themselves: one row, no <see cref="Slots"/>.
/// </summary>
internal sealed record TrainingTiles(int Rows, EquatableArray<ScratchSlot> Slots, int Length)
{
    /// <summary>The most rows a tile holds; fewer when a tile of that many rows would pass <see cref="Budget"/>.</summary>
    public const int MaxRows = 32;

    /// <summary>
    /// The most rows a tile of a narrow network holds: one whose tile row (its slots and its input row) is so short that
    /// <see cref="NarrowRows"/> rows stay within <see cref="NarrowValues"/> values. There each kernel call does little
    /// work per row, so longer tiles spread the calls' fixed cost (4-32-16-4: its 4 inputs and 116 values of slots a
    /// row, 128 rows in 60 KB of float).
    /// </summary>
    public const int NarrowRows = 128;

    /// <summary>The values (input rows included) a narrow network's tile of <see cref="NarrowRows"/> rows may hold.</summary>
    public const long NarrowValues = 1 << 14;

    /// <summary>The most scratch values the tiles of one network may take (4 MB of float, 8 MB of double).</summary>
    public const long Budget = 1 << 20;

    /// <summary>The tile of a per-row slot: its slot of <see cref="Rows"/> rows, or the slot itself for one row.</summary>
    public ScratchSlot Of(ScratchSlot perRow) => Slots.FirstOrDefault(slot => slot.Name == perRow.Name + "Rows") ?? perRow;
}

/// <summary>
/// The reduced-precision copy of the weights that inference reads (<c>WeightPrecision.BFloat16</c> or <c>Int8</c>;
/// docs/performance.md): the NetGen.Numerics.PackedDense methods that pack and run it, and how comments describe it.
/// Training and <c>Parameters</c> keep the full weights.
/// </summary>
internal sealed record ReducedWeights(WeightPrecision Precision, string PackMethod, string ForwardMethod, string Copy, string Weights)
{
    /// <summary>The copy for <paramref name="precision"/>; null for full precision (inference reads the float panels).</summary>
    public static ReducedWeights? Of(WeightPrecision precision) => precision switch
    {
        WeightPrecision.BFloat16 => new(precision, "PackBFloat16", "ForwardBFloat16", "its bfloat16 copy", "bfloat16 weights"),
        WeightPrecision.Int8 => new(precision, "PackInt8", "ForwardInt8", "its int8 copy (a scale per unit)", "int8 weights and a scale per unit"),
        _ => null,
    };

    /// <summary>
    /// Floats a dense layer's copy takes (NetGen.Numerics.PackedDense.PackedLengthBFloat16 and PackedLengthInt8): per
    /// 16-unit panel a float bias row, then per input 8 floats' space of bfloat16 weights; for int8 a bias, a scale and
    /// a weight-sum row, then per input 4 floats' space (16 bytes), the inputs padded to a multiple of 8.
    /// </summary>
    public long LayerLength(int inputs, int units)
    {
        long panels = (units + 15L) / 16;
        return Precision == WeightPrecision.BFloat16 ? checked(panels * (16 + (8L * inputs))) : checked(panels * (48 + (4 * ((inputs + 7L) & ~7L))));
    }
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
