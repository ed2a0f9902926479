using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace NetGen;

/// <summary>
/// The argument checks and small decisions of generated networks' public members, written once here instead of in
/// every generated file (as System.Text.Json's generated code calls <c>JsonMetadataServices</c>). Each method checks
/// everything before the member changes any state and throws <see cref="ArgumentException"/> (or
/// <see cref="ArgumentOutOfRangeException"/>) naming the parameter and both sizes. Not meant to be called directly;
/// docs/reliability.md lists what each member refuses.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkGuard
{
    /// <summary>Checks <c>Predict(input, output)</c>.</summary>
    public static void Predict<T>(ReadOnlySpan<T> input, Span<T> output, int inputSize, int outputSize)
    {
        Length(input.Length, inputSize, "InputSize", "input");
        Length(output.Length, outputSize, "OutputSize", "output");
    }

    /// <summary>Checks <c>PredictClass(input)</c>.</summary>
    public static void PredictClass<T>(ReadOnlySpan<T> input, int inputSize) => Length(input.Length, inputSize, "InputSize", "input");

    /// <summary>Checks <c>PredictBatch(inputs, outputs)</c>: whole input rows and one output row per input row. Returns the row count.</summary>
    public static int PredictBatch<T>(ReadOnlySpan<T> inputs, Span<T> outputs, int inputSize, int outputSize) =>
        Rows(inputs.Length, inputSize, outputs.Length, outputSize, "inputs", "outputs");

    /// <summary>Checks <c>PredictLayers(input, activations)</c>.</summary>
    public static void PredictLayers<T>(ReadOnlySpan<T> input, Span<T> activations, int inputSize, int activationCount)
    {
        Length(input.Length, inputSize, "InputSize", "input");
        Length(activations.Length, activationCount, "the sum of the dense layers' units", "activations");
    }

    /// <summary>Checks <c>TrainBatch(inputs, targets)</c>: at least one whole row and one target row per input row. Returns the row count.</summary>
    public static int TrainBatch<T>(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int inputSize, int outputSize) =>
        NotEmpty(Rows(inputs.Length, inputSize, targets.Length, outputSize, "inputs", "targets"));

    /// <summary>
    /// Checks <c>TrainBatch(inputs, labels)</c>: at least one whole row and one class label per input row. Returns the
    /// row count.
    /// </summary>
    public static int TrainBatch<T>(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int inputSize, int outputSize)
    {
        int rows = NotEmpty(WholeRows(inputs.Length, inputSize, "inputs"));
        if (labels.Length != rows)
        {
            throw new ArgumentException($"labels.Length is {labels.Length}, but {rows} input rows need one label per row = {rows}.", "labels");
        }

        return rows;
    }

    /// <summary>Checks <c>ComputeGradients(inputs, targets, gradients)</c>. Returns the row count.</summary>
    public static int ComputeGradients<T>(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradients, int inputSize, int outputSize, int parameterCount)
    {
        int rows = TrainBatch(inputs, targets, inputSize, outputSize);
        Length(gradients.Length, parameterCount, "ParameterCount", "gradients");
        return rows;
    }

    /// <summary>Checks a new learning rate: finite and not negative (0 is allowed: schedules such as cosine annealing reach it).</summary>
    public static T LearningRate<T>(T value)
        where T : IFloatingPointIeee754<T>
    {
        if (!(value >= T.Zero) || T.IsPositiveInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and not negative.");
        }

        return value;
    }

    /// <summary>
    /// Checks one sample weight per row, each finite and ≥ 0, with a sum above 0. Returns the sum (in double, row by row),
    /// the divisor of a weighted mean.
    /// </summary>
    public static double SampleWeights<T>(ReadOnlySpan<T> weights, int rows, string parameterName) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (weights.Length != rows)
        {
            throw new ArgumentException($"{parameterName}.Length is {weights.Length}, expected one weight per row = {rows}.", parameterName);
        }

        double sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double w = double.CreateTruncating(weights[i]);
            if (!(w >= 0) || double.IsPositiveInfinity(w))
            {
                throw new ArgumentOutOfRangeException(parameterName, w, $"The weight of row {i} is {w}; sample weights must be finite and ≥ 0.");
            }

            sum += w;
        }

        if (!(sum > 0) || double.IsPositiveInfinity(sum))
        {
            throw new ArgumentException($"The {rows} sample weights sum to {sum}; a weighted mean needs a finite sum above 0.", parameterName);
        }

        return sum;
    }

    /// <summary>Checks a new optimizer step count: not negative.</summary>
    public static int OptimizerStep(int value) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The step count cannot be negative.");

    /// <summary>Checks a new gradient-norm limit: finite and not negative (0 does not clip).</summary>
    public static double ClipGradientNorm(double value) =>
        value >= 0 && !double.IsPositiveInfinity(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The norm limit must be finite and not negative.");

    /// <summary>Throws for a class label outside [0, classes) (for one output unit: outside {0, 1}).</summary>
    public static void Label(int label, int classes, int row, string parameterName)
    {
        int upper = classes == 1 ? 2 : classes;
        if ((uint)label >= (uint)upper)
        {
            throw new ArgumentOutOfRangeException(parameterName, label,
                $"Label {label} in row {row} is outside [0, {upper - 1}]" + (classes == 1 ? " (a single output unit takes labels 0 and 1)." : $" for {classes} classes."));
        }
    }

    /// <summary>PredictClass's decision for several outputs: the index of the largest, the first one on ties.</summary>
    public static int ArgMax<T>(ReadOnlySpan<T> outputs)
        where T : INumber<T>
    {
        int best = 0;
        for (int i = 1; i < outputs.Length; i++)
        {
            if (outputs[i] > outputs[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static int WholeRows(int length, int rowSize, string name)
    {
        if (length % rowSize != 0)
        {
            throw new ArgumentException(
                $"{name}.Length is {length}, not a whole number of rows of InputSize {rowSize}; expected a multiple of {rowSize}.", name);
        }

        return length / rowSize;
    }

    /// <summary>Whole input rows and as many output rows; the product is formed in 64 bits, so it cannot wrap.</summary>
    private static int Rows(int inputLength, int inputSize, int outputLength, int outputSize, string inputName, string outputName)
    {
        int rows = WholeRows(inputLength, inputSize, inputName);
        long needed = (long)rows * outputSize;
        if (outputLength != needed)
        {
            throw new ArgumentException(
                $"{outputName}.Length is {outputLength}, but {rows} input rows need {rows} x OutputSize {outputSize} = {needed}.", outputName);
        }

        return rows;
    }

    private static int NotEmpty(int rows) =>
        rows != 0 ? rows : throw new ArgumentException("A training batch needs at least one row.", "inputs");

    private static void Length(int actual, int expected, string sizeName, string parameterName)
    {
        if (actual != expected)
        {
            ThrowLength(actual, expected, sizeName, parameterName);
        }
    }

    [DoesNotReturn]
    private static void ThrowLength(int actual, int expected, string sizeName, string parameterName) =>
        throw new ArgumentException($"{parameterName}.Length is {actual}, expected {sizeName} = {expected}.", parameterName);
}
