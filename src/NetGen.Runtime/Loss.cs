namespace NetGen;

/// <summary>The loss a network is trained on; every loss is the mean over the batch.</summary>
public enum Loss
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
