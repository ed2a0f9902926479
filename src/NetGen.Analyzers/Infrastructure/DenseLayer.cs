using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>A dense layer of a planned network, with its attribute for placing diagnostics.</summary>
internal sealed class DenseLayer
{
    public DenseLayer(DenseLayerPlan plan, AttributeData attribute)
    {
        Plan = plan;
        Attribute = attribute;
    }

    /// <summary>The layer as the generator writes it.</summary>
    public DenseLayerPlan Plan { get; }

    public LayerSpec Spec => Plan.Spec;

    /// <summary>Index in <see cref="NetworkSpec.Layers"/> (dropout layers included).</summary>
    public int LayerIndex => Plan.Index;

    /// <summary>The layer's number by position, as the generated code, its layer table and every message count it.</summary>
    public int Number => Plan.Number;

    /// <summary>1 for the first dense layer, 2 for the second, whatever dropout stands between.</summary>
    public int DenseNumber => Plan.DenseNumber;

    /// <summary>Inputs per unit: the width of the previous dense layer, or the input size.</summary>
    public int FanIn => Plan.InputSize;

    public int Units => Plan.OutputSize;

    public Activation Activation => Spec.Activation;

    /// <summary>The catalog's facts about the layer's activation.</summary>
    public ActivationEntry Entry => Plan.Activation;

    public AttributeData Attribute { get; }

    public bool IsOutput => Plan.IsOutput;

    public bool IsHidden => !IsOutput;

    /// <summary>For messages: "dense layer 3 (64 -> 32, ReLU)", numbered as the generated code numbers it.</summary>
    public string Describe() => $"dense layer {Numbers.Int(Number)} ({Numbers.Int(FanIn)} -> {Numbers.Int(Units)}, {Activation})";

    /// <summary>As <see cref="Describe"/>, to start a sentence: "Dense layer 3 (64 -> 32, ReLU)".</summary>
    public string Title() => "D" + Describe().Substring(1);
}
