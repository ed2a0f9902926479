using Microsoft.CodeAnalysis;

namespace NetGen.SourceGeneration;

/// <summary>A dense layer of a parsed network with what the rules need around it: its position, its fan-in and its attribute.</summary>
internal sealed class DenseLayer
{
    public DenseLayer(LayerSpec spec, int layerIndex, int number, int fanIn, AttributeData attribute, bool isOutput)
    {
        Spec = spec;
        LayerIndex = layerIndex;
        Number = number;
        FanIn = fanIn;
        Attribute = attribute;
        IsOutput = isOutput;
    }

    public LayerSpec Spec { get; }

    /// <summary>Index in <see cref="NetworkSpec.Layers"/> (dropout layers included).</summary>
    public int LayerIndex { get; }

    /// <summary>1-based position among the dense layers, as messages and the generated layer table count them.</summary>
    public int Number { get; }

    /// <summary>Inputs per unit: the width of the previous dense layer, or the input size.</summary>
    public int FanIn { get; }

    public int Units => Spec.Units;

    public ActivationKind Activation => Spec.Activation;

    public AttributeData Attribute { get; }

    public bool IsOutput { get; }

    public bool IsHidden => !IsOutput;

    /// <summary>For messages: "dense layer 2 (256 -> 128, ReLU)".</summary>
    public string Describe() => $"dense layer {Number} ({Numbers.Int(FanIn)} -> {Numbers.Int(Units)}, {Activation})";

    /// <summary>As <see cref="Describe"/>, to start a sentence: "Dense layer 2 (256 -> 128, ReLU)".</summary>
    public string Title() => "D" + Describe().Substring(1);
}
