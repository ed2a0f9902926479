#if NETGEN_SOURCE_GENERATION
// Compiled into the generator and the analyzers too (netstandard2.0, inside the compiler), so that they read
// attribute arguments as these very values; see docs/architecture.md. The runtime's types are not visible there.
#pragma warning disable CS1574 // crefs to runtime attributes do not resolve in the generator
namespace NetGen.SourceGeneration;
#else
namespace NetGen;
#endif

/// <summary>The kinds of layer a network is built from.</summary>
#if NETGEN_SOURCE_GENERATION
internal
#else
public
#endif
enum LayerKind
{
    /// <summary>A fully connected layer (<see cref="DenseAttribute"/>).</summary>
    Dense = 0,
    /// <summary>Inverted dropout (<see cref="DropoutAttribute"/>), active only in training.</summary>
    Dropout = 1,
}
