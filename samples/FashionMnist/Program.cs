using System;
using System.Diagnostics;
using System.IO;
using NetGen;

// The network of NetGen's design document on Fashion-MNIST: 60,000 training and 10,000 test images of 28x28 pixels.
// The data is a Debian package: apt-get install -y dataset-fashion-mnist
string folder = args.Length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist";
int epochs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
string Data(string name) => Path.Combine(folder, name);
if (!File.Exists(Data("train-images-idx3-ubyte.gz")))
{
    Console.Error.WriteLine($"No Fashion-MNIST files in {folder}. Install them with: apt-get install -y dataset-fashion-mnist");
    return 1;
}

var load = Stopwatch.StartNew();
Dataset<float> train = Idx.LoadDataset<float>(Data("train-images-idx3-ubyte.gz"), Data("train-labels-idx1-ubyte.gz"));
Dataset<float> test = Idx.LoadDataset<float>(Data("t10k-images-idx3-ubyte.gz"), Data("t10k-labels-idx1-ubyte.gz"));
Console.WriteLine($"loaded {train.Rows:N0} training and {test.Rows:N0} test images in {load.Elapsed.TotalSeconds:F1} s");

var net = new FashionNet(seed: 1);
Console.WriteLine(net.Info);
// The test set is scored after each epoch by a callback, which runs after the epoch's report (its seconds do not
// include this pass) and changes nothing in training: Evaluate predicts without dropout and draws no random numbers.
TrainingCallback testScore = TrainingCallback.AtEpochEnd((report, _) => Console.WriteLine(
    $"epoch {report.Epoch}: loss {report.TrainLoss:F4}, train accuracy {report.TrainAccuracy:P2}, " +
    $"test accuracy {Trainer.Evaluate(net, test).Accuracy:P2}, {report.Seconds:F2} s" +
    (report.Warnings.Count > 0 ? $"  [{string.Join("; ", report.Warnings)}]" : "")));
TrainingResult result = Trainer.Fit(net, train, new TrainingOptions
{
    Epochs = epochs, BatchSize = 64, Seed = 2, DeadUnitSampleRows = 512, ValidationSplit = 0, EarlyStoppingPatience = 0, Callbacks = new[] { testScore },
});

Evaluation score = Trainer.Evaluate(net, test);
Console.WriteLine($"test accuracy {score.Accuracy:P2} (loss {score.Loss:F4}) after {result.Epochs} epochs");
Console.WriteLine("(a scikit-learn MLPClassifier with one hidden layer of 100 ReLU units reaches about 87-88%)");
return 0;

/// <summary>The example of DESIGN.md §2.</summary>
[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3)]
[Input(784)]
[Dense(256, Activation.ReLU, Init = Init.HeNormal)]
[Dropout(0.2)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class FashionNet { }

