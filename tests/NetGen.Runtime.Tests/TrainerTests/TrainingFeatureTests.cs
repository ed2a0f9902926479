using System;
using System.Collections.Generic;
using System.Linq;
using NetGen;

namespace NetGen.Runtime.Tests.TrainerTests;

/// <summary>Callbacks, the monitored metric and the epoch metrics of Trainer.Fit, with hand-computed values.</summary>
public class TrainingFeatureTests
{
    private static TrainingOptions Quiet(int epochs, params TrainingCallback[] callbacks) =>
        new() { Epochs = epochs, BatchSize = 4, ValidationSplit = 0, EarlyStoppingPatience = 0, DeadUnitSampleRows = 0, Callbacks = callbacks };

    [Fact]
    public void ACallbackStopsAfterTheBatchItAsksIn()
    {
        var net = new ScriptedNetwork();
        var batches = new List<(int Epoch, int Batch)>();
        TrainingResult result = Trainer.Fit(net, ScriptedNetwork.Line(8), Quiet(10, TrainingCallback.AtBatchEnd((b, control) =>
        {
            batches.Add((b.Epoch, b.Batch));
            if (b.Epoch == 2 && b.Batch == 1)
            {
                control.StopTraining();
            }
        })));
        Assert.Equal(StopReason.StoppedByCallback, result.StopReason);
        Assert.Equal(new[] { (1, 1), (1, 2), (2, 1) }, batches);
        Assert.Equal(3, net.Calls);
        Assert.Equal(2, result.Epochs); // the cut epoch is still scored and reported
    }

    [Fact]
    public void ACallbackStopsAtAnEpochEndAndSeesEveryHook()
    {
        var calls = new List<string>();
        TrainingResult result = Trainer.Fit(new ScriptedNetwork(), ScriptedNetwork.Line(8), Quiet(10, new Recorder(calls)));
        Assert.Equal(StopReason.StoppedByCallback, result.StopReason);
        Assert.Equal(3, result.Epochs);
        Assert.Equal(new[] { "begin", "batch 1.1", "batch 1.2", "epoch 1", "batch 2.1", "batch 2.2", "epoch 2", "batch 3.1", "batch 3.2", "epoch 3", "end 3" }, calls);
    }

    [Fact]
    public void EarlyStoppingCanMonitorValidationAccuracy()
    {
        Dataset<float> data = TrainerTests.Blobs(300, 1);
        var net = new BlobClassifier(seed: 1);
        TrainingResult result = Trainer.Fit(net, data, new TrainingOptions { Epochs = 200, BatchSize = 16, Monitor = "val_accuracy", EarlyStoppingPatience = 3 });
        Assert.Equal("val_accuracy", result.Monitor);
        Assert.Equal(StopReason.EarlyStopping, result.StopReason); // separable blobs: accuracy reaches 1 and cannot improve further
        Assert.Equal(result.BestEpoch + 3, result.Epochs);
        Assert.Equal(result.History.Max(r => r.ValidationAccuracy!.Value), result.BestLoss);
        Assert.Equal(result.History[result.BestEpoch - 1].ValidationAccuracy, result.BestLoss);
        Assert.Equal(result.BestLoss, Trainer.Evaluate(net, DataSplit.TrainTest(data, 0.1, 0, stratified: true).Test).Accuracy);
    }

