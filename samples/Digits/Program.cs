using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Digits;
using NetGen;
using NetGen.Samples;
using Spectre.Console;

// Trains a digit classifier on the UCI 8x8 handwritten digits (samples/data) and reports what it learned.
const int maxEpochs = 60;
string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
Dataset<float> all = Csv.LoadClassification<float>(path, classes: 10);
// Pixel counts 0..16 -> [0, 1], kept as a Standardizer (mean 0, deviation 16 for every pixel) so that the scaling is
// saved with the weights and samples/AotInference applies it with PredictClassRaw.
var scaling = Standardizer.FromStatistics(new double[all.InputSize], Enumerable.Repeat(16.0, all.InputSize).ToArray());
scaling.Transform(all);
(Dataset<float> train, Dataset<float> test) = DataSplit.TrainTest(all, testFraction: 0.2, seed: 1, stratified: true);

var net = new DigitsNet(seed: 7);
AnsiConsole.MarkupLine($"[bold]NetGen digits[/]: {all.Rows} images of 8x8 pixels, {train.Rows} to train on, {test.Rows} held out.");
AnsiConsole.MarkupLine($"[grey]{Markup.Escape(net.Info.ToString())}[/]");
AnsiConsole.WriteLine();

var options = new TrainingOptions
{
    Epochs = maxEpochs,
    BatchSize = 32,
    Seed = 3,
    ValidationSplit = 0.1,
    LearningRateSchedule = new CosineAnnealingLR(tMax: maxEpochs), // the rate falls from 1e-3 to 0 over the run
    EarlyStoppingPatience = 10,                                     // stop when the validation loss no longer improves
};
TrainingResult result = null!;
AnsiConsole.Progress()
    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
    .Start(context =>
    {
        ProgressTask bar = context.AddTask("training", maxValue: maxEpochs);
        result = Trainer.Fit(net, train, options, new Reporter(report =>
        {
            bar.Description = $"epoch {report.Epoch,2}: loss {report.TrainLoss:F3}, validation accuracy {report.ValidationAccuracy:P1}";
            bar.Value = report.Epoch;
        }));
    });
AnsiConsole.MarkupLine($"stopped after {result.Epochs} epochs ({result.StopReason}); best {result.Monitor} {result.BestLoss:F4} in epoch {result.BestEpoch}" +
    (result.RestoredBestWeights ? ", whose weights were restored." : "."));

var table = new Table().Border(TableBorder.Rounded).Title("per-epoch report (‖∇‖ Lk: mean gradient norm of dense layer k)");
int firstLayer = result.History[0].GradientLayers[0], lastLayer = result.History[0].GradientLayers[^1];
foreach (string column in new[] { "epoch", "lr", "loss", "train acc.", "val. loss", "val. acc.", $"‖∇‖ L{firstLayer}", $"‖∇‖ L{lastLayer}", "ms" })
{
    table.AddColumn(new TableColumn(column).RightAligned());
}

foreach (EpochReport report in result.History)
{
    table.AddRow(report.Epoch.ToString(), $"{report.LearningRate:0.0e0}", $"{report.TrainLoss:F4}", $"{report.TrainAccuracy:P1}", $"{report.ValidationLoss:F4}",
        $"{report.ValidationAccuracy:P1}", $"{report.GradientNorms[0]:0.00e0}", $"{report.GradientNorms[^1]:0.00e0}", $"{report.Seconds * 1000:F0}");
}

AnsiConsole.Write(table);
string? lossPlot = Plots.Loss("digits-loss.png", "Digits: loss per epoch (cosine learning-rate schedule)", result);
string? accuracyPlot = Plots.Accuracy("digits-accuracy.png", "Digits: accuracy per epoch", result.History);
if (lossPlot is not null && accuracyPlot is not null)
{
    AnsiConsole.MarkupLine($"[grey]plots: {Markup.Escape(lossPlot)}, {Markup.Escape(accuracyPlot)}[/]");
}

foreach (TrainingWarning warning in result.History.SelectMany(r => r.Warnings).DistinctBy(w => w.Kind))
{
    AnsiConsole.MarkupLine($"[yellow]health:[/] {Markup.Escape(warning.Message)}");
}

// Held-out test set: accuracy and the confusion matrix (rows: true digit, columns: predicted digit).
Evaluation score = Trainer.Evaluate(net, test);
var confusion = new int[10, 10];
for (int row = 0; row < test.Rows; row++)
{
    confusion[test.Labels[row], net.PredictClass(test.Row(row))]++;
}

AnsiConsole.WriteLine();
AnsiConsole.MarkupLine($"[bold]test accuracy: {score.Accuracy:P2}[/] on {test.Rows} held-out images (loss {score.Loss:F4}), after {result.Epochs} epochs.");
var matrix = new Table().Border(TableBorder.Simple).Title("confusion matrix (rows: true digit, columns: predicted)");
matrix.AddColumn("");
for (int digit = 0; digit < 10; digit++)
{
    matrix.AddColumn(new TableColumn(digit.ToString()).RightAligned());
}

for (int actual = 0; actual < 10; actual++)
{
    matrix.AddRow(new[] { actual.ToString() }.Concat(Enumerable.Range(0, 10).Select(p =>
        confusion[actual, p] == 0 ? "[grey]·[/]" : actual == p ? $"[green]{confusion[actual, p]}[/]" : $"[red]{confusion[actual, p]}[/]")).ToArray());
}

AnsiConsole.Write(matrix);

// Save the trained weights and load them into a fresh network: same architecture, same predictions.
string modelPath = Path.Combine(Path.GetTempPath(), "netgen-digits.ngm");
ModelFile.Save(net, modelPath);
var restored = new DigitsNet();
ModelFile.Load(restored, modelPath);
int agreements = Enumerable.Range(0, test.Rows).Count(row => restored.PredictClass(test.Row(row)) == net.PredictClass(test.Row(row)));
AnsiConsole.MarkupLine($"saved to {Markup.Escape(modelPath)} ({new FileInfo(modelPath).Length:N0} bytes); the reloaded network agrees on {agreements} of {test.Rows} test images.");
File.Delete(modelPath);
if (args.Length > 0)
{
    // dotnet run --project samples/Digits -- samples/AotInference/digits.ngm: the weights and the pixel scaling
    // samples/AotInference compiles in.
    ModelFile.Save(net, args[0], scaling);
    AnsiConsole.MarkupLine($"saved the trained network to {Markup.Escape(args[0])}.");
}

// Single-image inference: generated, allocation-free, thread-safe.
const int calls = 200_000;
var clock = Stopwatch.StartNew();
int checksum = 0;
for (int i = 0; i < calls; i++)
{
    checksum += net.PredictClass(test.Row(i % test.Rows));
}

clock.Stop();
AnsiConsole.MarkupLine($"single-image inference: {clock.Elapsed.TotalMilliseconds * 1000 / calls:F2} µs per PredictClass over {calls:N0} calls (checksum {checksum}).");

/// <summary>
/// Hands each epoch report to the progress bar on the training thread. (System.Progress&lt;T&gt; would post reports to
/// the thread pool, where they can arrive late and out of order in a console program.)
/// </summary>
internal sealed class Reporter(Action<EpochReport> report) : IProgress<EpochReport>
{
    public void Report(EpochReport value) => report(value);
}
