namespace NetGen.SourceGeneration;

/// <summary>Facts about activations, initialisers and optimizers that the parser, planner, emitter and analyzers share.</summary>
internal static class ActivationFacts
{
    /// <summary>The rectifier family: unbounded above, (nearly) zero below. He initialisation keeps their variance.</summary>
    public static bool IsReLUFamily(ActivationKind activation) =>
        activation is ActivationKind.ReLU or ActivationKind.LeakyReLU or ActivationKind.PReLU
            or ActivationKind.ELU or ActivationKind.GELU or ActivationKind.SiLU;

    /// <summary>Whether the activation has a slope parameter (<c>Alpha</c>).</summary>
    public static bool HasAlpha(ActivationKind activation) =>
        activation is ActivationKind.LeakyReLU or ActivationKind.PReLU or ActivationKind.ELU;

    /// <summary>Step and Sign have a zero derivative almost everywhere: inference only.</summary>
    public static bool IsDifferentiable(ActivationKind activation) =>
        activation is not (ActivationKind.Step or ActivationKind.Sign);

    /// <summary>The initialiser <see cref="InitKind.Default"/> stands for: He normal for rectifiers, LeCun normal for SELU, Glorot uniform otherwise.</summary>
    public static InitKind DefaultInit(ActivationKind activation) =>
        IsReLUFamily(activation) ? InitKind.HeNormal
        : activation == ActivationKind.SELU ? InitKind.LeCunNormal
        : InitKind.GlorotUniform;

    /// <summary>PyTorch's defaults: LeakyReLU negative_slope 0.01, PReLU init 0.25, ELU alpha 1.</summary>
    public static double DefaultAlpha(ActivationKind activation) => activation switch
    {
        ActivationKind.LeakyReLU => 0.01,
        ActivationKind.PReLU => 0.25,
        ActivationKind.ELU => 1.0,
        _ => 0.0,
    };

    /// <summary>torch.optim defaults: SGD 0.01, Adam and AdamW 1e-3, RMSprop 0.01.</summary>
    public static double DefaultLearningRate(OptimizerKind optimizer) => optimizer switch
    {
        OptimizerKind.Adam or OptimizerKind.AdamW => 1e-3,
        _ => 0.01,
    };

    /// <summary>torch.optim.AdamW decays by 0.01 unless told otherwise; the others by 0.</summary>
    public static double DefaultWeightDecay(OptimizerKind optimizer) => optimizer == OptimizerKind.AdamW ? 0.01 : 0.0;
}
