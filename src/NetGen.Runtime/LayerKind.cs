namespace NetGen;

/// <summary>The kinds of layer a network is built from.</summary>
public enum LayerKind
{
    /// <summary>A fully connected layer (<see cref="DenseAttribute"/>).</summary>
    Dense = 0,
    /// <summary>Inverted dropout (<see cref="DropoutAttribute"/>), active only in training.</summary>
    Dropout = 1,
}
