namespace NetGen.SourceGeneration;

/// <summary>
/// A network declaration as plain data: what the user declared, with defaults resolved. Holds no symbols, syntax or
/// locations, so it compares by value and caches across compilations.
/// </summary>
internal sealed record NetworkSpec(
    string? Namespace,
    string TypeName,
    string TypeKeyword,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    Precision Precision,
    Loss Loss,
    Optimizer Optimizer,
    double LearningRate,
    double Momentum,
    bool Nesterov,
    double WeightDecay,
    int InputSize,
    EquatableArray<LayerSpec> Layers,
    string? Weights = null,
    bool StandardizeInputs = false,
    WeightPrecision WeightPrecision = WeightPrecision.Full)
{
    /// <summary>
    /// The type's name with its containing types and namespace, plain (no <c>global::</c>, no '@'): for text such as
    /// <c>NetworkInfo.Name</c> and comments. Code prints <see cref="FullIdentifier"/>.
    /// </summary>
    public string FullName
    {
        get
        {
            var name = new System.Text.StringBuilder();
            if (Namespace is not null)
            {
                name.Append(Namespace).Append('.');
            }

            foreach (ContainingTypeSpec outer in ContainingTypes)
            {
                name.Append(outer.Name).Append('.');
            }

            return name.Append(TypeName).ToString();
        }
    }

    public bool IsTrainable => Loss != Loss.None;

    /// <summary><see cref="Namespace"/> as code prints it: each part escaped (<c>@class.@void</c>).</summary>
    public string? NamespaceIdentifier => Namespace is null ? null : Identifier.EscapeDotted(Namespace);

    /// <summary><see cref="TypeName"/> as code prints it (<c>@class</c>).</summary>
    public string TypeIdentifier => Identifier.Escape(TypeName);

    /// <summary><see cref="FullName"/> as code prints it, every part escaped (for <c>global::</c> references and crefs).</summary>
    public string FullIdentifier
    {
        get
        {
            var name = new System.Text.StringBuilder();
            if (Namespace is not null)
            {
                name.Append(NamespaceIdentifier).Append('.');
            }

            foreach (ContainingTypeSpec outer in ContainingTypes)
            {
                name.Append(outer.Identifier).Append('.');
            }

            return name.Append(TypeIdentifier).ToString();
        }
    }
}

/// <summary>A type that encloses the network class, outermost first (e.g. <c>partial class Models</c>).</summary>
internal sealed record ContainingTypeSpec(string Keyword, string Name)
{
    /// <summary><see cref="Name"/> as code prints it (<c>@class</c>).</summary>
    public string Identifier => SourceGeneration.Identifier.Escape(Name);
}

/// <summary>
/// One layer attribute after <c>[Input]</c>. For a dense layer <see cref="Init"/> and <see cref="Alpha"/> are resolved
/// (never <see cref="Init.Default"/>; the activation's default slope when not given); <see cref="DeclaredInit"/>
/// keeps what the user wrote, for diagnostics.
/// </summary>
internal sealed record LayerSpec(
    LayerKind Kind,
    int Units,
    Activation Activation,
    Init DeclaredInit,
    Init Init,
    double Alpha,
    bool HasBias,
    double DropoutRate)
{
    public static LayerSpec Dense(int units, Activation activation, Init declaredInit, double? alpha, bool hasBias) =>
        new(LayerKind.Dense, units, activation, declaredInit,
            declaredInit == Init.Default ? ActivationCatalog.Of(activation).DefaultInit : declaredInit,
            alpha ?? ActivationCatalog.Of(activation).DefaultAlpha, hasBias, 0);

    public static LayerSpec Dropout(double rate) =>
        new(LayerKind.Dropout, 0, Activation.Linear, Init.Default, Init.Default, 0, false, rate);
}
