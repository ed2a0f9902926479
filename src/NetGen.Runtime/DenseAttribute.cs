using System;

namespace NetGen;

/// <summary>A fully connected layer: <c>y = f(W x + b)</c> with <c>W</c> of shape [units, inputs] (PyTorch's nn.Linear layout).</summary>
/// <param name="units">The number of output units (&gt; 0).</param>
/// <param name="activation">The activation applied to each unit. Default <see cref="Activation.Linear"/>.</param>
/// <remarks>Layers are read in source order, after the single <see cref="InputAttribute"/>.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.Linear) : Attribute
{
    /// <summary>The number of output units.</summary>
    public int Units { get; } = units;

    /// <summary>The activation applied to each unit.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>How the weights are initialised. <see cref="NetGen.Init.Default"/> picks from the activation (He for ReLU, LeCun normal for SELU, Glorot uniform otherwise).</summary>
    public Init Init { get; set; }

    /// <summary>
    /// The slope parameter of LeakyReLU (default 0.01), PReLU (initial slope, default 0.25) and ELU (default 1).
    /// Ignored by other activations. When not set, the activation's default is used.
    /// </summary>
    public double Alpha { get; set; }

    /// <summary>Whether the layer has a bias vector. Default true.</summary>
    public bool Bias { get; set; } = true;
}
