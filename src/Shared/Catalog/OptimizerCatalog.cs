using System;
using System.Collections.Generic;

namespace NetGen.SourceGeneration;

/// <summary>The optimizers' defaults (torch.optim's) and the state buffers each keeps per parameter.</summary>
internal static class OptimizerCatalog
{
    /// <summary>torch.optim defaults: SGD 0.01, Adam and AdamW 1e-3, RMSprop 0.01.</summary>
    public static double DefaultLearningRate(Optimizer optimizer) => optimizer is Optimizer.Adam or Optimizer.AdamW ? 1e-3 : 0.01;

    /// <summary>torch.optim.AdamW decays by 0.01 unless told otherwise; the others by 0.</summary>
    public static double DefaultWeightDecay(Optimizer optimizer) => optimizer == Optimizer.AdamW ? 0.01 : 0.0;

    /// <summary>Whether the optimizer adapts its step per parameter (Adam, AdamW, RMSprop), which narrows the usual rates (NG1021).</summary>
    public static bool IsAdaptive(Optimizer optimizer) => optimizer != Optimizer.Sgd;

    /// <summary>Whether the optimizer keeps two moment buffers (Adam, AdamW): three times the weights' memory while training (NG1023).</summary>
    public static bool KeepsTwoMoments(Optimizer optimizer) => optimizer is Optimizer.Adam or Optimizer.AdamW;

    /// <summary>The generated fields of the optimizer's state, one array of ParameterCount values each.</summary>
    public static IReadOnlyList<string> Buffers(Optimizer optimizer, double momentum) => optimizer switch
    {
        Optimizer.Adam or Optimizer.AdamW => new[] { "_netgenFirstMoment", "_netgenSecondMoment" },
        Optimizer.RmsProp => momentum != 0 ? new[] { "_netgenSquareAverage", "_netgenVelocity" } : new[] { "_netgenSquareAverage" },
        _ => momentum != 0 ? new[] { "_netgenVelocity" } : Array.Empty<string>(),
    };
}
