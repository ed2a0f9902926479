namespace NetGen.SourceGeneration;

/// <summary>The weight variance each initialiser draws from, and the families the rules compare.</summary>
internal static class InitFacts
{
    public static bool IsGlorot(InitKind init) => init is InitKind.GlorotUniform or InitKind.GlorotNormal;

    public static bool IsHe(InitKind init) => init is InitKind.HeUniform or InitKind.HeNormal;

    /// <summary>Var(w) for a layer of <paramref name="fanIn"/> inputs and <paramref name="fanOut"/> units.</summary>
    public static double Variance(InitKind init, int fanIn, int fanOut) => init switch
    {
        InitKind.FanInUniform => 1.0 / (3.0 * fanIn),
        InitKind.GlorotUniform or InitKind.GlorotNormal => 2.0 / ((double)fanIn + fanOut),
        InitKind.HeUniform or InitKind.HeNormal => 2.0 / fanIn,
        InitKind.LeCunUniform or InitKind.LeCunNormal => 1.0 / fanIn,
        _ => 0.0,
    };

    /// <summary>The range of an activation's output, as messages write it.</summary>
    public static string Range(ActivationKind activation) => activation switch
    {
        ActivationKind.Sigmoid => "(0, 1)",
        ActivationKind.Tanh => "(-1, 1)",
        ActivationKind.Softmax => "(0, 1) with a sum of 1",
        ActivationKind.ReLU or ActivationKind.Softplus => "[0, inf)",
        ActivationKind.PiecewiseLinear or ActivationKind.Step => "[0, 1]",
        ActivationKind.Sign => "{-1, 0, 1}",
        ActivationKind.ELU => "(-alpha, inf)",
        ActivationKind.SELU => "(-1.76, inf)",
        ActivationKind.GELU => "(-0.17, inf)",
        ActivationKind.SiLU => "(-0.28, inf)",
        _ => "(-inf, inf)",
    };
}
