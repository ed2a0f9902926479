using System;
using System.Numerics;
using System.Runtime.InteropServices;
using Xunit;

namespace NetGen.Runtime.Tests.Misuse;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(4)]
[Dense(6, Activation.ReLU)]
[Dropout(0.3)]
[Dense(3, Activation.Softmax)]
public partial class MisuseNet { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, Precision = Precision.Double)]
[Input(4)]
[Dense(6, Activation.ReLU)]
[Dropout(0.3)]
[Dense(3, Activation.Softmax)]
public partial class MisuseDoubleNet { }

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1)]
[Input(2)]
[Dense(1, Activation.Sigmoid)]
public partial class MisuseBinaryNet { }

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1, Precision = Precision.Double)]
[Input(2)]
[Dense(1, Activation.Sigmoid)]
public partial class MisuseBinaryDoubleNet { }

/// <summary>
/// What the generated public members do with misuse (docs/reliability.md, "Generated members"): every check runs
/// before anything changes, so a rejected call leaves parameters, LastGradients, the optimizer and the dropout stream
/// exactly as they were, and the next good call gives what it gives on an untouched twin.
/// </summary>
public sealed class GeneratedMemberMisuseTests
{
    private static T[] Values<T>(int count, double start)
        where T : IFloatingPointIeee754<T>
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = T.CreateChecked(start + (0.37 * i) - (0.11 * i * i % 3));
        }

        return values;
    }

    /// <summary>Runs a rejected call on one network and the same good batch on it and on a twin; both must agree bit for bit.</summary>
    private static void RejectedCallChangesNothing<T>(ITrainableNetwork<T> net, ITrainableNetwork<T> twin, Action<ITrainableNetwork<T>> rejected, Type exception)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] inputs = Values<T>(5 * 4, -1);
        int[] labels = { 0, 2, 1, 1, 0 };
        net.TrainBatch(inputs, labels); // a first step, so that LastGradients and the optimizer hold something
        twin.TrainBatch(inputs, labels);
        T[] parameters = net.Parameters.ToArray();
        T[] gradients = net.LastGradients.ToArray();
        T[] state = net.OptimizerState.ToArray();
        SeededRandom dropout = net.DropoutRandom;

        Assert.Throws(exception, () => rejected(net));

        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(gradients, net.LastGradients.ToArray());
        Assert.Equal(state, net.OptimizerState.ToArray());
        Assert.Equal(dropout.NextDouble(), net.DropoutRandom.NextDouble());

        // The run still reproduces: the next step equals the twin's, dropout masks included.
        T loss = net.TrainBatch(inputs, labels);
        Assert.Equal(twin.TrainBatch(inputs, labels), loss);
        Assert.Equal(twin.Parameters.ToArray(), net.Parameters.ToArray());
    }

    public static TheoryData<string> Rejections() => new() { "label in the last row", "NaN feature", "infinite feature", "NaN target", "infinite target (ComputeGradients)", "negative label in the first row" };

    private static void Reject<T>(ITrainableNetwork<T> net, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] inputs = Values<T>(4 * 4, 0.5);
        T[] targets = new T[4 * 3];
        targets[0] = targets[4] = targets[8] = targets[9] = T.One;
        switch (what)
        {
            case "label in the last row":
                net.TrainBatch(inputs, new[] { 0, 1, 2, 3 });
                break;
            case "negative label in the first row":
                net.TrainBatch(inputs, new[] { -1, 1, 2, 0 });
                break;
            case "NaN feature":
                inputs[^1] = T.NaN;
                net.TrainBatch(inputs, new[] { 0, 1, 2, 0 });
                break;
            case "infinite feature":
                inputs[5] = T.NegativeInfinity;
                net.TrainBatch(inputs, targets);
                break;
            case "NaN target":
                targets[^1] = T.NaN;
                net.TrainBatch(inputs, targets);
                break;
            default:
                targets[2] = T.PositiveInfinity;
                net.ComputeGradients(inputs, targets, new T[net.ParameterCount]);
                break;
        }
    }

    private static Type ExpectedException(string what) => what.Contains("label", StringComparison.Ordinal) ? typeof(ArgumentOutOfRangeException) : typeof(ArgumentException);

    [Theory]
    [MemberData(nameof(Rejections))]
    public void A_rejected_float_batch_changes_nothing(string what) =>
        RejectedCallChangesNothing<float>(new MisuseNet(seed: 3), new MisuseNet(seed: 3), net => Reject(net, what), ExpectedException(what));

    [Theory]
    [MemberData(nameof(Rejections))]
    public void A_rejected_double_batch_changes_nothing(string what) =>
        RejectedCallChangesNothing<double>(new MisuseDoubleNet(seed: 3), new MisuseDoubleNet(seed: 3), net => Reject(net, what), ExpectedException(what));

    [Fact]
    public void The_message_names_row_and_column_of_a_non_finite_feature()
    {
        var net = new MisuseNet(seed: 1);
        float[] inputs = Values<float>(3 * 4, 0);
        inputs[(2 * 4) + 1] = float.NaN;
        ArgumentException error = Assert.Throws<ArgumentException>(() => net.TrainBatch(inputs, new[] { 0, 1, 2 }));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("inputs[9] (row 2, column 1) is NaN", error.Message, StringComparison.Ordinal);

        ArgumentOutOfRangeException label = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainBatch(Values<float>(3 * 4, 0), new[] { 0, 1, 3 }));
        Assert.Contains("Label 3 in row 2 is outside [0, 2]", label.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_batches_are_checked_past_the_vector_loop()
    {
        // 37 rows of 4: the finiteness check runs whole vectors and then a scalar tail; a NaN in either is found.
        var net = new MisuseDoubleNet(seed: 1);
        int[] labels = new int[37];
        foreach (int at in new[] { 0, 17, 37 * 4 - 1 })
        {
            double[] inputs = Values<double>(37 * 4, -2);
            inputs[at] = double.PositiveInfinity;
            ArgumentException error = Assert.Throws<ArgumentException>(() => net.TrainBatch(inputs, labels));
            Assert.Contains($"inputs[{at}]", error.Message, StringComparison.Ordinal);
        }

        Assert.True(double.IsFinite(net.TrainBatch(Values<double>(37 * 4, -2), labels)));
    }

    [Fact]
    public void Overlapping_input_and_output_are_refused()
    {
        var net = new MisuseNet(seed: 2);
        float[] buffer = Values<float>(64, 0);
        float[] before = (float[])buffer.Clone();
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => net.Predict(buffer.AsSpan(0, 4), buffer.AsSpan(2, 3))).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => net.Predict(buffer.AsSpan(0, 4), buffer.AsSpan(0, 3))).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => net.PredictBatch(buffer.AsSpan(0, 40), buffer.AsSpan(20, 30))).ParamName);
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => net.PredictLayers(buffer.AsSpan(0, 4), buffer.AsSpan(3, 9))).ParamName);
        Assert.Equal(before, buffer);

        // Adjacent, not overlapping: allowed, and equal to separate buffers.
        net.Predict(buffer.AsSpan(0, 4), buffer.AsSpan(4, 3));
        float[] separate = new float[3];
        net.Predict(before.AsSpan(0, 4), separate);
        Assert.Equal(separate, buffer.AsSpan(4, 3).ToArray());

        var doubles = new MisuseDoubleNet(seed: 2);
        double[] d = Values<double>(16, 0);
        Assert.Throws<ArgumentException>(() => doubles.Predict(d.AsSpan(0, 4), d.AsSpan(1, 3)));
    }

    [Fact]
    public void PredictBatch_row_products_do_not_wrap()
    {
        // 2^30 rows of one feature need 2^32 outputs of 4: in int that product is 0, which an empty output span matched.
        // The spans are never read, so a fake length over a small array is enough to reach the check.
        float[] small = new float[1];
        ArgumentException error = Assert.Throws<ArgumentException>(() => NetworkGuard.PredictBatch(MemoryMarshal.CreateReadOnlySpan(ref small[0], 1 << 30), Span<float>.Empty, 1, 4));
        Assert.Contains("1073741824 input rows need 1073741824 x OutputSize 4 = 4294967296", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PredictClass_of_a_NaN_row_throws_instead_of_answering_0()
    {
        var net = new MisuseNet(seed: 4);
        ArgumentException error = Assert.Throws<ArgumentException>(() => net.PredictClass(new[] { float.NaN, float.NaN, float.NaN, float.NaN }));
        Assert.Equal("input", error.ParamName);
        Assert.Contains("input[0] is NaN", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new MisuseDoubleNet(seed: 4).PredictClass(new[] { 1.0, double.NaN, 0, 0 }));
        Assert.Throws<ArgumentException>(() => new MisuseBinaryNet(seed: 4).PredictClass(new[] { float.NaN, 1f }));
        Assert.Throws<ArgumentException>(() => new MisuseBinaryDoubleNet(seed: 4).PredictClass(new[] { 0.5, double.PositiveInfinity * 0 }));

        // Finite rows still classify: the threshold network follows its sigmoid output.
        var binary = new MisuseBinaryNet(seed: 4);
        float[] output = new float[1];
        binary.Predict(new[] { 0.3f, -0.2f }, output);
        Assert.Equal(output[0] >= 0.5f ? 1 : 0, binary.PredictClass(new[] { 0.3f, -0.2f }));
    }

    [Fact]
    public void PredictClass_of_a_finite_row_with_NaN_parameters_is_an_invalid_state()
    {
        var net = new MisuseNet(seed: 5);
        net.Parameters.Fill(float.NaN);
        Assert.Throws<InvalidOperationException>(() => net.PredictClass(new[] { 1f, 2f, 3f, 4f }));
        var binary = new MisuseBinaryDoubleNet(seed: 5);
        binary.Parameters[0] = double.NaN;
        Assert.Throws<InvalidOperationException>(() => binary.PredictClass(new[] { 1.0, 2.0 }));
    }

    [Fact]
    public void An_infinite_feature_whose_class_is_still_defined_is_classified()
    {
        // A saturated sigmoid gives 1 for +infinity times a positive weight: the row has a class, so no exception.
        var binary = new MisuseBinaryNet(seed: 6);
        binary.Parameters[0] = 1f;
        binary.Parameters[1] = 0f;
        binary.Parameters[2] = 0f;
        Assert.Equal(1, binary.PredictClass(new[] { float.PositiveInfinity, 0f }));
    }
}
