using System;
using NetGen;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>What TrainBatch does beyond the gradient: the optimizer step, labels, dropout, determinism, allocations.</summary>
public class TrainingBehaviourTests
{
    [Theory]
    [InlineData("GradTanhMse")]
    [InlineData("GradReLUCe")]
    [InlineData("GradPReLUBce")]
    public void PlainSgdStepSubtractsLearningRateTimesGradient(string networkName)
    {
        ITrainableNetwork<double> net = GradientCheckTests.Create(networkName);
        (double[] inputs, double[] targets) = GradientCheckTests.MakeBatch(net, seed: 2);
        double[] gradient = new double[net.ParameterCount];
        double expectedLoss = net.ComputeGradients(inputs, targets, gradient);
        double[] before = net.Parameters.ToArray();
        Assert.Equal(0.01, net.LearningRate); // torch.optim.SGD's default

        double loss = net.TrainBatch(inputs, targets);

        Assert.Equal(expectedLoss, loss);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i] - (0.01 * gradient[i]), net.Parameters[i], 15);
        }

        Assert.Equal(gradient, net.LastGradients.ToArray());
    }

    [Fact]
    public void LabelsTrainExactlyLikeOneHotTargets()
    {
        var byLabel = new SmallClassifier(seed: 4);
        var byTarget = new SmallClassifier(seed: 4);
        var random = new SeededRandom(8);
        const int rows = 6;
        float[] inputs = new float[rows * SmallClassifier.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextNormal();
        }

        int[] labels = { 3, 0, 9, 3, 7, 1 };
        float[] oneHot = new float[rows * SmallClassifier.OutputSize];
        for (int row = 0; row < rows; row++)
        {
            oneHot[(row * SmallClassifier.OutputSize) + labels[row]] = 1;
        }

        for (int step = 0; step < 3; step++)
        {
            Assert.Equal(byTarget.TrainBatch(inputs, oneHot), byLabel.TrainBatch(inputs, labels));
        }

        Assert.Equal(byTarget.Parameters.ToArray(), byLabel.Parameters.ToArray());
    }

    [Fact]
    public void LabelsOutsideTheClassesAreRejectedWithTheRow()
    {
        var net = new SmallClassifier();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainBatch(new float[2 * 64], new[] { 1, 10 }));
        Assert.Contains("row 1", error.Message, StringComparison.Ordinal);

        var binary = new SmallBinary();
        Assert.Throws<ArgumentOutOfRangeException>(() => binary.TrainBatch(new float[5], new[] { 2 }));
        binary.TrainBatch(new float[10], new[] { 0, 1 }); // both labels of a single sigmoid output are fine
    }

    [Fact]
    public void WrongBatchShapesThrowWithBothSizes()
    {
        var net = new SmallClassifier();
        var error = Assert.Throws<ArgumentException>(() => net.TrainBatch(new float[64], new float[9]));
        Assert.Contains("10", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => net.TrainBatch(new float[63], new float[10]));
        Assert.Throws<ArgumentException>(() => net.TrainBatch(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty));
        Assert.Throws<ArgumentException>(() => net.ComputeGradients(new float[64], new float[10], new float[3]));
    }

    [Fact]
    public void DropoutZeroesAboutTheRateAndScalesSurvivorsByOneOverKeep()
    {
        var net = new DropoutProbe(seed: 1);
        net.Parameters.Fill(1.0);
        double[] input = new double[DropoutProbe.InputSize];
        input.AsSpan().Fill(1.0);

        net.TrainBatch(input, new[] { 0.0 });

        // y = Σ mask_i and dL/dw_i = 2 (y - 0) mask_i x_i with x_i = 1; a kept input has mask 1/(1 - 0.25).
        ReadOnlySpan<double> gradient = net.LastGradients;
        int dropped = 0;
        double kept = 0;
        foreach (double g in gradient)
        {
            if (g == 0)
            {
                dropped++;
            }
            else
            {
                kept = g;
            }
        }

        double y = (DropoutProbe.InputSize - dropped) / 0.75;
        Assert.InRange(dropped / (double)DropoutProbe.InputSize, 0.25 - 0.03, 0.25 + 0.03); // ~4.4 standard errors
        foreach (double g in gradient)
        {
            Assert.True(g == 0 || Math.Abs(g - (2 * y / 0.75)) < 1e-9, $"gradient {g}, expected 0 or {2 * y / 0.75}");
        }

        Assert.NotEqual(0, kept);

        // Inference ignores dropout: with the weights back at 1, every input counts once.
        net.Parameters.Fill(1.0);
        double[] output = new double[1];
        net.Predict(input, output);
        Assert.Equal(DropoutProbe.InputSize, output[0]);
    }

    [Fact]
    public void SameSeedGivesTheSameTrainingRunIncludingDropout()
    {
        float[] Run(int seed)
        {
            var net = new SmallClassifier(seed);
            var random = new SeededRandom(21);
            float[] inputs = new float[8 * SmallClassifier.InputSize];
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = (float)random.NextNormal();
            }

            int[] labels = { 0, 1, 2, 3, 4, 5, 6, 7 };
            for (int step = 0; step < 5; step++)
            {
                net.TrainBatch(inputs, labels);
            }

            return net.Parameters.ToArray();
        }

        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void TrainingAllocatesNothingAfterTheFirstCall()
    {
        var net = new SmallClassifier();
        var binary = new SmallBinary();
        float[] inputs = new float[32 * SmallClassifier.InputSize];
        float[] targets = new float[32 * SmallClassifier.OutputSize];
        int[] labels = new int[32];
        float[] gradients = new float[SmallClassifier.ParameterCount];
        float[] binaryInputs = new float[32 * SmallBinary.InputSize];
        int[] binaryLabels = new int[32];
        for (int i = 0; i < 32; i++)
        {
            targets[(i * 10) + (i % 10)] = 1;
            labels[i] = i % 10;
            binaryLabels[i] = i % 2;
        }

        void Train()
        {
            net.TrainBatch(inputs, targets);
            net.TrainBatch(inputs, labels);
            net.ComputeGradients(inputs, targets, gradients);
            binary.TrainBatch(binaryInputs, binaryLabels);
        }

        Train(); // first calls allocate the training scratch
        AllocationProbe.AssertNone(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                Train();
            }
        });
    }

    [Fact]
    public void ResetOptimizerRestartsAdamFromStepOne()
    {
        float[] inputs = new float[2 * SmallBinary.InputSize];
        inputs.AsSpan().Fill(0.5f);
        int[] labels = { 1, 0 };

        // "used" has taken a step, so it carries RMSprop state; "fresh" has the same weights and no state.
        var used = new SmallBinary(seed: 3);
        used.TrainBatch(inputs, labels);
        var fresh = new SmallBinary(seed: 3);
        used.Parameters.CopyTo(fresh.Parameters);
        var stale = new SmallBinary(seed: 3);
        used.Parameters.CopyTo(stale.Parameters);
        stale.TrainBatch(inputs, labels);
        used.Parameters.CopyTo(stale.Parameters); // same weights as "used", with one step of state

        used.ResetOptimizer();
        used.TrainBatch(inputs, labels);
        fresh.TrainBatch(inputs, labels);
        stale.TrainBatch(inputs, labels);

        Assert.Equal(fresh.Parameters.ToArray(), used.Parameters.ToArray());
        Assert.NotEqual(fresh.Parameters.ToArray(), stale.Parameters.ToArray()); // the state mattered
    }
}
