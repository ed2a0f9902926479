using System;
using System.Collections.Generic;
using System.Linq;
using NetGen;
using Xunit;

namespace NetGen.Runtime.Tests.TrainerTests;

/// <summary>
/// What Fit checks less often than every batch, and still guarantees: a parameter that becomes NaN while the loss
/// and gradient stay finite is caught at the next snapshot (every 16 batches) or the end of the epoch, and the
/// parameters come back from a snapshot that was checked; the training rows scored after an epoch are a fixed sample
/// of TrainingEvaluationRows of them.
/// </summary>
public class FitGuardTests
{
    private static ScriptedNetwork PoisonsAParameter(int badCall, Dictionary<int, double[]> beforeCall)
    {
        var net = new ScriptedNetwork();
        net.Step = (call, parameters) =>
        {
            beforeCall[call] = parameters.ToArray();
            parameters[1] += call;
            if (call == badCall)
            {
                parameters[3] = double.NaN; // the loss and the gradient of this step stay finite
            }

            return 1.0;
        };
        return net;
    }

    [Fact]
    public void ANaNParameterBehindFiniteLossesIsCaughtAtTheNextSnapshot()
    {
        var beforeCall = new Dictionary<int, double[]>();
        ScriptedNetwork net = PoisonsAParameter(badCall: 5, beforeCall);

        // 80 rows in batches of 4: 20 batches in one epoch; snapshots before batches 1 and 17.
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Fit(net, ScriptedNetwork.Line(80), new TrainingOptions { Epochs = 1, BatchSize = 4, ValidationSplit = 0, DeadUnitSampleRows = 0 }));
        Assert.Contains("parameter", error.Message, StringComparison.Ordinal);
        Assert.Equal((1, 16), (error.Epoch, error.Batch)); // found when the 17th batch's snapshot was taken
        Assert.Equal((1, 1), (error.RestoredEpoch, error.RestoredBatch));
        Assert.Equal(beforeCall[1], net.Parameters.ToArray());
        Assert.Equal(16, net.Calls);
    }

    [Fact]
    public void ANaNParameterIsCaughtAtTheEndOfItsEpochAtTheLatest()
    {
        var beforeCall = new Dictionary<int, double[]>();
        ScriptedNetwork net = PoisonsAParameter(badCall: 6, beforeCall);

        // 16 rows in batches of 4: the parameter goes bad in epoch 2, batch 2; the epoch ends before the next snapshot.
        var error = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Fit(net, ScriptedNetwork.Line(16), new TrainingOptions { Epochs = 10, BatchSize = 4, ValidationSplit = 0, DeadUnitSampleRows = 0 }));
        Assert.Contains("parameter", error.Message, StringComparison.Ordinal);
        Assert.Equal((2, 4), (error.Epoch, error.Batch));
        Assert.Equal(beforeCall[1], net.Parameters.ToArray());
        Assert.All(net.Parameters.ToArray(), p => Assert.True(double.IsFinite(p)));
    }

    [Theory]
    [InlineData(3000, 1024, 1024)]
    [InlineData(3000, 0, 3000)]
    [InlineData(500, 1024, 500)]
    [InlineData(3000, 100, 100)]
    public void TheTrainingRowsScoredAfterAnEpochAreAFixedSample(int rows, int limit, int scored)
    {
        var net = new ScriptedNetwork();
        TrainingResult result = Trainer.Fit(net, ScriptedNetwork.Line(rows), new TrainingOptions
        {
            Epochs = 3, BatchSize = 500, ValidationSplit = 0, EarlyStoppingPatience = 0, DeadUnitSampleRows = 0, TrainingEvaluationRows = limit,
        });
        Assert.All(result.History, r => Assert.Equal(scored, r.Training.Rows));

        // The scripted network predicts y = x (w = 1) for t = 2x, so the loss of the scored rows is their mean x²: the same rows every epoch.
        Assert.Equal(result.History[0].Training.Loss, result.History[2].Training.Loss);
        if (scored < rows)
        {
            Assert.NotEqual(Enumerable.Range(1, rows).Average(x => (double)x * x), result.History[0].Training.Loss, 6);
        }
        else
        {
            Assert.Equal(Enumerable.Range(1, rows).Average(x => (double)x * x), result.History[0].Training.Loss, 6);
        }

        Assert.Throws<ArgumentException>(() => new TrainingOptions { TrainingEvaluationRows = -1 }.Validate());
    }
}
