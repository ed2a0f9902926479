using System;
using System.Globalization;
using System.IO;
using System.Text;
using NetGen;

namespace NetGen.Bench;

/// <summary>
/// `--reduced`: the accuracy change from bfloat16 and int8 inference weights (docs/performance.md, "Reduced-precision
/// weights"): each network is trained once in float, its parameters copied into the bfloat16 and int8 declarations of
/// the same shape, and all three scored on the same held-out rows.
/// </summary>
public static class ReducedAccuracy
{
    public static string Run(string fashionFolder)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# Reduced-precision weights: accuracy, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.AppendLine();
        report.AppendLine("| data, network | float | bfloat16 | int8 | bfloat16 - float | int8 - float | largest probability change, bf16 / int8 |");
        report.AppendLine("|---|---|---|---|---|---|---|");

        // Digits: the UCI 8x8 digits of samples/data, 20% held out (stratified), pixels / 16.
        string digits = RepositoryFiles.Find(Path.Combine("samples", "data", "digits.csv.gz")) ?? throw new FileNotFoundException("samples/data/digits.csv.gz");
        Dataset<float> all = Csv.LoadClassification<float>(digits, classes: 10);
        Span<float> pixels = all.MutableFeatures;
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] /= 16f; // pixel counts 0..16 -> [0, 1]
        }

        (Dataset<float> train, Dataset<float> test) = DataSplit.TrainTest(all, testFraction: 0.2, seed: 1, stratified: true);
        var options = new TrainingOptions { Epochs = 40, BatchSize = 32, Seed = 3, ValidationSplit = 0, EarlyStoppingPatience = 0 };
        report.AppendLine(Row($"digits ({test.Rows} test rows), 64-128-64-10 ReLU, 40 epochs", new DigitsFloat(seed: 7), new DigitsBFloat16(seed: 0), new DigitsInt8(seed: 0), train, test, options));

        string images = Path.Combine(fashionFolder, "train-images-idx3-ubyte.gz");
        if (File.Exists(images))
        {
            Dataset<float> fashionTrain = Idx.LoadDataset<float>(images, Path.Combine(fashionFolder, "train-labels-idx1-ubyte.gz"));
            Dataset<float> fashionTest = Idx.LoadDataset<float>(Path.Combine(fashionFolder, "t10k-images-idx3-ubyte.gz"), Path.Combine(fashionFolder, "t10k-labels-idx1-ubyte.gz"));
            var fashionOptions = new TrainingOptions { Epochs = 5, BatchSize = 64, Seed = 2, ValidationSplit = 0, EarlyStoppingPatience = 0 };
            report.AppendLine(Row($"Fashion-MNIST ({fashionTest.Rows} test rows), 784-256-128-10 ReLU, 5 epochs", new BenchNetwork(), new BenchNetworkBFloat16(), new BenchNetworkInt8(), fashionTrain, fashionTest, fashionOptions));

            // The same standardized (each pixel's training mean and deviation): the first layer's rows then have negative
            // values, so int8 quantises them with a zero point.
            Standardizer standardizer = Standardizer.Fit(fashionTrain);
            standardizer.Transform(fashionTrain);
            standardizer.Transform(fashionTest);
            report.AppendLine(Row($"Fashion-MNIST standardized ({fashionTest.Rows} test rows), 784-256-128-10 ReLU, 5 epochs", new BenchNetwork(), new BenchNetworkBFloat16(), new BenchNetworkInt8(), fashionTrain, fashionTest, fashionOptions));
        }
        else
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"(Fashion-MNIST: no files in {fashionFolder}; apt-get install -y dataset-fashion-mnist)");
        }

        return report.ToString();
    }

    private static string Row(string name, ITrainableNetwork<float> full, INeuralNetwork<float> bf16, INeuralNetwork<float> int8,
        Dataset<float> train, Dataset<float> test, TrainingOptions options)
    {
        Trainer.Fit(full, train, options);
        full.Parameters.CopyTo(bf16.Parameters);
        full.Parameters.CopyTo(int8.Parameters);
        double a = Trainer.Evaluate(full, test).Accuracy!.Value, b = Trainer.Evaluate(bf16, test).Accuracy!.Value, c = Trainer.Evaluate(int8, test).Accuracy!.Value;
        (double db, double dc) = (Largest(full, bf16, test), Largest(full, int8, test));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {100 * a:0.00}% | {100 * b:0.00}% | {100 * c:0.00}% | {100 * (b - a):+0.00;-0.00;0.00} points | {100 * (c - a):+0.00;-0.00;0.00} points | {db:0.0e0} / {dc:0.0e0} |");
    }

    /// <summary>The largest change of any output probability over the test rows.</summary>
    private static double Largest(INeuralNetwork<float> full, INeuralNetwork<float> reduced, Dataset<float> test)
    {
        var a = new float[test.Rows * full.OutputSize];
        var b = new float[a.Length];
        full.PredictBatch(test.Features, a);
        reduced.PredictBatch(test.Features, b);
        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }

        return worst;
    }
}
