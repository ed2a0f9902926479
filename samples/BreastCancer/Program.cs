using System;
using System.IO;
using NetGen;

// Binary classification, the first row of the task table: one Sigmoid output trained with binary cross-entropy.
// UCI Breast Cancer Wisconsin (Diagnostic): 30 measurements of a cell nucleus image; 0 = malignant, 1 = benign.
string path = Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv");
Dataset<float> all = Csv.LoadClassification<float>(path, classes: 2, oneHot: false);
(Dataset<float> train, Dataset<float> test) = DataSplit.TrainTest(all, testFraction: 0.2, seed: 1, stratified: true);

// The features span five orders of magnitude (areas in the hundreds, fractal dimensions near 0.06): standardize
// with the training rows' statistics only.
Standardizer scaler = Standardizer.Fit(train);
scaler.Transform(train);
scaler.Transform(test);

var net = new TumourNet(seed: 1);
TrainingResult result = Trainer.Fit(net, train, new TrainingOptions { Epochs = 60, BatchSize = 16, ValidationSplit = 0.15, EarlyStoppingPatience = 10, Seed = 2 });
Console.WriteLine($"{net.Info}");
Console.WriteLine($"trained {result.Epochs} epochs ({result.StopReason}); best validation loss {result.BestLoss:F4} in epoch {result.BestEpoch}");

int truePositive = 0, falsePositive = 0, trueNegative = 0, falseNegative = 0;
for (int row = 0; row < test.Rows; row++)
{
    bool predictedBenign = net.PredictClass(test.Row(row)) == 1, benign = test.Labels[row] == 1;
    // "Positive" here is malignant, the finding a screening test must not miss.
    (truePositive, falsePositive, trueNegative, falseNegative) = (predictedBenign, benign) switch
    {
        (false, false) => (truePositive + 1, falsePositive, trueNegative, falseNegative),
        (false, true) => (truePositive, falsePositive + 1, trueNegative, falseNegative),
        (true, true) => (truePositive, falsePositive, trueNegative + 1, falseNegative),
        (true, false) => (truePositive, falsePositive, trueNegative, falseNegative + 1),
    };
}

Evaluation score = Trainer.Evaluate(net, test);
Console.WriteLine($"test accuracy {score.Accuracy:P2} on {test.Rows} held-out cases (binary cross-entropy {score.Loss:F4})");
Console.WriteLine($"malignant found: {truePositive} of {truePositive + falseNegative} (recall {truePositive / (double)(truePositive + falseNegative):P1}); " +
                  $"benign flagged as malignant: {falsePositive} of {falsePositive + trueNegative}");

/// <summary>30 standardized features -> 16 ReLU units -> one sigmoid probability of "benign".</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3)]
[Input(30)]
[Dense(16, Activation.ReLU)]
[Dropout(0.2)]
[Dense(1, Activation.Sigmoid)]
public partial class TumourNet { }
