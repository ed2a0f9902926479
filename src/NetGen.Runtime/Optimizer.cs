namespace NetGen;

/// <summary>The update rule of <c>TrainBatch</c>, with PyTorch's defaults.</summary>
public enum Optimizer
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
