using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen;
using Xunit;

namespace NetGen.Runtime.Tests.Reference;

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class WeightedCeNet { }

[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, LearningRate = 0.1, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Tanh)]
[Dense(2)]
public partial class WeightedMseNet { }

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.1, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class WeightedBceNet { }

/// <summary>
/// Class and sample weights against PyTorch 1.13 (the "weighting" cases of training.json: nn.CrossEntropyLoss(weight=...)
/// with reduction='mean', and the same weighted mean Σ wᵢ Lᵢ / Σ wᵢ for sample weights), and against finite differences
/// of a weighted loss computed here from Predict.
/// </summary>
public class WeightingReferenceTests
{
    private static readonly JsonElement Root = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "training.json"))).RootElement;

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, Root.GetProperty("weighting").GetArrayLength()).Select(i => new object[] { i });

    private static (ITrainableNetwork<double> Net, Dataset<double> Data, double[] RowWeights, double[]? ClassWeights) Load(JsonElement c)
    {
        bool ce = c.GetProperty("loss").GetString() == "CrossEntropy";
        ITrainableNetwork<double> net = ce ? new WeightedCeNet() : new WeightedMseNet();
        Doubles(c.GetProperty("parameters")).CopyTo(net.Parameters);
        double[] inputs = Doubles(c.GetProperty("inputs"));
        Dataset<double> data = ce
            ? Dataset<double>.FromLabels(inputs, 3, c.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray(), 3)
            : new Dataset<double>(inputs, 3, Doubles(c.GetProperty("targets")), 2);
        double[]? classWeights = c.GetProperty("class_weights").ValueKind == JsonValueKind.Null ? null : Doubles(c.GetProperty("class_weights"));
        double[]? sampleWeights = c.GetProperty("sample_weights").ValueKind == JsonValueKind.Null ? null : Doubles(c.GetProperty("sample_weights"));
        double[] rowWeights = Enumerable.Range(0, data.Rows)
            .Select(r => (classWeights is null ? 1 : classWeights[data.Labels[r]]) * (sampleWeights?[r] ?? 1)).ToArray();
        return (net, sampleWeights is null ? data : data.WithSampleWeights(sampleWeights), rowWeights, classWeights);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void WeightedTrainBatchMatchesPyTorch(int index)
    {
        JsonElement c = Root.GetProperty("weighting")[index];
        (ITrainableNetwork<double> net, Dataset<double> data, double[] weights, _) = Load(c);
        int s = 0;
        foreach (JsonElement step in c.GetProperty("steps").EnumerateArray())
        {
            double loss = data.HasLabels ? net.TrainBatch(data.Features, data.Labels, weights) : net.TrainBatch(data.Features, data.Targets, weights);
            string what = $"{c.GetProperty("name").GetString()} step {++s}";
            Assert.Equal(step.GetProperty("loss").GetDouble(), loss, 13);
            ReferenceAssert.Close(Doubles(step.GetProperty("gradient")), net.LastGradients.ToArray(), 1e-11, 1e-14, what + " gradient");
            ReferenceAssert.Close(Doubles(step.GetProperty("parameters")), net.Parameters.ToArray(), 1e-12, 1e-14, what + " parameters");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FitWithClassAndSampleWeightsMatchesPyTorch(int index)
    {
        JsonElement c = Root.GetProperty("weighting")[index];
        (ITrainableNetwork<double> net, Dataset<double> data, _, double[]? classWeights) = Load(c);
        var parameters = new List<double[]>();
        var losses = new List<double>();
        TrainingResult result = Trainer.Fit(net, data, new TrainingOptions
        {
            Epochs = 3, BatchSize = data.Rows, Shuffle = false, ValidationSplit = 0, EarlyStoppingPatience = 0, DeadUnitSampleRows = 0,
            EvaluateTrainingSet = false, ClassWeights = classWeights,
            Callbacks = new[] { TrainingCallback.AtBatchEnd((b, _) => { losses.Add(b.Loss); parameters.Add(net.Parameters.ToArray()); }) },
        });

        JsonElement[] steps = c.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(steps.Length, parameters.Count);
        for (int s = 0; s < steps.Length; s++)
        {
            Assert.Equal(steps[s].GetProperty("loss").GetDouble(), losses[s], 13);
            Assert.Equal(steps[s].GetProperty("loss").GetDouble(), result.History[s].TrainLoss, 13); // the epoch's loss is the weighted mean too
            ReferenceAssert.Close(Doubles(steps[s].GetProperty("parameters")), parameters[s], 1e-12, 1e-14, $"{c.GetProperty("name").GetString()} step {s + 1}");
        }
    }

    /// <summary>Σ wᵢ Lᵢ / Σ wᵢ from Predict, with each loss written out here (CE: -ln p[label]; MSE: mean over outputs; BCE: the log loss).</summary>
    private static double WeightedLoss(INeuralNetwork<double> net, double[] inputs, double[] targets, double[] weights)
    {
        var y = new double[net.OutputSize];
        double sum = 0;
        for (int r = 0; r < weights.Length; r++)
        {
            net.Predict(inputs.AsSpan(r * net.InputSize, net.InputSize), y);
            double row = 0;
            for (int o = 0; o < y.Length; o++)
            {
                double t = targets[(r * y.Length) + o];
                row += net.Info.Loss switch
                {
                    Loss.CrossEntropy => -t * Math.Log(y[o]),
                    Loss.BinaryCrossEntropy => -((t * Math.Log(y[o])) + ((1 - t) * Math.Log(1 - y[o]))),
                    _ => (y[o] - t) * (y[o] - t) / y.Length,
                };
            }

            sum += weights[r] * row;
        }

        return sum / weights.Sum();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void WeightedGradientMatchesFiniteDifferences(int which)
    {
        ITrainableNetwork<double> net = which switch { 0 => new WeightedCeNet(seed: 4), 1 => new WeightedMseNet(seed: 4), _ => new WeightedBceNet(seed: 4) };
        var random = new SeededRandom(77);
        const int rows = 7;
        double[] inputs = Enumerable.Range(0, rows * 3).Select(_ => random.NextUniform(-2, 2)).ToArray();
        int[] labels = Enumerable.Range(0, rows).Select(_ => random.NextInt(Math.Max(2, net.OutputSize))).ToArray();
        double[] targets = net.Info.Loss == Loss.MeanSquaredError
            ? Enumerable.Range(0, rows * net.OutputSize).Select(_ => random.NextUniform(-1, 1)).ToArray()
            : net.OutputSize == 1 ? labels.Select(l => (double)l).ToArray() : OneHot.Encode<double>(labels, net.OutputSize);
        double[] weights = { 0.3, 2.0, 0.0, 1.0, 4.5, 0.7, 1.2 };

        double[] start = net.Parameters.ToArray();
        net.LearningRate = 0; // the step leaves the parameters where the gradient was taken
        double loss = net.TrainBatch(inputs, targets, weights);
        double[] gradient = net.LastGradients.ToArray();
        Assert.Equal(start, net.Parameters.ToArray());
        Assert.Equal(WeightedLoss(net, inputs, targets, weights), loss, 12);

        const double h = 1e-6;
        for (int i = 0; i < start.Length; i++)
        {
            net.Parameters[i] = start[i] + h;
            double up = WeightedLoss(net, inputs, targets, weights);
            net.Parameters[i] = start[i] - h;
            double down = WeightedLoss(net, inputs, targets, weights);
            net.Parameters[i] = start[i];
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-6 * Math.Max(1e-3, Math.Abs(numeric)),
                $"{net.Info.Name} parameter {i}: analytic {gradient[i]:R}, numeric {numeric:R}");
        }

        if (net.Info.Loss != Loss.MeanSquaredError)
        {
            // The labelled overload weighs the same rows alike.
            start.CopyTo(net.Parameters);
            Assert.Equal(loss, net.TrainBatch(inputs, labels, weights), 14);
            Assert.Equal(gradient, net.LastGradients.ToArray());
        }
    }

    [Fact]
    public void UnitWeightsGiveTheUnweightedStepBitForBit()
    {
        var weighted = new WeightedCeNet(seed: 8);
        var plain = new WeightedCeNet(seed: 8);
        var random = new SeededRandom(5);
        double[] inputs = Enumerable.Range(0, 15).Select(_ => random.NextUniform(-1, 1)).ToArray();
        int[] labels = { 0, 2, 1, 1, 0 };
        double[] ones = { 1, 1, 1, 1, 1 };
        for (int step = 0; step < 3; step++)
        {
            Assert.Equal(plain.TrainBatch(inputs, labels), weighted.TrainBatch(inputs, labels, ones));
        }

        Assert.Equal(plain.Parameters.ToArray(), weighted.Parameters.ToArray());
    }

    [Fact]
    public void BadSampleWeightsAreRefusedBeforeTheStep()
    {
        var net = new WeightedMseNet(seed: 1);
        double[] inputs = new double[6], targets = new double[4];
        double[] before = net.Parameters.ToArray();
        Assert.Contains("one weight per row = 2", Assert.Throws<ArgumentException>(() => net.TrainBatch(inputs, targets, new double[] { 1 })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainBatch(inputs, targets, new double[] { 1, -0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainBatch(inputs, targets, new double[] { double.NaN, 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.TrainBatch(inputs, targets, new double[] { double.PositiveInfinity, 1 }));
        Assert.Contains("sum to 0", Assert.Throws<ArgumentException>(() => net.TrainBatch(inputs, targets, new double[] { 0, 0 })).Message);
        Assert.Equal(before, net.Parameters.ToArray());
        Assert.Equal(0, net.OptimizerStep);
    }

    [Fact]
    public void FitChecksClassWeightsAgainstTheNetwork()
    {
        Dataset<double> data = Dataset<double>.FromLabels(new double[12], 3, new[] { 0, 1, 2, 1 }, 3);
        var options = new TrainingOptions { Epochs = 1, ValidationSplit = 0, ClassWeights = new[] { 1.0, 2.0 } };
        Assert.Contains("has 3 classes", Assert.Throws<ArgumentException>(() => Trainer.Fit(new WeightedCeNet(), data, options)).Message);
        var regression = new Dataset<double>(new double[12], 3, new double[8], 2);
        Assert.Contains("needs a classifier", Assert.Throws<ArgumentException>(() => Trainer.Fit(new WeightedMseNet(), regression, options)).Message);
        Assert.Throws<ArgumentException>(() => new TrainingOptions { ClassWeights = new[] { 1.0, -1.0 } }.Validate());
        Assert.Contains("weight 0", Assert.Throws<ArgumentException>(() =>
            Trainer.Fit(new WeightedCeNet(), data, new TrainingOptions { Epochs = 1, ValidationSplit = 0, ClassWeights = new[] { 0.0, 0.0, 0.0 } })).Message);
        Assert.Throws<ArgumentException>(() => data.WithSampleWeights(new[] { 1.0, 1.0 }));
        Assert.Throws<ArgumentException>(() => data.WithSampleWeights(new[] { 1.0, 1.0, -1.0, 1.0 }));
    }

    [Fact]
    public void SplitsKeepEachRowsSampleWeight()
    {
        Dataset<double> data = Dataset<double>.FromLabels(Enumerable.Range(0, 30).Select(i => (double)i).ToArray(), 3, new[] { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 }, 2)
            .WithSampleWeights(Enumerable.Range(0, 10).Select(i => 100.0 + i).ToArray());
        (Dataset<double> a, Dataset<double> b) = DataSplit.TrainTest(data, 0.3, seed: 2, stratified: true);
        foreach (Dataset<double> part in new[] { a, b })
        {
            Assert.True(part.HasSampleWeights);
            for (int r = 0; r < part.Rows; r++)
            {
                Assert.Equal(100 + (part.Row(r)[0] / 3), part.SampleWeights[r]); // row i has features 3i.. and weight 100 + i
            }
        }
    }
}
