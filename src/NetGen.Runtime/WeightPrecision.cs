#if NETGEN_SOURCE_GENERATION
// Compiled into the generator and the analyzers too (netstandard2.0, inside the compiler), so that they read
// attribute arguments as these very values; see docs/architecture.md. The runtime's types are not visible there.
#pragma warning disable CS1574 // crefs to runtime attributes do not resolve in the generator
namespace NetGen.SourceGeneration;
#else
namespace NetGen;
#endif

/// <summary>
/// How the packed copy that <c>Predict</c> and <c>PredictBatch</c> read holds a float network's weights
/// (<see cref="NetworkAttribute.WeightPrecision"/>; docs/performance.md, "Reduced-precision weights"). Training,
/// <c>Parameters</c> and saved models always keep the full-precision weights; only inference reads the reduced copy.
/// </summary>
#if NETGEN_SOURCE_GENERATION
internal
#else
public
#endif
enum WeightPrecision
{
    /// <summary>The network's own precision (float or double): the default.</summary>
    Full = 0,
    /// <summary>
    /// bfloat16: 2 bytes per weight, half the bytes of float, each weight within half a bfloat16 step (8 significant
    /// bits, a relative error of at most 2^-8): of each pair of units one is rounded to bfloat16 and widened back by a
    /// shift, the other is the float nearest it whose low 16 bits are that bfloat16; products and sums in float.
    /// </summary>
    BFloat16 = 1,
    /// <summary>
    /// int8 with one scale per unit (its largest |weight| / 63: 7-bit values in a byte), a quarter of the bytes of
    /// float, each weight off by at most half its unit's scale; each input row quantised too (0..127, with its own
    /// scale and a zero point when it has negative values), products and sums in exact int32, the scales and the bias
    /// applied once per output in float.
    /// </summary>
    Int8 = 2,
}
