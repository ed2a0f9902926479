using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace NetGen;

/// <summary>Argument checks shared by generated networks and the runtime, with messages that name both sizes.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkGuard
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    public static void Length(int actual, int expected, string sizeName, string parameterName)
    {
        if (actual != expected)
        {
            ThrowLength(actual, expected, sizeName, parameterName);
        }
    }

    /// <summary>Checks a batch: inputs hold whole rows of <paramref name="inputSize"/> and outputs match them. Returns the row count.</summary>
    public static int Rows(int inputLength, int inputSize, int outputLength, int outputSize, string inputName, string outputName)
    {
        if (inputLength % inputSize != 0)
        {
            throw new ArgumentException(
                $"{inputName}.Length is {inputLength}, not a whole number of rows of InputSize {inputSize}; expected a multiple of {inputSize}.",
                inputName);
        }

        int rows = inputLength / inputSize;
        if (outputLength != rows * outputSize)
        {
            throw new ArgumentException(
                $"{outputName}.Length is {outputLength}, but {rows} input rows need {rows} x OutputSize {outputSize} = {rows * outputSize}.",
                outputName);
        }

        return rows;
    }

    /// <summary>Checks a training batch: whole input rows, at least one, and one target row (or label) per input row. Returns the row count.</summary>
    public static int TrainingRows(int inputLength, int inputSize, int targetLength, int targetSize, string inputName, string targetName)
    {
        // Generated TrainBatch(inputs, labels) passes targetSize 1 and nameof(labels): one label per row, whatever OutputSize is.
        int rows = targetSize == 1 && targetName == "labels"
            ? LabelRows(inputLength, inputSize, targetLength, inputName, targetName)
            : Rows(inputLength, inputSize, targetLength, targetSize, inputName, targetName);
        if (rows == 0)
        {
            throw new ArgumentException("A training batch needs at least one row.", inputName);
        }

        return rows;
    }

    /// <summary>Checks a labelled batch: whole input rows and one class label per row. Returns the row count.</summary>
    public static int LabelRows(int inputLength, int inputSize, int labelLength, string inputName, string labelName)
    {
        if (inputLength % inputSize != 0)
        {
            throw new ArgumentException(
                $"{inputName}.Length is {inputLength}, not a whole number of rows of InputSize {inputSize}; expected a multiple of {inputSize}.",
                inputName);
        }

        int rows = inputLength / inputSize;
        if (labelLength != rows)
        {
            throw new ArgumentException(
                $"{labelName}.Length is {labelLength}, but {rows} input rows need one label per row = {rows}.",
                labelName);
        }

        return rows;
    }

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

    [DoesNotReturn]
    private static void ThrowLength(int actual, int expected, string sizeName, string parameterName) =>
        throw new ArgumentException($"{parameterName}.Length is {actual}, expected {sizeName} = {expected}.", parameterName);
}
