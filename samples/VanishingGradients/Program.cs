using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.Samples;
using ScottPlot;
using VanishingGradients;

// The vanishing-gradient problem, measured: the same digits, the same depth and optimizer, three hidden activations.
// Each epoch prints the gradient norm of the first and the last dense layer and the validation accuracy.
string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
Dataset<float> all = Csv.LoadClassification<float>(path, classes: 10);
Standardizer.Fit(all).Transform(all);
(Dataset<float> train, Dataset<float> validation) = DataSplit.TrainTest(all, testFraction: 0.2, seed: 1, stratified: true);

var options = new TrainingOptions { Epochs = 15, BatchSize = 32, Seed = 5, StagnationEpochs = 100, EarlyStoppingPatience = 0 };
var runs = new (string Name, ITrainableNetwork<float> Network)[]
{
    ("6 x Sigmoid, Glorot", new DeepSigmoidNet(seed: 1)),
    ("6 x Tanh, Glorot", new DeepTanhNet(seed: 1)),
    ("6 x ReLU, He", new DeepReluNet(seed: 1)),
};

var results = new List<(string Name, TrainingResult Result)>();
foreach ((string name, ITrainableNetwork<float> network) in runs)
{
    results.Add((name, Trainer.Fit(network, train, options, validation: validation)));
}

Console.WriteLine("epoch | " + string.Join(" | ", results.Select(r => $"{r.Name,-38}")));
Console.WriteLine("      | " + string.Join(" | ", results.Select(_ => $"{"‖∇‖ L1",9} {"‖∇‖ L7",9} {"ratio",8} {"acc.",7}")));
for (int epoch = 0; epoch < options.Epochs; epoch++)
{
    Console.WriteLine($"{epoch + 1,5} | " + string.Join(" | ", results.Select(r =>
    {
        EpochReport report = r.Result.History[epoch];
        double first = report.GradientNorms[0], last = report.GradientNorms[^1];
        return $"{first,9:0.00e0} {last,9:0.00e0} {first / last,8:0.00e0} {report.ValidationAccuracy,7:P1}";
    })));
}

Console.WriteLine();
foreach ((string name, TrainingResult result) in results)
{
    EpochReport final = result.History[^1];
    Console.WriteLine($"{name}: validation accuracy {final.ValidationAccuracy:P1} after {result.Epochs} epochs; " +
                      $"first/last layer gradient ratio {final.GradientNorms[0] / final.GradientNorms[^1]:0.00e0}.");
    foreach (TrainingWarning warning in result.History.SelectMany(r => r.Warnings).DistinctBy(w => w.Kind))
    {
        Console.WriteLine($"  health: {warning.Message}");
    }

    double ratio = final.GradientNorms[0] / final.GradientNorms[^1];
    if (ratio < options.VanishingGradientRatio && final.GradientNorms[0] >= options.VanishingGradientNorm)
    {
        Console.WriteLine($"  (the runtime check flags a vanishing gradient when the ratio is below {options.VanishingGradientRatio:G3} and the first layer's " +
                          $"norm is below {options.VanishingGradientNorm:G3}; here that norm is {final.GradientNorms[0]:0.0e0}, so it stays quiet, " +
                          "while the accuracy shows the first layers are not learning)");
    }
}

// The same story in pictures: each dense layer's mean gradient norm in the first epoch (log scale), and the
// validation accuracy per epoch.
string? normsPlot = Plots.TrySave("gradient-norms.png", plot =>
{
    foreach ((string name, TrainingResult result) in results)
    {
        EpochReport first = result.History[0];
        double[] layers = first.GradientLayers.Select(l => (double)l).ToArray();
        Plots.Line(plot, layers, first.GradientNorms.Select(Math.Log10).ToArray(), name);
    }

    Plots.LogLeftAxis(plot);
    Plots.IntegerBottomAxis(plot);
    plot.Title("Mean gradient norm per dense layer, epoch 1");
    plot.XLabel("dense layer (1 = first, next to the input)");
    plot.YLabel("gradient L2 norm");
    plot.ShowLegend(Alignment.LowerRight);
});
string? accuracyPlot = Plots.TrySave("accuracy.png", plot =>
{
    foreach ((string name, TrainingResult result) in results)
    {
        Plots.Line(plot, result.History.Select(r => (double)r.Epoch).ToArray(), result.History.Select(r => 100 * r.ValidationAccuracy!.Value).ToArray(), name);
    }

    plot.Title("Validation accuracy per epoch");
    plot.XLabel("epoch");
    plot.YLabel("accuracy (%)");
    plot.ShowLegend(Alignment.MiddleRight);
});
if (normsPlot is not null && accuracyPlot is not null)
{
    Console.WriteLine($"plots: {normsPlot}, {accuracyPlot}");
}
