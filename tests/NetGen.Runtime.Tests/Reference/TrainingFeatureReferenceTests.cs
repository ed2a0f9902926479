using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen;
using NetGen.Runtime.Tests.TrainerTests;

namespace NetGen.Runtime.Tests.Reference;

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.1, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Tanh)]
[Dense(2)]
public partial class ClipSgdNet { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 0.01, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Tanh)]
[Dense(2)]
public partial class ClipAdamNet { }

/// <summary>
/// Learning-rate schedules, gradient clipping and epoch metrics against PyTorch 1.13 and scikit-learn
/// (tests/reference/make_training_reference.py, training.json).
/// </summary>
public class TrainingFeatureReferenceTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "training.json"))).RootElement;

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>An epoch report whose "loss" is <paramref name="loss"/> and, when given, whose "accuracy" is exactly <paramref name="accuracy"/> (k of 100 rows).</summary>
    internal static EpochReport Report(int epoch, double loss, double? accuracy = null)
    {
        var training = new Evaluation(loss, accuracy, 100);
        if (accuracy is { } a)
        {
            int k = (int)Math.Round(a * 100);
            training = training with { Classification = Metrics.Classification(Enumerable.Repeat(0, 100).ToArray(), Enumerable.Range(0, 100).Select(i => i < k ? 0 : 1).ToArray(), 2) };
        }

        return new EpochReport(epoch, loss, training, null, 0.1, 0, Array.Empty<double>(), Array.Empty<int>(), Array.Empty<TrainingWarning>());
    }

    private static LearningRateSchedule Create(JsonElement c)
    {
        string name = c.GetProperty("name").GetString()!;
        switch (name)
        {
            case "StepLR":
                return new StepLR(c.GetProperty("step_size").GetInt32(), c.GetProperty("gamma").GetDouble());
            case "ExponentialLR":
                return new ExponentialLR(c.GetProperty("gamma").GetDouble());
            case "CosineAnnealingLR":
                return new CosineAnnealingLR(c.GetProperty("t_max").GetInt32(), c.GetProperty("eta_min").GetDouble());
            default:
                var plateau = new ReduceLROnPlateau(c.GetProperty("factor").GetDouble(), c.GetProperty("patience").GetInt32(), c.GetProperty("threshold").GetDouble(),
                    c.GetProperty("threshold_mode").GetString() == "rel" ? ThresholdMode.Relative : ThresholdMode.Absolute,
                    c.GetProperty("cooldown").GetInt32(), c.GetProperty("min_lr").GetDouble());
                plateau.MonitorInUse = c.GetProperty("mode").GetString() == "max" ? "accuracy" : "loss";
                return plateau;
        }
    }

    [Fact]
    public void TheValuesComeFromPyTorch113AndScikitLearn()
    {
        Assert.StartsWith("1.13", Root.GetProperty("torch_version").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(Root.GetProperty("sklearn_version").GetString()));
    }

    public static IEnumerable<object[]> Schedules() => Enumerable.Range(0, Root.GetProperty("schedules").GetArrayLength()).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Schedules))]
    public void ScheduleRatesMatchPyTorchEpochByEpoch(int index)
    {
        JsonElement c = Root.GetProperty("schedules")[index];
        double[] expected = Doubles(c.GetProperty("rates"));
        double[]? metric = c.TryGetProperty("metric", out JsonElement m) ? Doubles(m) : null;
        bool max = c.TryGetProperty("mode", out JsonElement mode) && mode.GetString() == "max";
        LearningRateSchedule schedule = Create(c);
        schedule.Start(0.1);
        double rate = 0.1;
        var actual = new List<double>();
        for (int epoch = 1; epoch <= expected.Length; epoch++)
        {
            actual.Add(rate);
            double value = metric?[epoch - 1] ?? 1.0;
            rate = schedule.Next(max ? Report(epoch, 1.0, value) : Report(epoch, value), rate);
        }

        for (int e = 0; e < expected.Length; e++)
        {
            Assert.True(Math.Abs(actual[e] - expected[e]) <= 1e-12 * expected[e], $"{c.GetProperty("name")} epoch {e + 1}: {actual[e]:R} against PyTorch {expected[e]:R}");
        }
    }

    [Fact]
    public void FitAppliesTheScheduleAndReportsEachEpochsRate()
    {
        // ReduceLROnPlateau on the training loss, which the scripted network returns epoch by epoch (one batch per epoch).
        JsonElement c = Root.GetProperty("schedules").EnumerateArray().First(s => s.GetProperty("name").GetString() == "ReduceLROnPlateau");
        double[] losses = Doubles(c.GetProperty("metric")), expected = Doubles(c.GetProperty("rates"));
        var net = new ScriptedNetwork { Step = (call, _) => losses[call - 1] };
        var seen = new List<double>();
        TrainingResult result = Trainer.Fit(net, ScriptedNetwork.Line(8), new TrainingOptions
        {
            Epochs = losses.Length, BatchSize = 8, ValidationSplit = 0, EarlyStoppingPatience = 0, DeadUnitSampleRows = 0,
            LearningRateSchedule = new ReduceLROnPlateau(factor: 0.5, patience: 2, threshold: 0.01, cooldown: 1, minLr: 0.004),
            Callbacks = new[] { TrainingCallback.AtBatchEnd((batch, _) => seen.Add(batch.LearningRate)) },
        });
        double[] reported = result.History.Select(r => r.LearningRate).ToArray();
        for (int e = 0; e < expected.Length; e++)
        {
            Assert.Equal(expected[e], reported[e], 12);
            Assert.Equal(expected[e], seen[e], 12);
            Assert.Equal(expected[e], result.History[e].Metrics["lr"], 12);
        }

        Assert.Equal(expected[^1], net.LearningRate, 12);
    }

    public static IEnumerable<object[]> ClipCases() => Enumerable.Range(0, Root.GetProperty("clipping").GetArrayLength()).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(ClipCases))]
    public void ClippingByNormMatchesClipGradNormThenTheOptimizerStep(int index)
    {
        JsonElement c = Root.GetProperty("clipping")[index];
        ITrainableNetwork<double> net = c.GetProperty("optimizer").GetString() == "Sgd" ? new ClipSgdNet() : new ClipAdamNet();
        Doubles(c.GetProperty("parameters")).CopyTo(net.Parameters);
        double lr = c.GetProperty("learning_rate").GetDouble();
        Assert.Equal(lr, net.LearningRate);
        var data = new Dataset<double>(Doubles(c.GetProperty("inputs")), 3, Doubles(c.GetProperty("targets")), 2);
        var after = new List<(double Loss, double Norm, double[] Before, double[] Parameters, double[] Clipped)>();
        double[] before = net.Parameters.ToArray();

        // The unclipped gradient's norm, from a twin at the parameters before each step (the batch is the whole data set).
        ITrainableNetwork<double> twin = net is ClipSgdNet ? new ClipSgdNet() : new ClipAdamNet();
        var unclipped = new double[twin.ParameterCount];
        double NormBefore(double[] parameters)
        {
            parameters.CopyTo(twin.Parameters);
            twin.ComputeGradients(data.Features, data.Targets, unclipped);
            return Math.Sqrt(unclipped.Sum(g => g * g));
        }

        Trainer.Fit(net, data, new TrainingOptions
        {
            Epochs = 3, BatchSize = 5, Shuffle = false, ValidationSplit = 0, EarlyStoppingPatience = 0, DeadUnitSampleRows = 0,
            ClipGradientNorm = c.GetProperty("max_norm").GetDouble(),
            Callbacks = new[]
            {
                TrainingCallback.AtBatchEnd((batch, _) =>
                {
                    after.Add((batch.Loss, NormBefore(before), before, net.Parameters.ToArray(), net.LastGradients.ToArray()));
                    before = net.Parameters.ToArray();
                }),
            },
        });

        JsonElement[] steps = c.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(steps.Length, after.Count);
        for (int s = 0; s < steps.Length; s++)
        {
            Assert.Equal(steps[s].GetProperty("loss").GetDouble(), after[s].Loss, 12);
            Assert.Equal(steps[s].GetProperty("total_norm").GetDouble(), after[s].Norm, 12);
            ReferenceAssert.Close(Doubles(steps[s].GetProperty("parameters")), after[s].Parameters, 1e-12, 1e-14, $"{c.GetProperty("name")} step {s + 1}");
            // The generated step clips LastGradients in place, as clip_grad_norm_ does .grad.
            ReferenceAssert.Close(Doubles(steps[s].GetProperty("clipped_gradient")), after[s].Clipped, 1e-9, 1e-12, $"{c.GetProperty("name")} LastGradients, step {s + 1}");
            if (net is ClipSgdNet)
            {
                // Plain SGD: p_before - p_after = lr * the clipped gradient.
                double[] clipped = Doubles(steps[s].GetProperty("clipped_gradient"));
                double[] implied = after[s].Before.Zip(after[s].Parameters, (p0, p1) => (p0 - p1) / lr).ToArray();
                ReferenceAssert.Close(clipped, implied, 1e-9, 1e-12, $"{c.GetProperty("name")} clipped gradient, step {s + 1}");
            }
        }

        Assert.Equal(0, net.ClipGradientNorm); // Fit put the network's setting back
    }

    [Fact]
    public void ClassificationMetricsMatchScikitLearn()
    {
        JsonElement c = Root.GetProperty("metrics").GetProperty("classification");
        ClassificationMetrics m = Metrics.Classification(Ints(c.GetProperty("actual")), Ints(c.GetProperty("predicted")), c.GetProperty("classes").GetInt32());
        int[][] confusion = c.GetProperty("confusion").EnumerateArray().Select(Ints).ToArray();
        for (int a = 0; a < m.Classes; a++)
        {
            for (int p = 0; p < m.Classes; p++)
            {
                Assert.Equal(confusion[a][p], m[a, p]);
            }
        }

        ReferenceAssert.Close(Doubles(c.GetProperty("precision")), m.Precision.ToArray(), 1e-15, 1e-15, "precision");
        ReferenceAssert.Close(Doubles(c.GetProperty("recall")), m.Recall.ToArray(), 1e-15, 1e-15, "recall");
        ReferenceAssert.Close(Doubles(c.GetProperty("f1")), m.F1.ToArray(), 1e-15, 1e-15, "f1");
        Assert.Equal(Ints(c.GetProperty("support")), m.Support.ToArray());
        Assert.Equal(c.GetProperty("accuracy").GetDouble(), m.Accuracy, 15);
        Assert.Equal(c.GetProperty("macro_precision").GetDouble(), m.MacroPrecision, 15);
        Assert.Equal(c.GetProperty("macro_recall").GetDouble(), m.MacroRecall, 15);
        Assert.Equal(c.GetProperty("macro_f1").GetDouble(), m.MacroF1, 15);
    }

    [Fact]
    public void RegressionMetricsMatchScikitLearn()
    {
        JsonElement c = Root.GetProperty("metrics").GetProperty("regression");
        RegressionMetrics m = Metrics.Regression<double>(Doubles(c.GetProperty("outputs")), Doubles(c.GetProperty("targets")), c.GetProperty("output_size").GetInt32());
        Assert.Equal(c.GetProperty("rmse").GetDouble(), m.Rmse, 14);
        Assert.Equal(c.GetProperty("mae").GetDouble(), m.Mae, 14);
        Assert.Equal(c.GetProperty("r2").GetDouble(), m.R2, 14);
    }
}
