using System;
using System.Linq;
using NetGen;

namespace NetGen.Runtime.Tests.TrainerTests;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e4)]
[Input(2)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class ExplodingClassifier { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 1e4)]
[Input(3)]
[Dense(8, Activation.Tanh)]
[Dense(1)]
public partial class ExplodingRegressor { }

/// <summary>Issue 8's training cases: Fit never restores what it did not save, rejects empty and non-finite data, and stops on divergence.</summary>
public class FitReliabilityTests
{
    private static TrainingOptions Quiet(int epochs = 5) => new() { Epochs = epochs, BatchSize = 4, ValidationSplit = 0, DeadUnitSampleRows = 0 };

    [Fact]
    public void AnEmptyTrainingSetIsRejectedByName()
    {
        var empty = new Dataset<double>(Array.Empty<double>(), 1, Array.Empty<double>(), 1);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new ScriptedNetwork(), empty, Quiet()));
        Assert.Equal("train", error.ParamName);
        Assert.Contains("no rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyValidationSetIsRejectedByName()
    {
        var empty = new Dataset<double>(Array.Empty<double>(), 1, Array.Empty<double>(), 1);
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new ScriptedNetwork(), ScriptedNetwork.Line(8), Quiet(), validation: empty));
        Assert.Equal("validation", error.ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ANonFiniteFeatureOrTargetIsRejectedWithItsRowBeforeAnyStep(double bad)
    {
        var net = new ScriptedNetwork();
        double[] before = net.Parameters.ToArray();
        Dataset<double> validation = ScriptedNetwork.Line(5);
        validation.MutableFeatures[3] = bad;
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(net, ScriptedNetwork.Line(8), Quiet(), validation: validation));
        Assert.Equal("validation", error.ParamName);
        Assert.Contains("row 3, feature 0", error.Message, StringComparison.Ordinal);

        var targets = new double[] { 1, 2, bad };
        error = Assert.Throws<ArgumentException>(() => Trainer.Fit(net, new Dataset<double>(new double[] { 1, 2, 3 }, 1, targets, 1), Quiet()));
        Assert.Contains("row 2, target 0", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, net.Calls);
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    public void AMinDeltaThatCannotWorkIsRejected(double minDelta)
    {
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new ScriptedNetwork(), ScriptedNetwork.Line(8), new TrainingOptions { MinDelta = minDelta }));
        Assert.Contains("MinDelta", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenNoEpochImprovesEarlyStoppingRestoresTheFirstEpochNotZeros()
    {
        // A huge MinDelta: no epoch after the first counts as better. The first epoch is the best, and its parameters come back.
        var net = new ScriptedNetwork();
        double[]? afterEpoch1 = null;
        net.Step = (call, parameters) =>
        {
            parameters[0] = 1 + call; // two batches per epoch
            parameters[5] = -call;
            return 1.0;
        };

        var options = new TrainingOptions { Epochs = 20, BatchSize = 4, ValidationSplit = 0, DeadUnitSampleRows = 0, EarlyStoppingPatience = 3, MinDelta = 1e300,
            Callbacks = new[] { TrainingCallback.AtEpochEnd((report, _) => afterEpoch1 ??= net.Parameters.ToArray()) } };
        TrainingResult result = Trainer.Fit(net, ScriptedNetwork.Line(8), options, validation: ScriptedNetwork.Line(5));
        Assert.Equal(StopReason.EarlyStopping, result.StopReason);
        Assert.Equal(1, result.BestEpoch);
        Assert.Equal(4, result.Epochs);
        Assert.True(result.RestoredBestWeights);
        Assert.Equal(new double[] { 3, 0, 0, 0, 0, -2, 0 }, afterEpoch1);
        Assert.Equal(afterEpoch1, net.Parameters.ToArray());
    }

    [Fact]
    public void AValidationLossThatOverflowsIsDivergenceAndRollsBack()
    {
        // Finite parameters whose predictions overflow: the batch checks pass, the validation loss after epoch 2 is infinite.
        var net = new ScriptedNetwork();
        net.Step = (call, parameters) =>
        {
            parameters[0] = call <= 2 ? 2.0 + call : 1e308;
            return 1.0;
        };

        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(net, ScriptedNetwork.Line(8), Quiet(), validation: ScriptedNetwork.Line(5)));
        Assert.Equal(2, error.Epoch);
        Assert.Contains("loss after the epoch is not a finite number", error.Message, StringComparison.Ordinal);
        Assert.Equal(1.0, net.Parameters[0]); // the snapshot before the first batch: the only one taken in 4 batches
        Assert.All(net.Parameters.ToArray(), p => Assert.True(double.IsFinite(p)));
    }

    [Theory]
    [InlineData(1e4f)]
    [InlineData(1e30f)]
    public void AdamAtAHugeLearningRateStopsAndKeepsParametersWithASmallLoss(float learningRate)
    {
        Dataset<float> data = TrainerTests.Blobs(300, 1);
        var net = new ExplodingClassifier(seed: 1) { LearningRate = learningRate };
        float[] start = net.Parameters.ToArray();
        double startLoss = Trainer.Evaluate(net, data).Loss;
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(net, data, new TrainingOptions { Epochs = 50, BatchSize = 16 }));
        Assert.Equal(1, error.Epoch);
        Assert.All(net.Parameters.ToArray(), p => Assert.True(float.IsFinite(p) && Math.Abs(p) < 1e3f, $"parameter {p}"));
        Assert.True(Trainer.Evaluate(net, data).Loss <= startLoss * 1.01, $"loss {Trainer.Evaluate(net, data).Loss} against {startLoss} at the start");
        Assert.Equal(start, net.Parameters.ToArray()); // diverged within the first 16 batches: the starting parameters
    }

    [Fact]
    public void ARegressionLossThatExplodesIsCaughtByTheFactorRule()
    {
        var random = new SeededRandom(4);
        var x = new float[64 * 3];
        var t = new float[64];
        for (int i = 0; i < 64; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                x[(3 * i) + k] = (float)random.NextNormal();
            }

            t[i] = x[3 * i] - x[(3 * i) + 1];
        }

        var net = new ExplodingRegressor(seed: 2);
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(net, new Dataset<float>(x, 3, t, 1), new TrainingOptions { Epochs = 100, BatchSize = 8 }));
        Assert.Contains("DivergenceFactor", error.Message, StringComparison.Ordinal);
        Assert.True(error.Loss > 1e4 * 0.01, $"loss {error.Loss}");
        Assert.All(net.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void TheDivergenceFactorCanBeTurnedOff()
    {
        var net = new ScriptedNetwork();
        net.Step = (call, _) => call == 1 ? 1 : 1e9; // a loss 1e9 times the first, finite
        TrainingResult result = Trainer.Fit(net, ScriptedNetwork.Line(8), new TrainingOptions { Epochs = 2, BatchSize = 4, ValidationSplit = 0, DeadUnitSampleRows = 0, DivergenceFactor = double.PositiveInfinity });
        Assert.Equal(2, result.Epochs);
        Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(new ScriptedNetwork { Step = (call, _) => call == 1 ? 1 : 1e9 }, ScriptedNetwork.Line(8), Quiet()));
    }

    [Fact]
    public void TooFewRowsForTheValidationSplitSaySoAndHowToFixIt()
    {
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new ScriptedNetwork(), ScriptedNetwork.Line(4)));
        Assert.Contains("ValidationSplit = 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALabelCountMismatchAsksForOneLabelPerRow()
    {
        var net = new BlobClassifier(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => net.TrainBatch(new float[4], new int[3]));
        Assert.Equal("labels.Length is 3, but 2 input rows need one label per row = 2.", error.Message[..error.Message.IndexOf(" (Parameter", StringComparison.Ordinal)]);
        Assert.Equal("labels", error.ParamName);
    }
}
