#if NETGEN_SOURCE_GENERATION
// Compiled into the generator and the analyzers too (netstandard2.0, inside the compiler), so that they read
// attribute arguments as these very values; see docs/architecture.md. The runtime's types are not visible there.
#pragma warning disable CS1574 // crefs to runtime attributes do not resolve in the generator
namespace NetGen.SourceGeneration;
#else
namespace NetGen;
#endif

/// <summary>The activation a <see cref="DenseAttribute"/> layer applies to each unit's weighted sum.</summary>
/// <remarks>Formulas follow PyTorch, so results can be checked against it (see docs/numerics.md).</remarks>
#if NETGEN_SOURCE_GENERATION
internal
#else
public
#endif
enum Activation
{
    /// <summary>f(z) = z. The output activation for regression.</summary>
    Linear = 0,
    /// <summary>f(z) = 1 / (1 + e^-z). Output in (0, 1); f' = f(1 - f) is at most 0.25. The output activation for binary classification.</summary>
    Sigmoid = 1,
    /// <summary>f(z) = tanh z. Output in (-1, 1); f' = 1 - f^2.</summary>
    Tanh = 2,
    /// <summary>f(z) = max(0, z). The default choice for hidden layers; pair with He initialisation.</summary>
    ReLU = 3,
    /// <summary>f(z) = z for z &gt; 0, a z otherwise, with a fixed slope a (<see cref="DenseAttribute.Alpha"/>, default 0.01).</summary>
    LeakyReLU = 4,
    /// <summary>As <see cref="LeakyReLU"/>, but the slope is learned: one per layer, starting at <see cref="DenseAttribute.Alpha"/> (default 0.25).</summary>
    PReLU = 5,
    /// <summary>f(z) = z for z &gt; 0, a (e^z - 1) otherwise (<see cref="DenseAttribute.Alpha"/>, default 1).</summary>
    ELU = 6,
    /// <summary>Scaled ELU, λ (z &gt; 0 ? z : α (e^z - 1)) with λ = 1.0507009873554805, α = 1.6732632423543772. Self-normalising with LeCun-normal initialisation.</summary>
    SELU = 7,
    /// <summary>f(z) = ln(1 + e^z), computed stably; a smooth ReLU whose derivative is the sigmoid.</summary>
    Softplus = 8,
    /// <summary>0.5 z (1 + tanh(sqrt(2/π)(z + 0.044715 z^3))), PyTorch's GELU with approximate='tanh'.</summary>
    GELU = 9,
    /// <summary>f(z) = z sigmoid(z) (also called swish).</summary>
    SiLU = 10,
    /// <summary>0 for z ≤ -1/2, z + 1/2 in between, 1 for z ≥ 1/2: a linear ramp clipped to [0, 1].</summary>
    PiecewiseLinear = 11,
    /// <summary>Heaviside step: 0 for z &lt; 0, 0.5 at z = 0, 1 for z &gt; 0. Its derivative is 0, so it is for inference only.</summary>
    Step = 12,
    /// <summary>-1, 0 or 1 by the sign of z. Its derivative is 0, so it is for inference only.</summary>
    Sign = 13,
    /// <summary>e^zi / Σ e^zj over the layer (computed with the maximum subtracted). The output activation for multi-class classification.</summary>
    Softmax = 14,
}
