#if NETGEN_SOURCE_GENERATION
// Compiled into the generator and the analyzers too (netstandard2.0, inside the compiler), so that they read
// attribute arguments as these very values; see docs/architecture.md. The runtime's types are not visible there.
#pragma warning disable CS1574 // crefs to runtime attributes do not resolve in the generator
namespace NetGen.SourceGeneration;
#else
namespace NetGen;
#endif

/// <summary>The floating-point type the generated code computes in.</summary>
#if NETGEN_SOURCE_GENERATION
internal
#else
public
#endif
enum Precision
{
    /// <summary><see cref="float"/>: the default, twice the SIMD lanes of double.</summary>
    Single = 0,
    /// <summary><see cref="double"/>: for gradient checks and numerically delicate work.</summary>
    Double = 1,
}
