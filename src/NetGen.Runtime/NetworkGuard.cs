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

    [DoesNotReturn]
    private static void ThrowLength(int actual, int expected, string sizeName, string parameterName) =>
        throw new ArgumentException($"{parameterName}.Length is {actual}, expected {sizeName} = {expected}.", parameterName);
}
