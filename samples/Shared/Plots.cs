using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen;
using ScottPlot;

namespace NetGen.Samples;

/// <summary>
/// PNG plots of training runs with ScottPlot 5 (samples only: the NetGen package has no dependencies). Plotting needs
/// SkiaSharp's native library, which the SkiaSharp.NativeAssets.Linux.NoDependencies package brings; when it still
/// cannot run on a machine, the samples print why and go on without the picture.
/// </summary>
internal static class Plots
{
    /// <summary>The folder the PNG files go to: plots/ beside the sample's executable.</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "plots");

    /// <summary>Draws and saves one plot; returns its path, or null (with the reason printed) when plotting is not possible here.</summary>
    public static string? TrySave(string fileName, Action<Plot> draw, int width = 800, int height = 450)
    {
        try
        {
            Directory.CreateDirectory(Folder);
            string path = Path.Combine(Folder, fileName);
            var plot = new Plot();
            draw(plot);
            plot.SavePng(path, width, height);
            return path;
        }
        catch (Exception error) when (error is DllNotFoundException or TypeInitializationException or IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"(plot {fileName} skipped: {error.GetBaseException().Message})");
            return null;
        }
    }

    /// <summary>Training and validation loss per epoch on a log scale, with the best epoch marked.</summary>
    public static string? Loss(string fileName, string title, TrainingResult result) => TrySave(fileName, plot =>
    {
        IReadOnlyList<EpochReport> history = result.History;
        double[] epochs = history.Select(r => (double)r.Epoch).ToArray();
        Line(plot, epochs, history.Select(r => Math.Log10(r.TrainLoss)).ToArray(), "training (batches, dropout on)");
        if (history[0].ValidationLoss is not null)
        {
            Line(plot, epochs, history.Select(r => Math.Log10(r.ValidationLoss!.Value)).ToArray(), "validation");
        }

        var best = plot.Add.VerticalLine(result.BestEpoch);
        best.LegendText = $"best epoch ({result.Monitor})";
        best.LinePattern = LinePattern.Dashed;
        best.Color = Colors.Gray;
        LogLeftAxis(plot);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperRight);
    });

    /// <summary>Integer ticks on the bottom axis (epochs, layer numbers).</summary>
    public static void IntegerBottomAxis(Plot plot) =>
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

    /// <summary>Training and validation accuracy per epoch, in percent.</summary>
    public static string? Accuracy(string fileName, string title, IReadOnlyList<EpochReport> history) => TrySave(fileName, plot =>
    {
        double[] epochs = history.Select(r => (double)r.Epoch).ToArray();
        Line(plot, epochs, history.Select(r => 100 * (r.TrainAccuracy ?? double.NaN)).ToArray(), "training");
        if (history[0].ValidationAccuracy is not null)
        {
            Line(plot, epochs, history.Select(r => 100 * r.ValidationAccuracy!.Value).ToArray(), "validation");
        }

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
    });

    /// <summary>One line with markers and a legend entry.</summary>
    public static void Line(Plot plot, double[] xs, double[] ys, string label)
    {
        var line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = 4;
    }

    /// <summary>Shows the left axis as powers of ten: plot log10 values, label the ticks 10^k.</summary>
    public static void LogLeftAxis(Plot plot)
    {
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = y => $"1e{y:0}",
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        };
        plot.Axes.Left.TickGenerator = ticks;
    }
}
