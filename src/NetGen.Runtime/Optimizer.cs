#if NETGEN_SOURCE_GENERATION
// Compiled into the generator and the analyzers too (netstandard2.0, inside the compiler), so that they read
// attribute arguments as these very values; see docs/architecture.md. The runtime's types are not visible there.
#pragma warning disable CS1574 // crefs to runtime attributes do not resolve in the generator
namespace NetGen.SourceGeneration;
#else
namespace NetGen;
#endif

/// <summary>The update rule of <c>TrainBatch</c>, with PyTorch's defaults.</summary>
#if NETGEN_SOURCE_GENERATION
internal
#else
public
#endif
enum Optimizer
{
    /// <summary>Stochastic gradient descent (learning rate 0.01), with optional momentum, Nesterov and weight decay.</summary>
    Sgd = 0,
    /// <summary>Adam (learning rate 1e-3, β1 0.9, β2 0.999, ε 1e-8), bias-corrected as torch.optim.Adam.</summary>
    Adam = 1,
    /// <summary>Adam with decoupled weight decay (default 0.01), as torch.optim.AdamW.</summary>
    AdamW = 2,
    /// <summary>RMSProp (learning rate 0.01, α 0.99, ε 1e-8), as torch.optim.RMSprop.</summary>
    RmsProp = 3,
}
