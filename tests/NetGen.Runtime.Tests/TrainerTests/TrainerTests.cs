using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NetGen;

namespace NetGen.Runtime.Tests.TrainerTests;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.05)]
[Input(3)]
[Dense(8, Activation.Tanh)]
[Dense(1)]
public partial class TinyRegressor { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.02)]
[Input(2)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class BlobClassifier { }

public class TrainerTests
{
    /// <summary>Three well-separated blobs in the plane, labelled 0, 1, 2.</summary>
    internal static Dataset<float> Blobs(int rows, int seed)
    {
        var random = new SeededRandom(seed);
        var features = new float[rows * 2];
        var labels = new int[rows];
        (double X, double Y)[] centres = { (-2, 0), (2, 0), (0, 3) };
        for (int i = 0; i < rows; i++)
        {
            labels[i] = i % 3;
            features[2 * i] = (float)(centres[labels[i]].X + (0.4 * random.NextNormal()));
            features[(2 * i) + 1] = (float)(centres[labels[i]].Y + (0.4 * random.NextNormal()));
        }

        return Dataset<float>.FromLabels(features, 2, labels, 3);
    }

    private static Dataset<float> Regression(int rows)
    {
        var random = new SeededRandom(4);
        var x = new float[rows * 3];
        var t = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                x[(3 * i) + k] = (float)random.NextNormal();
            }

            t[i] = (0.5f * x[3 * i]) - x[(3 * i) + 1] + (0.25f * x[(3 * i) + 2]);
        }

        return new Dataset<float>(x, 3, t, 1);
    }

    [Fact]
    public void SeparableBlobsAreLearnedAndTheLossFalls()
    {
        var net = new BlobClassifier(seed: 1);
        TrainingResult result = Trainer.Fit(net, Blobs(300, 1), new TrainingOptions { Epochs = 20, BatchSize = 16, ValidationSplit = 0, EarlyStoppingPatience = 0 });
        Assert.Equal(StopReason.EpochsCompleted, result.StopReason);
        Assert.Equal(20, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss / 5, $"{result.History[0].TrainLoss} -> {result.History[^1].TrainLoss}");
        Assert.Equal(1.0, Trainer.Evaluate(net, Blobs(150, 2)).Accuracy);
    }

    [Fact]
    public void ALearningRateThatDivergesStopsWithEpochAndBatchAndKeepsFiniteParameters()
    {
        var net = new TinyRegressor(seed: 2) { LearningRate = 1e30f };
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(net, Regression(64), new TrainingOptions { Epochs = 5, BatchSize = 8 }));
        Assert.Contains($"epoch {error.Epoch}, batch {error.Batch}", error.Message, StringComparison.Ordinal);
        Assert.Contains("learning rate", error.Message, StringComparison.Ordinal);
        Assert.All(net.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Theory]
    [InlineData(7, 1, 1)]   // epoch 2, batch 3: rolled back to the snapshot before the first batch
    [InlineData(20, 5, 1)]  // epoch 5, batch 4: rolled back to the snapshot before the 17th batch (epoch 5, batch 1)
    [InlineData(17, 1, 1)]  // the 17th batch itself fails: its own snapshot never passed, so the one before it is restored
    public void AfterDivergenceTheParametersAreThoseOfTheLastSnapshotWhoseLossPassed(int badCall, int restoredEpoch, int restoredBatch)
    {
        var net = new ScriptedNetwork();
        var beforeCall = new Dictionary<int, double[]>();
        net.Step = (call, parameters) =>
        {
            beforeCall[call] = parameters.ToArray();
            if (call == badCall)
            {
                parameters[3] = 12345; // the bad step moves a parameter too
                return double.NaN;
            }

            parameters[1] += call; // every good step changes the parameters
            return 1.0;
        };

        // 16 rows in batches of 4: four batches per epoch, so call c is epoch (c - 1) / 4 + 1, batch (c - 1) % 4 + 1.
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Fit(net, ScriptedNetwork.Line(16), new TrainingOptions { Epochs = 10, BatchSize = 4, ValidationSplit = 0, DeadUnitSampleRows = 0 }));
        Assert.Equal(((badCall - 1) / 4) + 1, error.Epoch);
        Assert.Equal(((badCall - 1) % 4) + 1, error.Batch);
        Assert.Contains($"epoch {error.Epoch}, batch {error.Batch}", error.Message, StringComparison.Ordinal);
        Assert.Equal((restoredEpoch, restoredBatch), (error.RestoredEpoch, error.RestoredBatch));
        int restoredCall = ((restoredEpoch - 1) * 4) + restoredBatch;
        Assert.Equal(beforeCall[restoredCall], net.Parameters.ToArray());
        Assert.Equal(1, net.Resets);
    }

    [Fact]
    public void InfiniteGradientsAlsoStopTraining()
    {
        var net = new ScriptedNetwork { Gradient = new[] { 1, double.PositiveInfinity, 0, 0, 1, 1, 0 } };
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(net, ScriptedNetwork.Line(8), new TrainingOptions { Epochs = 1, BatchSize = 4 }));
        Assert.Contains("gradient", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingStopsAtTheFirstEpochWhoseLossIsAtMostTheTarget()
    {
        var net = new ScriptedNetwork();
        net.Step = (call, _) => 1.0 / call; // losses fall batch by batch
        TrainingResult result = Trainer.Fit(net, ScriptedNetwork.Line(8), new TrainingOptions { Epochs = 50, BatchSize = 4, TargetLoss = 0.05, DeadUnitSampleRows = 0 });
        Assert.Equal(StopReason.TargetLossReached, result.StopReason);
        Assert.True(result.History[^1].TrainLoss <= 0.05);
        Assert.All(result.History.Take(result.History.Count - 1), r => Assert.True(r.TrainLoss > 0.05));
    }

    [Fact]
    public void EarlyStoppingWaitsPatienceEpochsAndRestoresTheBestParameters()
    {
        // Validation loss of y = w x against t = 2x is smallest at w = 2: the script reaches it in epoch 3, then drifts away.
        double[] weightAfterEpoch = { 0, 1.0, 1.5, 2.0, 2.6, 3.0, 3.5, 4.0, 4.5 };
        var net = new ScriptedNetwork();
        net.Step = (call, parameters) =>
        {
            parameters[0] = weightAfterEpoch[(call + 1) / 2]; // two batches per epoch
            return 1.0;
        };

        TrainingResult result = Trainer.Fit(net, ScriptedNetwork.Line(8), new TrainingOptions { Epochs = 8, BatchSize = 4, EarlyStoppingPatience = 2, Shuffle = false, DeadUnitSampleRows = 0 },
            validation: ScriptedNetwork.Line(5));
        Assert.Equal(StopReason.EarlyStopping, result.StopReason);
        Assert.Equal(3, result.BestEpoch);
        Assert.Equal(5, result.Epochs);
        Assert.Equal(2.0, net.Parameters[0]);
    }

    [Fact]
    public void ProgressIsReportedOncePerEpochInOrder()
    {
        var reports = new List<int>();
        Trainer.Fit(new ScriptedNetwork(), ScriptedNetwork.Line(8), new TrainingOptions { Epochs = 4, BatchSize = 3 }, new Collect(r => reports.Add(r.Epoch)));
        Assert.Equal(new[] { 1, 2, 3, 4 }, reports);
    }

    [Fact]
    public void CancellationStopsBetweenBatches()
    {
        using var cancel = new CancellationTokenSource();
        var net = new ScriptedNetwork();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Trainer.Fit(net, ScriptedNetwork.Line(8), new TrainingOptions { Epochs = 10, BatchSize = 4 }, new Collect(_ => cancel.Cancel()), cancel.Token));
        Assert.Equal(2, net.Calls); // the first epoch's two batches, then the token was seen
    }

    [Fact]
    public void SameSeedSameRunAndOtherSeedOtherRun()
    {
        float[] Run(int seed)
        {
            var net = new BlobClassifier(seed: 1);
            Trainer.Fit(net, Blobs(90, 1), new TrainingOptions { Epochs = 3, BatchSize = 8, Seed = seed });
            return net.Parameters.ToArray();
        }

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void ValidationSplitHoldsOutRowsAndReportsTheirScores()
    {
        TrainingResult result = Trainer.Fit(new BlobClassifier(seed: 1), Blobs(100, 1), new TrainingOptions { Epochs = 2, ValidationSplit = 0.2 });
        Assert.All(result.History, r => Assert.NotNull(r.ValidationLoss));
        Assert.All(result.History, r => Assert.NotNull(r.ValidationAccuracy));
    }

    [Fact]
    public void VanishingAndExplodingGradientsAreFlaggedWithTheirRatios()
    {
        EpochReport Epoch(double first, double last)
        {
            var net = new ScriptedNetwork { Gradient = new[] { first, 0, 0, 0, last, 0, 0 } };
            return Trainer.Fit(net, ScriptedNetwork.Line(4), new TrainingOptions { ValidationSplit = 0, Epochs = 1, BatchSize = 4 }).History[0];
        }

        TrainingWarning vanishing = Assert.Single(Epoch(1e-6, 1).Warnings);
        Assert.Equal(TrainingWarningKind.VanishingGradient, vanishing.Kind);
        Assert.Equal(1e-6, vanishing.Value, 12);
        Assert.Contains("1.00E-006", vanishing.Message, StringComparison.Ordinal);

        TrainingWarning exploding = Assert.Single(Epoch(100, 1).Warnings);
        Assert.Equal(TrainingWarningKind.ExplodingGradient, exploding.Kind);
        Assert.Equal(100, exploding.Value, 12);

        Assert.Empty(Epoch(1, 1).Warnings);
        Assert.Empty(Epoch(1e-4, 1).Warnings);  // small ratio but a first-layer norm at the threshold: quiet
        Assert.Empty(Epoch(60, 1).Warnings);    // below the exploding threshold of 70
    }

    [Fact]
    public void DeadReLUUnitsAreFlaggedPerLayer()
    {
        var dead = new ScriptedNetwork { LayerOutput = 0 };
        TrainingWarning warning = Assert.Single(Trainer.Fit(dead, ScriptedNetwork.Line(4), new TrainingOptions { ValidationSplit = 0, Epochs = 1 }).History[0].Warnings);
        Assert.Equal(TrainingWarningKind.DeadUnits, warning.Kind);
        Assert.Equal(1, warning.Layer);
        Assert.Equal(1.0, warning.Value);
        Assert.Contains("2 of layer 1's 2 ReLU units", warning.Message, StringComparison.Ordinal);

        Assert.Empty(Trainer.Fit(new ScriptedNetwork { LayerOutput = 0.5 }, ScriptedNetwork.Line(4), new TrainingOptions { ValidationSplit = 0, Epochs = 1 }).History[0].Warnings);
    }

    [Fact]
    public void TheDeadUnitProbeStopsOnceEveryReLUUnitHasFired()
    {
        var options = new TrainingOptions { ValidationSplit = 0, Epochs = 1, EvaluateTrainingSet = false, DeadUnitSampleRows = 256, DeadUnitFraction = 0.5 };

        // Both ReLU units fire on the first row: one probed row, no warning.
        var healthy = new ScriptedNetwork { LayerOutput = 0.5 };
        Assert.Empty(Trainer.Fit(healthy, ScriptedNetwork.Line(10), options).History[0].Warnings);
        Assert.Equal(1, healthy.LayerCalls);

        // Unit 1 fires only on the row with x = 7 (the linear output unit 2 never does, and does not count): the probe
        // runs up to that row, then stops, and finds nothing dead.
        var late = new ScriptedNetwork { UnitOutput = (x, k) => k == 1 && x != 7 ? 0 : k == 2 ? 0 : 1 };
        Assert.Empty(Trainer.Fit(late, ScriptedNetwork.Line(10), options).History[0].Warnings);
        Assert.Equal(7, late.LayerCalls);

        // Unit 1 never fires: every row is probed and half of layer 1 is reported dead (flagged from half here).
        var half = new ScriptedNetwork { UnitOutput = (_, k) => k == 0 ? 1 : 0 };
        TrainingWarning warning = Assert.Single(Trainer.Fit(half, ScriptedNetwork.Line(10), options).History[0].Warnings);
        Assert.Equal(TrainingWarningKind.DeadUnits, warning.Kind);
        Assert.Equal(0.5, warning.Value);
        Assert.Contains("for all 10 probed rows", warning.Message, StringComparison.Ordinal);
        Assert.Equal(10, half.LayerCalls);
    }

    [Fact]
    public void StagnationIsFlaggedAfterFiveEpochsWithoutImprovement()
    {
        TrainingResult result = Trainer.Fit(new ScriptedNetwork(), ScriptedNetwork.Line(4), new TrainingOptions { ValidationSplit = 0, Epochs = 7, BatchSize = 4 });
        Assert.All(result.History.Take(5), r => Assert.DoesNotContain(r.Warnings, w => w.Kind == TrainingWarningKind.Stagnation));
        Assert.Contains(result.History[5].Warnings, w => w.Kind == TrainingWarningKind.Stagnation && w.Value == 5);
    }

    [Fact]
    public void BadOptionsAndMismatchedDataAreRejectedByName()
    {
        var net = new ScriptedNetwork();
        Assert.Contains("BatchSize", Assert.Throws<ArgumentException>(() => Trainer.Fit(net, ScriptedNetwork.Line(4), new TrainingOptions { BatchSize = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("ValidationSplit", Assert.Throws<ArgumentException>(() => Trainer.Fit(net, ScriptedNetwork.Line(4), new TrainingOptions { ValidationSplit = 1 })).Message, StringComparison.Ordinal);
        var wide = new Dataset<double>(new double[6], 2, new double[3], 1);
        Assert.Contains("2 features", Assert.Throws<ArgumentException>(() => Trainer.Fit(net, wide, new TrainingOptions())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FitAllocatesNothingPerBatch()
    {
        Dataset<float> data = Blobs(512, 3);
        long Allocated(int batchSize)
        {
            var net = new BlobClassifier(seed: 1);
            Trainer.Fit(net, data, new TrainingOptions { Epochs = 1, BatchSize = batchSize, DeadUnitSampleRows = 0 }); // warm up
            long before = GC.GetAllocatedBytesForCurrentThread();
            Trainer.Fit(net, data, new TrainingOptions { Epochs = 1, BatchSize = batchSize, DeadUnitSampleRows = 0 });
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // 64 batches against 8: the per-fit buffers scale with the batch size, so the small batches allocate no more.
        long small = Allocated(8), large = Allocated(64);
        Assert.True(small <= large, $"batch 8 (64 batches): {small} bytes; batch 64 (8 batches): {large} bytes");
    }

    [Fact]
    public void EvaluateComputesTheDeclaredLossAndAccuracy()
    {
        var net = new ScriptedNetwork(Loss.MeanSquaredError);
        net.Parameters[0] = 1; // y = x against t = 2x: errors 1, 2, 3
        Evaluation score = Trainer.Evaluate(net, ScriptedNetwork.Line(3));
        Assert.Equal((1 + 4 + 9) / 3.0, score.Loss, 12);
        Assert.Null(score.Accuracy);
    }

    private sealed class Collect(Action<EpochReport> action) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => action(value);
    }
}
