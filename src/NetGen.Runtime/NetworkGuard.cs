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
    /// <summary>Checks <c>Predict(input, output)</c>: both lengths, and that the spans do not overlap.</summary>
    public static void Predict<T>(ReadOnlySpan<T> input, Span<T> output, int inputSize, int outputSize)
    {
        Length(input.Length, inputSize, "InputSize", "input");
        Length(output.Length, outputSize, "OutputSize", "output");
        Apart(input, output, "input", "output");
    }

    /// <summary>Checks <c>PredictClass(input)</c>.</summary>
    public static void PredictClass<T>(ReadOnlySpan<T> input, int inputSize) => Length(input.Length, inputSize, "InputSize", "input");

    /// <summary>Checks <c>PredictBatch(inputs, outputs)</c>: whole input rows and one output row per input row. Returns the row count.</summary>
    public static int PredictBatch<T>(ReadOnlySpan<T> inputs, Span<T> outputs, int inputSize, int outputSize)
    {
        int rows = Rows(inputs.Length, inputSize, outputs.Length, outputSize, "inputs", "outputs");
        Apart(inputs, outputs, "inputs", "outputs");
        return rows;
    }

    /// <summary>Checks <c>PredictLayers(input, activations)</c>.</summary>
    public static void PredictLayers<T>(ReadOnlySpan<T> input, Span<T> activations, int inputSize, int activationCount)
    {
        Length(input.Length, inputSize, "InputSize", "input");
        Length(activations.Length, activationCount, "the sum of the dense layers' units", "activations");
        Apart(input, activations, "input", "activations");
    }

    /// <summary>
    /// Checks <c>TrainBatch(inputs, targets)</c>: at least one whole row, one target row per input row, and every
    /// feature and target finite (one NaN would turn every parameter into NaN). Returns the row count.
    /// </summary>
    public static int TrainBatch<T>(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int inputSize, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = NotEmpty(Rows(inputs.Length, inputSize, targets.Length, outputSize, "inputs", "targets"));
        Finite(inputs, inputSize, "inputs");
        Finite(targets, outputSize, "targets");
        return rows;
    }

    /// <summary>
    /// Checks <c>TrainBatch(inputs, labels)</c>: at least one whole row, one class label per input row, every label in
    /// range and every feature finite, all before the batch changes anything (the gradient, the dropout stream).
    /// Returns the row count.
    /// </summary>
    public static int TrainBatch<T>(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int inputSize, int outputSize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = NotEmpty(WholeRows(inputs.Length, inputSize, "inputs"));
        if (labels.Length != rows)
        {
            throw new ArgumentException($"labels.Length is {labels.Length}, but {rows} input rows need one label per row = {rows}.", "labels");
        }

        for (int row = 0; row < labels.Length; row++)
        {
            Label(labels[row], outputSize, row, "labels");
        }

        Finite(inputs, inputSize, "inputs");
        return rows;
    }

    /// <summary>Checks <c>ComputeGradients(inputs, targets, gradients)</c>. Returns the row count.</summary>
    public static int ComputeGradients<T>(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradients, int inputSize, int outputSize, int parameterCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = TrainBatch(inputs, targets, inputSize, outputSize);
        Length(gradients.Length, parameterCount, "ParameterCount", "gradients");
        return rows;
    }

    /// <summary>Checks a new learning rate: finite and not negative (0 is allowed: schedules such as cosine annealing reach it).</summary>
    public static T LearningRate<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
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

    /// <summary>Checks every label of a batch with <see cref="Label"/> (parameter <c>labels</c>), before any row runs.</summary>
    public static void Labels(ReadOnlySpan<int> labels, int classes)
    {
        for (int row = 0; row < labels.Length; row++)
        {
            Label(labels[row], classes, row, "labels");
        }
    }

    /// <summary>
    /// The target row of a class label, written to <paramref name="target"/> (one value per output): one-hot, or the
    /// label itself for a single output. Checks the label first, as <see cref="Label"/> (parameter <c>labels</c>).
    /// </summary>
    public static ReadOnlySpan<T> LabelTarget<T>(int label, int row, Span<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Label(label, target.Length, row, "labels");
        if (target.Length == 1)
        {
            target[0] = T.CreateTruncating(label);
        }
        else
        {
            target.Clear();
            target[label] = T.One;
        }

        return target;
    }

    /// <summary>
    /// PredictClass's decision for several outputs: the index of the largest, the first one on ties. A NaN output has
    /// no class: it throws (see <see cref="Undecidable{T}"/>) instead of returning an index that looks like an answer.
    /// </summary>
    public static int ArgMax<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            if (T.IsNaN(outputs[i]))
            {
                Undecidable(input, i);
            }

            if (outputs[i] > outputs[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>PredictClass's decision for one output: 1 when it is at least <paramref name="threshold"/>, else 0; NaN throws.</summary>
    public static int Threshold<T>(ReadOnlySpan<T> outputs, T threshold, ReadOnlySpan<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(outputs[0]))
        {
            Undecidable(input, 0);
        }

        return outputs[0] >= threshold ? 1 : 0;
    }

    /// <summary>
    /// Throws for a NaN output: <see cref="ArgumentException"/> naming the first NaN or infinite feature when the row
    /// has one (the usual cause), else <see cref="InvalidOperationException"/>: a finite row gave NaN, so the
    /// parameters are not finite (a diverged training run, or NaN written into <c>Parameters</c>).
    /// </summary>
    [DoesNotReturn]
    private static void Undecidable<T>(ReadOnlySpan<T> input, int output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int column = FirstNonFinite(input);
        if (column >= 0)
        {
            throw new ArgumentException(
                $"input[{column}] is {input[column]}, and output {output} is NaN: a row with NaN or infinite features has no class.", "input");
        }

        throw new InvalidOperationException(
            $"Output {output} is NaN for a row of finite features: the network's parameters are not finite, so no class can be chosen.");
    }

    /// <summary>Throws unless every value is finite, naming the row and column of the first that is not.</summary>
    private static void Finite<T>(ReadOnlySpan<T> values, int rowSize, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!AllFinite(values))
        {
            int at = FirstNonFinite(values);
            throw new ArgumentException(
                $"{name}[{at}] (row {at / rowSize}, column {at % rowSize}) is {values[at]}; training needs finite values (one NaN makes every parameter NaN).", name);
        }
    }

    /// <summary>
    /// Whether every value is finite: a long batch (a 256-row step of 784 features: about 30 µs on one core) is checked
    /// in ranges on both threads where RowSplit's worker is free (docs/performance.md, "Two cores for training").
    /// </summary>
    private static bool AllFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Numerics.ParameterSplit.Splits(values.Length) ? Numerics.ParameterSplit.AllFinite(values, FiniteRanges<T>.Check) : AllFiniteRange(values);

    /// <summary><see cref="AllFiniteRange{T}"/> as a delegate, created once per type.</summary>
    private static class FiniteRanges<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly Numerics.FiniteCheck<T> Check = AllFiniteRange<T>;
    }

    /// <summary>
    /// Whether every value is finite, one vector at a time: x - x is 0 for a finite x and NaN for NaN and ±infinity,
    /// and a NaN stays NaN through the sum, so the sum is all zeros exactly when every value is finite.
    /// </summary>
    private static bool AllFiniteRange<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<T>.Count)
        {
            ReadOnlySpan<Vector<T>> vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Vector<T>>(values);
            Vector<T> sum = Vector<T>.Zero;
            foreach (Vector<T> v in vectors)
            {
                sum += v - v;
            }

            if (!Vector.EqualsAll(sum, Vector<T>.Zero))
            {
                return false;
            }

            i = vectors.Length * Vector<T>.Count;
        }

        for (; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int FirstNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Throws when an input and an output span share memory: the kernels would read values they already wrote.</summary>
    private static void Apart<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, string inputName, string outputName)
    {
        if (input.Overlaps(output))
        {
            throw new ArgumentException($"{inputName} and {outputName} overlap; pass separate buffers (the output is written while the input is still read).", outputName);
        }
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
