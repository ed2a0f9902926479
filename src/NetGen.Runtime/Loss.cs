#if NETGEN_SOURCE_GENERATION
// Compiled into the generator and the analyzers too (netstandard2.0, inside the compiler), so that they read
// attribute arguments as these very values; see docs/architecture.md. The runtime's types are not visible there.
#pragma warning disable CS1574 // crefs to runtime attributes do not resolve in the generator
namespace NetGen.SourceGeneration;
#else
namespace NetGen;
#endif

/// <summary>The loss a network is trained on; every loss is the mean over the batch.</summary>
#if NETGEN_SOURCE_GENERATION
internal
#else
public
#endif
enum Loss
{
    /// <summary>No loss: the network is for inference only and gets no training members.</summary>
    None = 0,
    /// <summary>Mean of (y - t)^2 over all outputs. For regression with a Linear output.</summary>
    MeanSquaredError = 1,
    /// <summary>Mean of |y - t| over all outputs.</summary>
    MeanAbsoluteError = 2,
    /// <summary>Huber loss with δ = 1: quadratic near the target, linear beyond.</summary>
    Huber = 3,
    /// <summary>Binary cross-entropy; with a Sigmoid output it is computed from the logit, stably.</summary>
    BinaryCrossEntropy = 4,
    /// <summary>Cross-entropy (natural log); with a Softmax output the gradient at the logits is (p - t)/batch.</summary>
    CrossEntropy = 5,
}
