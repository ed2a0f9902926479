using System;
using System.IO;
using NetGen;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.TrainerTests;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(4)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class IrisNet { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
[Input(13)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class WineNet { }

/// <summary>
/// The first hour of a new user (issue 10): scikit-learn's CSV files with their header line, standardized, trained by
/// <c>Trainer.Fit(net, train)</c> with no options at all, scored on a held-out 30%.
/// </summary>
public class FitDefaultsTests(ITestOutputHelper output)
{
    private static (Dataset<float> Train, Dataset<float> Test) Load(string file)
    {
        Dataset<float> all = Csv.LoadClassification<float>(Path.Combine(AppContext.BaseDirectory, "data", file), classes: 3, skipLines: 1);
        (Dataset<float> train, Dataset<float> test) = DataSplit.TrainTest(all, testFraction: 0.3, seed: 1, stratified: true);
        Standardizer scaler = Standardizer.Fit(train);
        scaler.Transform(train);
        scaler.Transform(test);
        return (train, test);
    }

    [Fact]
    public void IrisTrainsToASensibleAccuracyWithTheDefaults()
    {
        (Dataset<float> train, Dataset<float> test) = Load("iris.csv");
        var net = new IrisNet(seed: 1);
        TrainingResult result = Trainer.Fit(net, train);
        double accuracy = Trainer.Evaluate(net, test).Accuracy!.Value;
        output.WriteLine($"iris: test accuracy {accuracy:P1} after {result.Epochs} epochs ({result.StopReason}, best epoch {result.BestEpoch})");
        Assert.True(accuracy >= 0.9, $"iris test accuracy {accuracy:P1} after {result.Epochs} epochs ({result.StopReason})");
        Assert.Equal("val_loss", result.Monitor);
    }

    [Fact]
    public void WineTrainsToASensibleAccuracyWithTheDefaults()
    {
        (Dataset<float> train, Dataset<float> test) = Load("wine_data.csv");
        var net = new WineNet(seed: 1);
        TrainingResult result = Trainer.Fit(net, train);
        double accuracy = Trainer.Evaluate(net, test).Accuracy!.Value;
        output.WriteLine($"wine: test accuracy {accuracy:P1} after {result.Epochs} epochs ({result.StopReason}, best epoch {result.BestEpoch})");
        Assert.True(accuracy >= 0.9, $"wine test accuracy {accuracy:P1} after {result.Epochs} epochs ({result.StopReason})");
    }

    [Fact]
    public void TheDefaultsAreTheDocumentedOnes()
    {
        var options = new TrainingOptions();
        Assert.Equal(1000, options.Epochs);
        Assert.Equal(32, options.BatchSize);
        Assert.Equal(0.1, options.ValidationSplit);
        Assert.Equal(10, options.EarlyStoppingPatience);
        Assert.True(options.RestoreBestWeights);
        Assert.Null(options.Monitor);
        Assert.Null(options.LearningRateSchedule);
        Assert.Null(options.ClipGradientNorm);
        Assert.Equal(1e4, options.DivergenceFactor);
    }
}
