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

    /// <summary>
    /// What the optimizer keeps per parameter, in the order the generated <c>OptimizerState</c> holds it (one block
    /// of ParameterCount values each, in one array): the names torch.optim gives these buffers.
    /// </summary>
    public static IReadOnlyList<string> Buffers(Optimizer optimizer, double momentum) => optimizer switch
    {
        Optimizer.Adam or Optimizer.AdamW => new[] { "exp_avg", "exp_avg_sq" },
        Optimizer.RmsProp => momentum != 0 ? new[] { "square_avg", "momentum_buffer" } : new[] { "square_avg" },
        _ => momentum != 0 ? new[] { "momentum_buffer" } : Array.Empty<string>(),
    };

    /// <summary>
    /// The optimizer as the generated training state constructs it: a summary of its settings, and the call of
    /// NetGen.OptimizerSettings that creates it with them (its step calls NetGen.Optimizers, written as torch.optim 1.13
    /// computes it, with the blocks of <see cref="Buffers"/>).
    /// </summary>
    public static (string Summary, string Settings) Settings(NetworkSpec spec, ScalarType s)
    {
        string settings = $"global::NetGen.OptimizerSettings<{s.Name}>";
        string Text(double value) => ScalarType.Double.Literal(value).TrimEnd('d');
        switch (spec.Optimizer)
        {
            case Optimizer.Adam:
            case Optimizer.AdamW:
                bool decoupled = spec.Optimizer == Optimizer.AdamW;
                return ($"{spec.Optimizer}: β1 0.9, β2 0.999, ε 1e-8, {(decoupled ? "decoupled " : "")}weight decay {Text(spec.WeightDecay)} (PyTorch defaults).",
                    $"{settings}.Adam(beta1: {s.Literal(0.9)}, beta2: {s.Literal(0.999)}, epsilon: {s.Literal(1e-8)}, weightDecay: {s.Literal(spec.WeightDecay)}, decoupledWeightDecay: {(decoupled ? "true" : "false")})");
            case Optimizer.RmsProp:
                return ($"RMSprop: α 0.99, ε 1e-8, weight decay {Text(spec.WeightDecay)}, momentum {Text(spec.Momentum)}.",
                    $"{settings}.RmsProp(alpha: {s.Literal(0.99)}, epsilon: {s.Literal(1e-8)}, weightDecay: {s.Literal(spec.WeightDecay)}, momentum: {s.Literal(spec.Momentum)})");
            default:
                return ($"SGD: momentum {Text(spec.Momentum)}{(spec.Nesterov ? " (Nesterov)" : "")}, weight decay {Text(spec.WeightDecay)}.",
                    $"{settings}.Sgd(momentum: {s.Literal(spec.Momentum)}, weightDecay: {s.Literal(spec.WeightDecay)}, nesterov: {(spec.Nesterov ? "true" : "false")})");
        }
    }
}