    [Fact]
    public void AMonitorThatTheRunDoesNotMeasureIsRejectedWithTheNamesItHas()
    {
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new ScriptedNetwork(), ScriptedNetwork.Line(8), new TrainingOptions { ValidationSplit = 0, Monitor = "val_loss" }));
        Assert.Contains("no validation data", error.Message, StringComparison.Ordinal);
        Assert.Contains("loss, lr, rmse, mae, r2", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new ScriptedNetwork(), ScriptedNetwork.Line(8), new TrainingOptions { Monitor = "val_acc" }));
        Assert.Contains("\"val_acc\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EpochMetricsCarryKerasNamesForClassification()
    {
        TrainingResult result = Trainer.Fit(new BlobClassifier(seed: 1), TrainerTests.Blobs(100, 1), new TrainingOptions { Epochs = 2, ValidationSplit = 0.2 });
        EpochReport last = result.History[^1];
        Assert.Equal(new[] { "accuracy", "f1", "loss", "lr", "precision", "recall", "val_accuracy", "val_f1", "val_loss", "val_precision", "val_recall" },
            last.Metrics.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(last.ValidationAccuracy, last.Metrics["val_accuracy"]);
        Assert.Equal(last.Validation!.Classification!.MacroF1, last.Metrics["val_f1"]);
        // Stratified: each class of 34, 33, 33 rows holds out round(0.2 n) = 7, so 21 rows.
        Assert.Equal(21, Enumerable.Range(0, 3).Sum(c => last.Validation.Classification.Support[c]));
        Assert.Equal(21, last.Validation.Rows);
    }

    [Fact]
    public void WithoutTrainingSetScoresTheReportKeepsTheBatchLossAndValidationScores()
    {
        TrainingResult result = Trainer.Fit(new BlobClassifier(seed: 1), TrainerTests.Blobs(100, 1), new TrainingOptions { Epochs = 2, ValidationSplit = 0.2, EvaluateTrainingSet = false });
        EpochReport last = result.History[^1];
        Assert.Null(last.TrainAccuracy);
        Assert.Null(last.Training.Classification);
        Assert.Equal(last.TrainLoss, last.Training.Loss);
        Assert.Equal(new[] { "loss", "lr", "val_accuracy", "val_f1", "val_loss", "val_precision", "val_recall" }, last.Metrics.Keys.OrderBy(k => k, StringComparer.Ordinal));
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new BlobClassifier(seed: 1), TrainerTests.Blobs(100, 1),
            new TrainingOptions { Epochs = 2, Monitor = "accuracy", EvaluateTrainingSet = false }));
        Assert.Contains("\"accuracy\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegressionEvaluationGivesHandComputedErrors()
    {
        // y = w x with w = 1 against t = 2x on x = 1, 2, 3: errors -1, -2, -3.
        var net = new ScriptedNetwork();
        Evaluation e = Trainer.Evaluate(net, ScriptedNetwork.Line(3));
        Assert.Null(e.Classification);
        RegressionMetrics r = e.Regression!;
        Assert.Equal(Math.Sqrt(14.0 / 3), r.Rmse, 14);
        Assert.Equal(2.0, r.Mae, 14);
        Assert.Equal(1 - (14.0 / 8), r.R2, 14); // targets 2, 4, 6: Σ(t - 4)² = 8
    }

    [Fact]
    public void ClassificationMetricsByHand()
    {
        // actual 0 0 1 1 1, predicted 0 1 1 1 0: class 0 TP 1, predicted 2, actual 2; class 1 TP 2, predicted 3, actual 3.
        ClassificationMetrics m = Metrics.Classification(new[] { 0, 0, 1, 1, 1 }, new[] { 0, 1, 1, 1, 0 }, 3);
        Assert.Equal(new[] { 0.5, 2.0 / 3, 0 }, m.Precision.ToArray());
        Assert.Equal(new[] { 0.5, 2.0 / 3, 0 }, m.Recall.ToArray());
        Assert.Equal(new[] { 0.5, 4.0 / 6, 0 }, m.F1.ToArray());
        Assert.Equal(0.6, m.Accuracy, 15);
        Assert.Equal((0.5 + (2.0 / 3)) / 3, m.MacroF1, 15); // class 2 never occurs: 0, as scikit-learn's zero_division=0
        Assert.Equal(1, m[1, 0]);
        Assert.Throws<ArgumentException>(() => Metrics.Classification(new[] { 0 }, new[] { 3 }, 3));
    }

    [Fact]
    public void RSquaredOfConstantTargetsIsOneWhenExactAndZeroOtherwise()
    {
        Assert.Equal(1.0, Metrics.Regression<double>(new[] { 2.0, 2.0 }, new[] { 2.0, 2.0 }, 1).R2);
        Assert.Equal(0.0, Metrics.Regression<double>(new[] { 2.0, 3.0 }, new[] { 2.0, 2.0 }, 1).R2);
    }

    [Fact]
    public void ScheduleArgumentsThatCannotWorkAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(5, etaMin: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(factor: 1));
        Assert.Throws<ArgumentException>(() => Trainer.Fit(new ScriptedNetwork(), ScriptedNetwork.Line(8), new TrainingOptions { ClipGradientNorm = 0 }));
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(new ScriptedNetwork(), ScriptedNetwork.Line(8),
            new TrainingOptions { ValidationSplit = 0, LearningRateSchedule = new ReduceLROnPlateau(monitor: "val_loss") }));
        Assert.Contains("ReduceLROnPlateau.Monitor", error.Message, StringComparison.Ordinal);
    }

    private sealed class Recorder(List<string> calls) : TrainingCallback
    {
        public override void OnTrainBegin(TrainingControl control) => calls.Add("begin");

        public override void OnBatchEnd(in BatchReport batch, TrainingControl control) => calls.Add($"batch {batch.Epoch}.{batch.Batch}");

        public override void OnEpochEnd(EpochReport report, TrainingControl control)
        {
            calls.Add($"epoch {report.Epoch}");
            if (report.Epoch == 3)
            {
                control.StopTraining();
            }
        }

        public override void OnTrainEnd(TrainingResult result) => calls.Add($"end {result.Epochs}");
    }
}
