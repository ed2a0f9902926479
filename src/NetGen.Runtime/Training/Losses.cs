using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// The losses of <see cref="Loss"/> computed from a network's outputs, as PyTorch defines them, for evaluation. (The
/// generated training code computes the same losses fused with the output activation where that is more stable.)
/// </summary>
public static class Losses
{
    /// <summary>
    /// The loss of one row, summed over its values: (y - t)², |y - t|, Huber (δ = 1), binary cross-entropy
    /// -(t ln y + (1 - t) ln(1 - y)), or cross-entropy -Σ t ln y; logarithms are clamped at -100 as PyTorch's BCELoss.
    /// Divide by rows (cross-entropy) or by rows × outputs (the others) for the mean.
    /// </summary>
    public static double RowLoss<T>(Loss loss, ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (outputs.Length != targets.Length)
        {
            throw new ArgumentException($"{outputs.Length} outputs against {targets.Length} targets.", nameof(targets));
        }

        double sum = 0;
        for (int k = 0; k < outputs.Length; k++)
        {
            double y = double.CreateChecked(outputs[k]), t = double.CreateChecked(targets[k]), d = y - t;
            sum += loss switch
            {
                Loss.MeanSquaredError => d * d,
                Loss.MeanAbsoluteError => Math.Abs(d),
                Loss.Huber => Math.Abs(d) <= 1 ? 0.5 * d * d : Math.Abs(d) - 0.5,
                Loss.BinaryCrossEntropy => -((t * ClampedLog(y)) + ((1 - t) * ClampedLog(1 - y))),
                Loss.CrossEntropy => t == 0 ? 0 : -t * ClampedLog(y),
                _ => 0,
            };
        }

        return sum;
    }

    private static double ClampedLog(double x) => Math.Max(Math.Log(x), -100);
}
