using System;

namespace NetGen;

/// <summary>
/// Declares training settings for a network. Optional: a <c>partial class</c> with <see cref="InputAttribute"/> and
/// <see cref="DenseAttribute"/> layers is a network on its own, for inference only.
/// </summary>
/// <example>
/// <code>
/// [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
/// [Input(64)]
/// [Dense(32, Activation.ReLU)]
/// [Dense(10, Activation.Softmax)]
/// public partial class DigitsNet { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The training loss. <see cref="NetGen.Loss.None"/> (the default) generates inference members only.</summary>
    public Loss Loss { get; set; }

    /// <summary>The optimizer <c>TrainBatch</c> steps with. Default <see cref="NetGen.Optimizer.Sgd"/>.</summary>
    public Optimizer Optimizer { get; set; }

    /// <summary>The initial learning rate. When not set: the optimizer's PyTorch default (SGD 0.01, Adam and AdamW 1e-3, RMSProp 0.01).</summary>
    public double LearningRate { get; set; }

    /// <summary>SGD momentum factor (PyTorch <c>momentum</c>). Default 0.</summary>
    public double Momentum { get; set; }

    /// <summary>Use Nesterov momentum with SGD. Default false.</summary>
    public bool Nesterov { get; set; }

    /// <summary>L2 weight decay (decoupled for AdamW). When not set: 0.01 for AdamW, 0 otherwise.</summary>
    public double WeightDecay { get; set; }

    /// <summary>The floating-point type of the generated code. Default <see cref="NetGen.Precision.Single"/>.</summary>
    public Precision Precision { get; set; }

    /// <summary>
    /// A weights file compiled into the assembly: a path relative to the project file, of a file that is an
    /// <c>AdditionalFiles</c> item (<c>&lt;AdditionalFiles Include="model.safetensors" /&gt;</c>). NetGen model files
    /// (<see cref="ModelFile"/>), safetensors and <c>.npz</c> archives are read at build time, every tensor's shape is
    /// checked against the layers (error NG0010), and the values become static data of the assembly: the parameterless
    /// constructor starts from them with no file I/O at run time, while the seeded constructor still draws random
    /// weights. Tensors are matched to layers as <see cref="WeightImport"/> matches them (docs/shipping.md).
    /// </summary>
    public string? Weights { get; set; }

    /// <summary>
    /// The network was trained on standardized inputs (<see cref="Standardizer"/>): generate <c>PredictRaw</c> (and
    /// <c>PredictClassRaw</c> for classifiers), which scale raw features with the network's <c>InputStandardizer</c> and
    /// then predict, so an application cannot forget the scaling. With <see cref="Weights"/> the file must carry the
    /// standardizer (a NetGen model file saved with one, or safetensors/<c>.npz</c> tensors
    /// <c>netgen.standardizer.mean</c> and <c>netgen.standardizer.std</c>), which the parameterless constructor starts
    /// from (error NG0013 when it has none); otherwise set <c>InputStandardizer</c> at run time, for example from
    /// <see cref="ModelFile.Load{T}(INeuralNetwork{T}, string, out Standardizer?)"/> (docs/shipping.md).
    /// </summary>
    public bool StandardizeInputs { get; set; }

    /// <summary>
    /// How the packed copy that <c>Predict</c>, <c>PredictBatch</c>, <c>PredictClass</c> and <c>PredictLayers</c> read
    /// holds the weights: <see cref="NetGen.WeightPrecision.Full"/> (the default), or for a float network
    /// <see cref="NetGen.WeightPrecision.BFloat16"/> or <see cref="NetGen.WeightPrecision.Int8"/> (fewer bytes per
    /// weight; bfloat16 sums in float, int8 in exact integers over inputs quantised per row; docs/performance.md,
    /// "Reduced-precision weights"). <c>Parameters</c>,
    /// training and saved models keep full precision.
    /// </summary>
    public WeightPrecision WeightPrecision { get; set; }
}
