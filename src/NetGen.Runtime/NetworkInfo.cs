using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen;

/// <summary>The architecture of a generated network: what <c>model.summary()</c> shows in Keras.</summary>
public sealed class NetworkInfo
{
    /// <summary>Creates the description. Generated code calls this once per network type.</summary>
    public NetworkInfo(string name, Precision precision, Loss loss, int inputSize, IReadOnlyList<LayerInfo> layers)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("A network has at least one layer.", nameof(layers));
        }

        Name = name;
        Precision = precision;
        Loss = loss;
        InputSize = inputSize;
        Layers = layers;
        OutputSize = layers[layers.Count - 1].Units;
        foreach (LayerInfo layer in layers)
        {
            ParameterCount += layer.ParameterCount;
        }

        Fingerprint = BuildFingerprint();
    }

    /// <summary>The network type's full name.</summary>
    public string Name { get; }

    /// <summary>The floating-point type of the generated code.</summary>
    public Precision Precision { get; }

    /// <summary>The training loss, or <see cref="Loss.None"/>.</summary>
    public Loss Loss { get; }

    /// <summary>The number of input features.</summary>
    public int InputSize { get; }

    /// <summary>The width of the last layer.</summary>
    public int OutputSize { get; }

    /// <summary>The total number of trainable parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>The layers in order (the input is not a layer).</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>
    /// A canonical text of everything that decides the parameter layout and the forward computation, e.g.
    /// <c>in784|dense256:ReLU:b|dropout0.2|dense10:Softmax:b|single</c>. Model files store it to refuse weights
    /// saved from a different architecture. Initialisers and training settings are not part of it.
    /// </summary>
    public string Fingerprint { get; }

    private string BuildFingerprint()
    {
        var text = new StringBuilder();
        text.Append("in").Append(InputSize.ToString(CultureInfo.InvariantCulture));
        foreach (LayerInfo layer in Layers)
        {
            text.Append('|');
            if (layer.Kind == LayerKind.Dropout)
            {
                text.Append("dropout").Append(layer.DropoutRate.ToString("R", CultureInfo.InvariantCulture));
                continue;
            }

            text.Append("dense").Append(layer.Units.ToString(CultureInfo.InvariantCulture))
                .Append(':').Append(layer.Activation.ToString());
            if (ActivationTable.Of(layer.Activation).HasFixedAlpha)
            {
                text.Append('(').Append(layer.Alpha.ToString("R", CultureInfo.InvariantCulture)).Append(')');
            }

            text.Append(layer.HasBias ? ":b" : ":nb");
        }

        text.Append('|').Append(Precision == Precision.Double ? "double" : "single");
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Fingerprint}, {ParameterCount} parameters)";
}
