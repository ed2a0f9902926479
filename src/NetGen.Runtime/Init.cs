#if NETGEN_SOURCE_GENERATION
// Compiled into the generator and the analyzers too (netstandard2.0, inside the compiler), so that they read
// attribute arguments as these very values; see docs/architecture.md. The runtime's types are not visible there.
#pragma warning disable CS1574 // crefs to runtime attributes do not resolve in the generator
namespace NetGen.SourceGeneration;
#else
namespace NetGen;
#endif

/// <summary>How a <see cref="DenseAttribute"/> layer's weights are drawn by <c>Initialize(seed)</c>. Biases always start at zero.</summary>
/// <remarks>fan_in is the layer's input width, fan_out its number of units.</remarks>
#if NETGEN_SOURCE_GENERATION
internal
#else
public
#endif
enum Init
{
    /// <summary>Chosen from the activation: He for the ReLU family, LeCun normal for SELU, Glorot uniform otherwise.</summary>
    Default = 0,
    /// <summary>U(-1/sqrt(fan_in), +1/sqrt(fan_in)), the default of PyTorch's nn.Linear.</summary>
    FanInUniform = 1,
    /// <summary>U(-sqrt(6/(fan_in + fan_out)), +sqrt(6/(fan_in + fan_out))) (Glorot and Bengio, 2010). For Sigmoid and Tanh.</summary>
    GlorotUniform = 2,
    /// <summary>N(0, 2/(fan_in + fan_out)) (Glorot and Bengio, 2010). For Sigmoid and Tanh.</summary>
    GlorotNormal = 3,
    /// <summary>U(-sqrt(6/fan_in), +sqrt(6/fan_in)) (He et al., 2015). For the ReLU family.</summary>
    HeUniform = 4,
    /// <summary>N(0, 2/fan_in) (He et al., 2015). For the ReLU family.</summary>
    HeNormal = 5,
    /// <summary>U(-sqrt(3/fan_in), +sqrt(3/fan_in)).</summary>
    LeCunUniform = 6,
    /// <summary>N(0, 1/fan_in). For SELU.</summary>
    LeCunNormal = 7,
    /// <summary>All weights zero. Never right for a layer of two or more units: they stay identical forever.</summary>
    Zeros = 8,
}
