namespace NetGen.SourceGeneration;

// Mirrors of the runtime's public enums. The generator and the analyzers run inside the compiler (netstandard2.0)
// and cannot load the net8.0 runtime assembly, so they read attribute arguments as these values. The numbers are
// the contract: tests assert that every name and value matches NetGen.Activation, NetGen.Init and the rest.

internal enum ActivationKind
{
    Linear = 0,
    Sigmoid = 1,
    Tanh = 2,
    ReLU = 3,
    LeakyReLU = 4,
    PReLU = 5,
    ELU = 6,
    SELU = 7,
    Softplus = 8,
    GELU = 9,
    SiLU = 10,
    PiecewiseLinear = 11,
    Step = 12,
    Sign = 13,
    Softmax = 14,
}

internal enum InitKind
{
    Default = 0,
    FanInUniform = 1,
    GlorotUniform = 2,
    GlorotNormal = 3,
    HeUniform = 4,
    HeNormal = 5,
    LeCunUniform = 6,
    LeCunNormal = 7,
    Zeros = 8,
}

internal enum LossKind
{
    None = 0,
    MeanSquaredError = 1,
    MeanAbsoluteError = 2,
    Huber = 3,
    BinaryCrossEntropy = 4,
    CrossEntropy = 5,
}

internal enum OptimizerKind
{
    Sgd = 0,
    Adam = 1,
    AdamW = 2,
    RmsProp = 3,
}

internal enum PrecisionKind
{
    Single = 0,
    Double = 1,
}

internal enum LayerKindSpec
{
    Dense = 0,
    Dropout = 1,
}
