using System;
using System.IO;
using System.Linq;
using NetGen;
using Xunit;

namespace NetGen.Runtime.Tests.TrainerTests;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.01, Precision = Precision.Double)]
[Input(5)]
[Dense(12, Activation.Tanh)]
[Dropout(0.3)]
[Dense(3, Activation.Softmax)]
public partial class CheckpointAdamNet { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.RmsProp, Momentum = 0.9, LearningRate = 0.005, Precision = Precision.Double)]
[Input(5)]
[Dense(9, Activation.ReLU)]
[Dense(2)]
public partial class CheckpointRmsPropNet { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, Momentum = 0.9, Nesterov = true, LearningRate = 0.02, Precision = Precision.Double)]
[Input(5)]
[Dense(7, Activation.Sigmoid)]
[Dense(2)]
public partial class CheckpointSgdNet { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01)]
[Input(5)]
[Dense(6, Activation.Tanh)]
[Dropout(0.2)]
[Dense(2)]
public partial class CheckpointFloatNet { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.02, Precision = Precision.Double)]
[Input(5)]
[Dense(7, Activation.Sigmoid)]
[Dense(2)]
public partial class CheckpointPlainSgdNet { }

/// <summary>
/// Checkpoints: N steps, save, load into a fresh instance, M more steps gives the parameters of N + M uninterrupted
/// steps bit for bit, for every optimizer with state, dropout included; damaged or mismatched files change nothing.
/// </summary>
public class CheckpointTests
{
    private static (T[] Inputs, T[] Targets, int[] Labels) Batch<T>(ITrainableNetwork<T> net, int batch, int rows)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(1000 + batch);
        var inputs = new T[rows * net.InputSize];
        var targets = new T[rows * net.OutputSize];
        var labels = new int[rows];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = T.CreateChecked(random.NextUniform(-1, 1));
        }

        for (int r = 0; r < rows; r++)
        {
            labels[r] = random.NextInt(net.OutputSize);
            for (int o = 0; o < net.OutputSize; o++)
            {
                targets[(r * net.OutputSize) + o] = net.Info.Loss == Loss.CrossEntropy
                    ? (o == labels[r] ? T.One : T.Zero)
                    : T.CreateChecked(random.NextUniform(-1, 1));
            }
        }

        return (inputs, targets, labels);
    }

    private static void Steps<T>(ITrainableNetwork<T> net, int from, int to) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        for (int b = from; b < to; b++)
        {
            (T[] inputs, T[] targets, int[] labels) = Batch(net, b, rows: 4);
            if (net.Info.Loss == Loss.CrossEntropy)
            {
                net.TrainBatch(inputs, labels);
            }
            else
            {
                net.TrainBatch(inputs, targets);
            }
        }
    }

    private static void ResumesExactly<T>(Func<ITrainableNetwork<T>> create, int before = 7, int after = 9)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // The uninterrupted run; the learning rate changes halfway, as a schedule would change it.
        ITrainableNetwork<T> straight = create();
        Steps(straight, 0, before);
        straight.LearningRate = straight.LearningRate * T.CreateChecked(0.5);
        Steps(straight, before, before + after);

        ITrainableNetwork<T> first = create();
        Steps(first, 0, before);
        first.LearningRate = first.LearningRate * T.CreateChecked(0.5);
        string path = Path.Combine(Path.GetTempPath(), $"netgen-checkpoint-{Guid.NewGuid():N}.ngck");
        try
        {
            Checkpoint.Save(first, path);
            Steps(first, before, before + after); // the saving instance goes on too: saving changes nothing

            ITrainableNetwork<T> resumed = create();
            Assert.NotEqual(straight.Parameters.ToArray(), resumed.Parameters.ToArray()); // a fresh instance differs until loaded
            Checkpoint.Load(resumed, path);
            Assert.Equal(before, resumed.OptimizerStep);
            Assert.Equal(straight.LearningRate, resumed.LearningRate);
            Steps(resumed, before, before + after);

            Assert.Equal(straight.Parameters.ToArray(), resumed.Parameters.ToArray());
            Assert.Equal(straight.OptimizerState.ToArray(), resumed.OptimizerState.ToArray());
            Assert.Equal(before + after, resumed.OptimizerStep);
            Assert.Equal(straight.Parameters.ToArray(), first.Parameters.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AdamWithDropoutResumesBitForBit() => ResumesExactly<double>(() => new CheckpointAdamNet(seed: 3));

    [Fact]
    public void RmsPropWithMomentumResumesBitForBit() => ResumesExactly<double>(() => new CheckpointRmsPropNet(seed: 4));

    [Fact]
    public void NesterovSgdResumesBitForBit() => ResumesExactly<double>(() => new CheckpointSgdNet(seed: 5));

    [Fact]
    public void FloatNetworkWithDropoutResumesBitForBit() => ResumesExactly<float>(() => new CheckpointFloatNet(seed: 6));

    [Fact]
    public void WithoutTheOptimizerStateAResumedAdamRunDiffers()
    {
        // The control: loading only the parameters (a model file) does not resume Adam exactly; the state matters.
        var straight = new CheckpointAdamNet(seed: 3);
        Steps(straight, 0, 16);
        var first = new CheckpointAdamNet(seed: 3);
        Steps(first, 0, 7);
        var parametersOnly = new CheckpointAdamNet(seed: 3);
        first.Parameters.CopyTo(parametersOnly.Parameters);
        parametersOnly.DropoutRandom = first.DropoutRandom;
        Steps(parametersOnly, 7, 16);
        Assert.NotEqual(straight.Parameters.ToArray(), parametersOnly.Parameters.ToArray());
    }

    [Fact]
    public void OptimizerStateHoldsTheTorchBuffersInOrder()
    {
        var adam = new CheckpointAdamNet(seed: 1);
        Assert.Equal(2 * CheckpointAdamNet.ParameterCount, adam.OptimizerState.Length);
        Assert.True(adam.OptimizerState.ToArray().All(v => v == 0));
        (double[] inputs, _, int[] labels) = Batch<double>(adam, 0, 4);
        adam.TrainBatch(inputs, labels);

        // After one Adam step from zero state: exp_avg = (1 - β1) g and exp_avg_sq = (1 - β2) g², g = LastGradients.
        double[] g = adam.LastGradients.ToArray();
        ReadOnlySpan<double> state = adam.OptimizerState;
        for (int i = 0; i < g.Length; i++)
        {
            Assert.Equal((1 - 0.9) * g[i], state[i], 15);
            Assert.Equal((1 - 0.999) * g[i] * g[i], state[CheckpointAdamNet.ParameterCount + i], 15);
        }

        Assert.Equal(1, adam.OptimizerStep);
        adam.ResetOptimizer();
        Assert.Equal(0, adam.OptimizerStep);
        Assert.True(adam.OptimizerState.ToArray().All(v => v == 0));
        Assert.Equal(2 * CheckpointRmsPropNet.ParameterCount, new CheckpointRmsPropNet().OptimizerState.Length);
        Assert.Equal(CheckpointSgdNet.ParameterCount, new CheckpointSgdNet().OptimizerState.Length);
        Assert.Equal(0, new CheckpointPlainSgdNet().OptimizerState.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.OptimizerStep = -1);
    }

    [Fact]
    public void DamagedOrMismatchedCheckpointsChangeNothing()
    {
        var net = new CheckpointAdamNet(seed: 2);
        Steps(net, 0, 3);
        var stream = new MemoryStream();
        Checkpoint.Save(net, stream);
        byte[] good = stream.ToArray();

        var target = new CheckpointAdamNet(seed: 9);
        double[] parameters = target.Parameters.ToArray();
        void Refused(byte[] bytes, string expected)
        {
            var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(target, new MemoryStream(bytes)));
            Assert.Contains(expected, e.Message);
            Assert.Equal(parameters, target.Parameters.ToArray());
            Assert.Equal(0, target.OptimizerStep);
            Assert.True(target.OptimizerState.ToArray().All(v => v == 0));
        }

        for (int at = 0; at < good.Length; at += 37)
        {
            byte[] flipped = (byte[])good.Clone();
            flipped[at] ^= 0x10;
            Assert.ThrowsAny<InvalidDataException>(() => Checkpoint.Load(target, new MemoryStream(flipped)));
            Assert.Equal(parameters, target.Parameters.ToArray());
        }

        Refused(good[..^5], "truncated");
        byte[] damaged = (byte[])good.Clone();
        damaged[^20] ^= 1;
        Refused(damaged, "checksum");

        var model = new MemoryStream();
        ModelFile.Save(net, model);
        Refused(model.ToArray(), "ModelFile.Load");

        // Other layers: the fingerprint does not fit. The same layers without momentum: the state length does not fit.
        var other = new MemoryStream();
        Checkpoint.Save(new CheckpointRmsPropNet(seed: 1), other);
        Assert.Contains("different architecture", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(new CheckpointSgdNet(), new MemoryStream(other.ToArray()))).Message);
        var plain = new MemoryStream();
        Checkpoint.Save(new CheckpointPlainSgdNet(seed: 1), plain);
        Assert.Contains("optimizer-state values", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(new CheckpointSgdNet(), new MemoryStream(plain.ToArray()))).Message);

        Checkpoint.Load(target, new MemoryStream(good));
        Assert.Equal(net.Parameters.ToArray(), target.Parameters.ToArray());
        Assert.Equal(net.OptimizerState.ToArray(), target.OptimizerState.ToArray());
        Assert.Equal(3, target.OptimizerStep);
    }

    [Fact]
    public void TrailingDataAfterTheChecksumIsRefusedFromAPath()
    {
        var net = new CheckpointSgdNet(seed: 2);
        string path = Path.Combine(Path.GetTempPath(), $"netgen-checkpoint-{Guid.NewGuid():N}.ngck");
        try
        {
            Checkpoint.Save(net, path);
            File.AppendAllText(path, "x");
            Assert.Contains("after its checksum", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(new CheckpointSgdNet(), path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
