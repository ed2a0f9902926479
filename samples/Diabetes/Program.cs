using System;
using System.IO;
using NetGen;

// Regression, the last row of the task table: a Linear output trained with mean squared error.
// Efron et al. (2004): ten baseline measurements of 442 diabetes patients; the target is disease progression a year on.
string directory = Path.Combine(AppContext.BaseDirectory, "data");
(double[] features, int rows, int columns) = Csv.ReadMatrix(Path.Combine(directory, "diabetes_data_raw.csv.gz"));
(double[] targets, _, _) = Csv.ReadMatrix(Path.Combine(directory, "diabetes_target.csv.gz"));
var all = new Dataset<float>(Array.ConvertAll(features, v => (float)v), columns, Array.ConvertAll(targets, v => (float)v), 1);
(Dataset<float> train, Dataset<float> test) = DataSplit.TrainTest(all, testFraction: 0.2, seed: 1);

// Standardize the features, and the target too so that the loss starts near 1; report errors in the target's units.
Standardizer scaler = Standardizer.Fit(train);
scaler.Transform(train);
scaler.Transform(test);
double mean = 0, square = 0;
foreach (float t in train.Targets)
{
    mean += t / train.Rows;
    square += (double)t * t / train.Rows;
}

double deviation = Math.Sqrt(square - (mean * mean));
float[] trainTargets = ScaledTargets(train, mean, deviation);

var net = new ProgressionNet(seed: 1);
TrainingResult result = Trainer.Fit(net, new Dataset<float>(train.Features.ToArray(), columns, trainTargets, 1),
    new TrainingOptions { Epochs = 200, BatchSize = 32, ValidationSplit = 0.15, EarlyStoppingPatience = 20, Seed = 3 });
Console.WriteLine($"{net.Info}");
Console.WriteLine($"trained {result.Epochs} epochs ({result.StopReason}); best validation MSE {result.BestLoss:F4} (standardized units) in epoch {result.BestEpoch}");

double networkError = 0, meanError = 0;
var output = new float[1];
for (int row = 0; row < test.Rows; row++)
{
    net.Predict(test.Row(row), output);
    double predicted = mean + (deviation * output[0]), actual = test.TargetRow(row)[0];
    networkError += (predicted - actual) * (predicted - actual) / test.Rows;
    meanError += (mean - actual) * (mean - actual) / test.Rows;
}

Console.WriteLine($"test RMSE {Math.Sqrt(networkError):F1} against {Math.Sqrt(meanError):F1} for always predicting the training mean ({mean:F1}); " +
                  $"R² = {1 - (networkError / meanError):F3} on {test.Rows} held-out patients");

static float[] ScaledTargets(Dataset<float> data, double mean, double deviation)
{
    var scaled = new float[data.Rows];
    for (int i = 0; i < data.Rows; i++)
    {
        scaled[i] = (float)((data.TargetRow(i)[0] - mean) / deviation);
    }

    return scaled;
}

/// <summary>10 standardized measurements -> 16 ReLU units -> one linear output (progression, standardized).</summary>
[Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Adam, LearningRate = 1e-3, WeightDecay = 1e-4)]
[Input(10)]
[Dense(16, Activation.ReLU)]
[Dense(1, Activation.Linear)]
public partial class ProgressionNet { }
