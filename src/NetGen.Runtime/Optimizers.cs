using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// The update rules generated <c>TrainBatch</c> methods call after backpropagation, written to match torch.optim
/// (PyTorch 1.13) operation for operation, so that results can be compared with it. State arrays are allocated once
/// by the network; nothing here allocates.
/// </summary>
public static class Optimizers
{
    /// <summary>
    /// torch.optim.SGD: g = grad + weightDecay·p; with momentum μ ≠ 0, v = g on the first step and v = μv + g after,
    /// then g = g + μv (Nesterov) or g = v; finally p -= lr·g. As in <see cref="Adam{T}"/>, a v that comes out
    /// subnormal is stored, and used, as a zero of its sign, which moves a parameter by less than lr · 2^-126 in float.
    /// </summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradients">d(loss)/d(parameter), same layout.</param>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="velocity">The momentum buffer (ignored when <paramref name="momentum"/> is 0).</param>
    /// <param name="momentum">The momentum factor μ; 0 for plain SGD.</param>
    /// <param name="weightDecay">The L2 penalty factor.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum.</param>
    /// <param name="firstStep">True on the first step after construction or <c>ResetOptimizer</c>.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void Sgd<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> velocity, T learningRate, T momentum,
        T weightDecay, bool nesterov, bool firstStep)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(parameters, gradients);
        bool useMomentum = momentum != T.Zero;
        if (useMomentum && velocity.Length != parameters.Length)
        {
            throw new ArgumentException($"velocity.Length is {velocity.Length}, expected {parameters.Length}.", nameof(velocity));
        }

        if (NetGen.Numerics.ParameterSplit.Splits(parameters.Length))
        {
            // Shared with RowSplit's worker in ranges of whole vectors: each value is updated exactly as below.
            NetGen.Numerics.ParameterSplit.Sgd(parameters, gradients, useMomentum ? velocity : default, learningRate, momentum, weightDecay, nesterov, firstStep);
            return;
        }

        SgdRange(parameters, gradients, velocity, learningRate, momentum, weightDecay, nesterov, firstStep);
    }

    /// <summary><see cref="Sgd{T}"/>'s update of every value of the spans (checked by Sgd).</summary>
    internal static void SgdRange<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> velocity, T learningRate, T momentum,
        T weightDecay, bool nesterov, bool firstStep)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool useMomentum = momentum != T.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated && parameters.Length >= Vector<T>.Count)
        {
            // The same operations in the same order as the scalar loop below, so results are identical; through
            // references, as in Adam (the lengths are checked above).
            bool decays = weightDecay != T.Zero;
            Vector<T> lr = new(learningRate), mu = new(momentum), decay = new(weightDecay);
            Vector<T> smallest = new(SmallestNormal<T>()), sign = new(T.NegativeZero);
            ref T pr = ref MemoryMarshal.GetReference(parameters);
            ref T gr = ref MemoryMarshal.GetReference(gradients);
            ref T br = ref MemoryMarshal.GetReference(velocity);
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint at = (nuint)i;
                Vector<T> p = Vector.LoadUnsafe(ref pr, at);
                Vector<T> g = Vector.LoadUnsafe(ref gr, at);
                if (decays)
                {
                    g += decay * p;
                }

                if (useMomentum)
                {
                    Vector<T> v = FlushSubnormal(firstStep ? g : (mu * Vector.LoadUnsafe(ref br, at)) + g, smallest, sign);
                    v.StoreUnsafe(ref br, at);
                    g = nesterov ? g + (mu * v) : v;
                }

                (p - (lr * g)).StoreUnsafe(ref pr, at);
            }
        }

        for (; i < parameters.Length; i++)
        {
            T g = gradients[i];
            if (weightDecay != T.Zero)
            {
                g += weightDecay * parameters[i];
            }

            if (useMomentum)
            {
                T v = FlushSubnormal(firstStep ? g : (momentum * velocity[i]) + g);
                velocity[i] = v;
                g = nesterov ? g + (momentum * v) : v;
            }

            parameters[i] -= learningRate * g;
        }
    }

    /// <summary>
    /// torch.optim.Adam (or AdamW when <paramref name="decoupledWeightDecay"/>): m = β1 m + (1-β1) g,
    /// v = β2 v + (1-β2) g², p -= (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + ε). Adam adds weightDecay·p to g;
    /// AdamW multiplies p by (1 - lr·weightDecay) first. One departure from PyTorch's values: an m or v that comes out
    /// subnormal is stored, and used, as a zero of its sign (<see cref="FlushSubnormal{T}(T)"/>), which moves a parameter
    /// by less than lr · 2^-126 / ε in float.
    /// </summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradients">d(loss)/d(parameter), same layout.</param>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="firstMoment">The running mean m of the gradients.</param>
    /// <param name="secondMoment">The running mean v of the squared gradients.</param>
    /// <param name="beta1">β1, PyTorch default 0.9.</param>
    /// <param name="beta2">β2, PyTorch default 0.999.</param>
    /// <param name="epsilon">ε, PyTorch default 1e-8.</param>
    /// <param name="weightDecay">The weight decay factor.</param>
    /// <param name="decoupledWeightDecay">True for AdamW, false for Adam's L2 penalty.</param>
    /// <param name="step">The step number t, starting at 1.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void Adam<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> firstMoment, Span<T> secondMoment,
        T learningRate, T beta1, T beta2, T epsilon, T weightDecay, bool decoupledWeightDecay, int step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(parameters, gradients);
        if (firstMoment.Length != parameters.Length || secondMoment.Length != parameters.Length)
        {
            throw new ArgumentException("The moment buffers must be as long as the parameters.");
        }

        if (step < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "Adam counts steps from 1.");
        }

        T biasCorrection1 = T.One - T.Pow(beta1, T.CreateChecked(step));
        T biasCorrection2 = T.One - T.Pow(beta2, T.CreateChecked(step));
        T stepSize = learningRate / biasCorrection1;
        T biasCorrection2Sqrt = T.Sqrt(biasCorrection2);
        T decay = T.One - (learningRate * weightDecay);
        if (NetGen.Numerics.ParameterSplit.Splits(parameters.Length))
        {
            // Shared with RowSplit's worker in ranges of whole vectors: each value is updated exactly as below.
            NetGen.Numerics.ParameterSplit.Adam(parameters, gradients, firstMoment, secondMoment, beta1, beta2, epsilon, weightDecay,
                decoupledWeightDecay, stepSize, biasCorrection2Sqrt, decay);
            return;
        }

        AdamRange(parameters, gradients, firstMoment, secondMoment, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, stepSize,
            biasCorrection2Sqrt, decay);
    }

    /// <summary>Adam's update of every value of the spans, with the step's constants worked out by <see cref="Adam{T}"/>.</summary>
    internal static void AdamRange<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> firstMoment, Span<T> secondMoment,
        T beta1, T beta2, T epsilon, T weightDecay, bool decoupledWeightDecay, T stepSize, T biasCorrection2Sqrt, T decay)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && parameters.Length >= Vector<T>.Count)
        {
            // The same operations in the same order as the scalar loop below, so results are identical. Read and written
            // through references (the lengths are checked above): slicing the spans for every vector took twice as long.
            bool decays = weightDecay != T.Zero;
            Vector<T> b1 = new(beta1), b2 = new(beta2), oneMinusB1 = new(T.One - beta1), oneMinusB2 = new(T.One - beta2);
            Vector<T> eps = new(epsilon), size = new(stepSize), correction = new(biasCorrection2Sqrt), lambda = new(weightDecay), shrink = new(decay);
            Vector<T> smallest = new(SmallestNormal<T>()), sign = new(T.NegativeZero);
            ref T pr = ref MemoryMarshal.GetReference(parameters);
            ref T gr = ref MemoryMarshal.GetReference(gradients);
            ref T mr = ref MemoryMarshal.GetReference(firstMoment);
            ref T vr = ref MemoryMarshal.GetReference(secondMoment);
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint at = (nuint)i;
                Vector<T> p = Vector.LoadUnsafe(ref pr, at);
                Vector<T> g = Vector.LoadUnsafe(ref gr, at);
                if (decays)
                {
                    if (decoupledWeightDecay)
                    {
                        p *= shrink;
                    }
                    else
                    {
                        g += lambda * p;
                    }
                }

                Vector<T> m = FlushSubnormal((b1 * Vector.LoadUnsafe(ref mr, at)) + (oneMinusB1 * g), smallest, sign);
                Vector<T> v = FlushSubnormal((b2 * Vector.LoadUnsafe(ref vr, at)) + (oneMinusB2 * g * g), smallest, sign);
                m.StoreUnsafe(ref mr, at);
                v.StoreUnsafe(ref vr, at);
                Vector<T> denominator = (Vector.SquareRoot(v) / correction) + eps;
                (p - (size * (m / denominator))).StoreUnsafe(ref pr, at);
            }
        }

        for (; i < parameters.Length; i++)
        {
            T g = gradients[i];
            if (weightDecay != T.Zero)
            {
                if (decoupledWeightDecay)
                {
                    parameters[i] *= decay;
                }
                else
                {
                    g += weightDecay * parameters[i];
                }
            }

            T m = FlushSubnormal((beta1 * firstMoment[i]) + ((T.One - beta1) * g));
            T v = FlushSubnormal((beta2 * secondMoment[i]) + ((T.One - beta2) * g * g));
            firstMoment[i] = m;
            secondMoment[i] = v;
            T denominator = (T.Sqrt(v) / biasCorrection2Sqrt) + epsilon;
            parameters[i] -= stepSize * (m / denominator);
        }
    }

    /// <summary>
    /// A moment or buffer that has become subnormal, as a zero of its sign (flush-to-zero, for the optimizers' stored
    /// state only): Adam's and RMSprop's moments and the momentum buffers decay towards zero geometrically once their
    /// gradient stays zero (the weights of a unit that no longer fires), and on Intel processors every multiplication,
    /// division or square root that reads or gives a subnormal value takes a microcode assist of about a hundred cycles
    /// (Adam over 235,146 floats whose first moments are subnormal: 2.9 ms instead of 0.16 ms, docs/performance.md).
    /// Zero, normal, infinite and NaN values pass unchanged.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static T FlushSubnormal<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.IsSubnormal(value) ? T.CopySign(T.Zero, value) : value;

    /// <summary><see cref="FlushSubnormal{T}(T)"/> a vector at a time: lanes under the smallest normal magnitude keep only their sign bit.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector<T> FlushSubnormal<T>(Vector<T> value, Vector<T> smallest, Vector<T> sign)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(value), smallest), value & sign, value);

    /// <summary>The smallest positive normal value of <typeparamref name="T"/> (float or double).</summary>
    private static T SmallestNormal<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(BitConverter.Int32BitsToSingle(0x00800000)) : T.CreateTruncating(BitConverter.Int64BitsToDouble(0x0010000000000000));

    /// <summary>
    /// torch.optim.RMSprop (not centred): g = grad + weightDecay·p, s = α s + (1-α) g², then p -= lr · g / (sqrt(s) + ε),
    /// or with momentum μ: b = μ b + g / (sqrt(s) + ε), p -= lr · b. As in <see cref="Adam{T}"/>, an s or b that comes
    /// out subnormal is stored, and used, as a zero of its sign: sqrt(s) then changes from at most 2^-63 to 0 beside
    /// ε = 1e-8 (a relative change of the denominator under 1.1e-11, below float's resolution), and a flushed b moves a
    /// parameter by less than lr · 2^-126.
    /// </summary>
    /// <param name="parameters">The parameters, updated in place.</param>
    /// <param name="gradients">d(loss)/d(parameter), same layout.</param>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="squareAverage">The running mean s of the squared gradients.</param>
    /// <param name="velocity">The momentum buffer (ignored when <paramref name="momentum"/> is 0).</param>
    /// <param name="alpha">The smoothing constant α, PyTorch default 0.99.</param>
    /// <param name="epsilon">ε, PyTorch default 1e-8.</param>
    /// <param name="weightDecay">The L2 penalty factor.</param>
    /// <param name="momentum">The momentum factor μ; 0 for none.</param>
    /// <typeparam name="T">float or double.</typeparam>
    public static void RmsProp<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> squareAverage, Span<T> velocity,
        T learningRate, T alpha, T epsilon, T weightDecay, T momentum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckLengths(parameters, gradients);
        bool useMomentum = momentum != T.Zero;
        if (squareAverage.Length != parameters.Length || (useMomentum && velocity.Length != parameters.Length))
        {
            throw new ArgumentException("The state buffers must be as long as the parameters.");
        }

        if (NetGen.Numerics.ParameterSplit.Splits(parameters.Length))
        {
            // Shared with RowSplit's worker in ranges of whole vectors: each value is updated exactly as below.
            NetGen.Numerics.ParameterSplit.RmsProp(parameters, gradients, squareAverage, useMomentum ? velocity : default, learningRate, alpha, epsilon, weightDecay, momentum);
            return;
        }

        RmsPropRange(parameters, gradients, squareAverage, velocity, learningRate, alpha, epsilon, weightDecay, momentum);
    }

    /// <summary><see cref="RmsProp{T}"/>'s update of every value of the spans (checked by RmsProp).</summary>
    internal static void RmsPropRange<T>(Span<T> parameters, ReadOnlySpan<T> gradients, Span<T> squareAverage, Span<T> velocity,
        T learningRate, T alpha, T epsilon, T weightDecay, T momentum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool useMomentum = momentum != T.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated && parameters.Length >= Vector<T>.Count)
        {
            // The same operations in the same order as the scalar loop below, so results are identical; through
            // references, as in Adam (the lengths are checked above).
            bool decays = weightDecay != T.Zero;
            Vector<T> a = new(alpha), oneMinusA = new(T.One - alpha), eps = new(epsilon), lr = new(learningRate), mu = new(momentum), lambda = new(weightDecay);
            Vector<T> smallest = new(SmallestNormal<T>()), sign = new(T.NegativeZero);
            ref T pr = ref MemoryMarshal.GetReference(parameters);
            ref T gr = ref MemoryMarshal.GetReference(gradients);
            ref T sr = ref MemoryMarshal.GetReference(squareAverage);
            ref T br = ref MemoryMarshal.GetReference(velocity);
            for (; i <= parameters.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint at = (nuint)i;
                Vector<T> p = Vector.LoadUnsafe(ref pr, at);
                Vector<T> g = Vector.LoadUnsafe(ref gr, at);
                if (decays)
                {
                    g += lambda * p;
                }

                Vector<T> s = FlushSubnormal((a * Vector.LoadUnsafe(ref sr, at)) + (oneMinusA * g * g), smallest, sign);
                s.StoreUnsafe(ref sr, at);
                Vector<T> scaled = g / (Vector.SquareRoot(s) + eps);
                if (useMomentum)
                {
                    scaled = FlushSubnormal((mu * Vector.LoadUnsafe(ref br, at)) + scaled, smallest, sign);
                    scaled.StoreUnsafe(ref br, at);
                }

                (p - (lr * scaled)).StoreUnsafe(ref pr, at);
            }
        }

        for (; i < parameters.Length; i++)
        {
            T g = gradients[i];
            if (weightDecay != T.Zero)
            {
                g += weightDecay * parameters[i];
            }

            T s = FlushSubnormal((alpha * squareAverage[i]) + ((T.One - alpha) * g * g));
            squareAverage[i] = s;
            T scaled = g / (T.Sqrt(s) + epsilon);
            if (useMomentum)
            {
                scaled = FlushSubnormal((momentum * velocity[i]) + scaled);
                velocity[i] = scaled;
            }

            parameters[i] -= learningRate * scaled;
        }
    }

    /// <summary>
    /// torch.nn.utils.clip_grad_norm_ (PyTorch 1.13): with the total L2 norm n over all of <paramref name="gradients"/>,
    /// multiplies every gradient by min(1, maxNorm / (n + 1e-6)) in place, and returns n (before clipping). A
    /// non-finite n leaves the gradients as they are (the trainer's divergence check reports them). Generated
    /// <c>TrainBatch</c> methods call this between backpropagation and the optimizer step when the network's
    /// <c>ClipGradientNorm</c> is above 0, as PyTorch code calls <c>clip_grad_norm_</c> between <c>backward()</c>
    /// and <c>step()</c>; the network's <c>LastGradients</c> then hold the clipped gradient, as <c>.grad</c> does.
    /// </summary>
    /// <param name="gradients">The gradient over all parameters, clipped in place.</param>
    /// <param name="maxNorm">The largest L2 norm to keep, &gt; 0.</param>
    /// <returns>The total norm before clipping.</returns>
    /// <typeparam name="T">float or double.</typeparam>
    public static double ClipGradientNorm<T>(Span<T> gradients, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(maxNorm > 0) || double.IsPositiveInfinity(maxNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The norm limit must be finite and > 0.");
        }

        double total = Math.Sqrt(TrainingMath.SumOfSquares((ReadOnlySpan<T>)gradients));
        double coefficient = maxNorm / (total + 1e-6);
        if (double.IsFinite(total) && coefficient < 1)
        {
            T scale = T.CreateChecked(coefficient);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                Vector<T> s = new(scale);
                for (; i <= gradients.Length - Vector<T>.Count; i += Vector<T>.Count)
                {
                    (new Vector<T>(gradients[i..]) * s).CopyTo(gradients[i..]);
                }
            }

            for (; i < gradients.Length; i++)
            {
                gradients[i] *= scale;
            }
        }

        return total;
    }

    private static void CheckLengths<T>(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException($"gradients.Length is {gradients.Length}, expected {parameters.Length} (the parameter count).", nameof(gradients));
        }
    }
}
