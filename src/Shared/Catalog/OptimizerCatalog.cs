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
    /// The generated optimizer step: a summary of its settings, and the call into NetGen.Optimizers with the
    /// parameters, the gradient and the blocks of <see cref="Buffers"/> (written as torch.optim 1.13 computes them),
    /// sliced from a local <c>state</c> span over the optimizer state, with the locals <c>gradients</c> and <c>step</c> (its number).
    /// </summary>
    public static (string Summary, string Call) Step(NetworkSpec spec, ScalarType s)
    {
        string t = s.Name;
        string Text(double value) => ScalarType.Double.Literal(value).TrimEnd('d');
        string Block(int k) => k == 0 ? "state.Slice(0, ParameterCount)" : $"state.Slice({k} * ParameterCount, ParameterCount)";
        string velocity = spec.Momentum == 0 ? "default" : Block(spec.Optimizer == Optimizer.RmsProp ? 1 : 0);
        switch (spec.Optimizer)
        {
            case Optimizer.Adam:
            case Optimizer.AdamW:
                bool decoupled = spec.Optimizer == Optimizer.AdamW;
                return ($"{spec.Optimizer}: β1 0.9, β2 0.999, ε 1e-8, {(decoupled ? "decoupled " : "")}weight decay {Text(spec.WeightDecay)} (PyTorch defaults).",
                    $"global::NetGen.Optimizers.Adam<{t}>(_netgenParameters, gradients, {Block(0)}, {Block(1)}, LearningRate, " +
                    $"beta1: {s.Literal(0.9)}, beta2: {s.Literal(0.999)}, epsilon: {s.Literal(1e-8)}, weightDecay: {s.Literal(spec.WeightDecay)}, decoupledWeightDecay: {(decoupled ? "true" : "false")}, step);");
            case Optimizer.RmsProp:
                return ($"RMSprop: α 0.99, ε 1e-8, weight decay {Text(spec.WeightDecay)}, momentum {Text(spec.Momentum)}.",
                    $"global::NetGen.Optimizers.RmsProp<{t}>(_netgenParameters, gradients, {Block(0)}, {velocity}, LearningRate, " +
                    $"alpha: {s.Literal(0.99)}, epsilon: {s.Literal(1e-8)}, weightDecay: {s.Literal(spec.WeightDecay)}, momentum: {s.Literal(spec.Momentum)});");
            default:
                return ($"SGD: momentum {Text(spec.Momentum)}{(spec.Nesterov ? " (Nesterov)" : "")}, weight decay {Text(spec.WeightDecay)}.",
                    $"global::NetGen.Optimizers.Sgd<{t}>(_netgenParameters, gradients, {velocity}, LearningRate, " +
                    $"momentum: {s.Literal(spec.Momentum)}, weightDecay: {s.Literal(spec.WeightDecay)}, nesterov: {(spec.Nesterov ? "true" : "false")}, firstStep: step == 1);");
        }
    }
}
