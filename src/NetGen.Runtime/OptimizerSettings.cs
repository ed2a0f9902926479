using System;
using System.ComponentModel;
using System.Numerics;

namespace NetGen;

/// <summary>
/// One optimizer with its settings, as a generated network declares it: the step that <see cref="TrainingState{T}"/>
/// takes after each batch, a call of <see cref="Optimizers"/> (written as torch.optim 1.13 computes it) with the
/// optimizer's buffers sliced from the training state in the order the network's <c>OptimizerState</c> documents. Not
/// meant to be used directly.
/// </summary>
/// <typeparam name="T">The network's scalar type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class OptimizerSettings<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Optimizer _optimizer;
    private readonly T _beta1, _beta2, _alpha, _epsilon, _weightDecay, _momentum;
    private readonly bool _decoupledWeightDecay, _nesterov;

    private OptimizerSettings(Optimizer optimizer, T beta1, T beta2, T alpha, T epsilon, T weightDecay, T momentum, bool decoupledWeightDecay, bool nesterov)
    {
        _optimizer = optimizer;
        (_beta1, _beta2, _alpha, _epsilon, _weightDecay, _momentum) = (beta1, beta2, alpha, epsilon, weightDecay, momentum);
        (_decoupledWeightDecay, _nesterov) = (decoupledWeightDecay, nesterov);
    }

    /// <summary>Adam, or AdamW with <paramref name="decoupledWeightDecay"/>: buffers exp_avg, then exp_avg_sq.</summary>
    public static OptimizerSettings<T> Adam(T beta1, T beta2, T epsilon, T weightDecay, bool decoupledWeightDecay) =>
        new(decoupledWeightDecay ? Optimizer.AdamW : Optimizer.Adam, beta1, beta2, T.Zero, epsilon, weightDecay, T.Zero, decoupledWeightDecay, nesterov: false);

    /// <summary>RMSprop: buffer square_avg, then momentum_buffer when the state holds a second block.</summary>
    public static OptimizerSettings<T> RmsProp(T alpha, T epsilon, T weightDecay, T momentum) =>
        new(Optimizer.RmsProp, T.Zero, T.Zero, alpha, epsilon, weightDecay, momentum, decoupledWeightDecay: false, nesterov: false);

    /// <summary>SGD: buffer momentum_buffer when the state holds one.</summary>
    public static OptimizerSettings<T> Sgd(T momentum, T weightDecay, bool nesterov) =>
        new(Optimizer.Sgd, T.Zero, T.Zero, T.Zero, T.Zero, weightDecay, momentum, decoupledWeightDecay: false, nesterov);

    /// <summary>
    /// Step number <paramref name="step"/> (1 for the first) on <paramref name="parameters"/>, with
    /// <paramref name="state"/> holding the buffers one block of the parameter count after another.
    /// </summary>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> state, T learningRate, int step)
    {
        int n = parameters.Length;
        switch (_optimizer)
        {
            case Optimizer.Adam:
            case Optimizer.AdamW:
                Optimizers.Adam(parameters, gradients, state.Slice(0, n), state.Slice(n, n), learningRate, _beta1, _beta2, _epsilon, _weightDecay, _decoupledWeightDecay, step);
                break;
            case Optimizer.RmsProp:
                Optimizers.RmsProp(parameters, gradients, state.Slice(0, n), state.Length > n ? state.Slice(n, n) : default, learningRate, _alpha, _epsilon, _weightDecay, _momentum);
                break;
            default:
                Optimizers.Sgd(parameters, gradients, state.Length > 0 ? state.Slice(0, n) : default, learningRate, _momentum, _weightDecay, _nesterov, firstStep: step == 1);
                break;
        }
    }
}
