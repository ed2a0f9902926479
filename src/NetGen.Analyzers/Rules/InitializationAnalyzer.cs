using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>NG1001-NG1005: whether each layer's initialiser and slope suit its activation.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InitializationAnalyzer : NetworkDesignAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DesignDescriptors.ReLUWithGlorotInit,
        DesignDescriptors.SaturatingWithHeInit,
        DesignDescriptors.SeluWithoutSelfNormalisation,
        DesignDescriptors.UnusualSlope,
        DesignDescriptors.ZeroWeights);

    private protected override void Analyze(NetworkDeclaration network, Action<Diagnostic> report)
    {
        ReportGlorotRectifiers(network, report);
        foreach (DenseLayer layer in network.DenseLayers)
        {
            ReportHeOnSaturating(network, layer, report);
            ReportSlope(network, layer, report);
            if (layer.Spec.Init == Init.Zeros && layer.Units >= 2)
            {
                report(Report.Create(DesignDescriptors.ZeroWeights, network.LocationOf(layer), layer.Title(), Numbers.Int(layer.Units)));
            }
        }

        ReportSelu(network, report);
    }

    private static void ReportGlorotRectifiers(NetworkDeclaration network, Action<Diagnostic> report)
    {
        List<DenseLayer> layers = network.HiddenLayers
            .Where(l => l.Entry.Facts.IsRectifier && InitCatalog.IsGlorot(l.Spec.Init))
            .ToList();
        if (layers.Count == 0)
        {
            return;
        }

        double total = layers.Aggregate(1.0, (product, l) => product * Shrink(l));
        DiagnosticSeverity severity = layers.Count >= 3 ? DiagnosticSeverity.Warning : DiagnosticSeverity.Info;
        ImmutableDictionary<string, string?> properties = Report.Properties((FixProperties.Init, "HeNormal,HeUniform"));
        foreach (DenseLayer layer in layers)
        {
            double a = Slope(layer);
            int fanIn = layer.FanIn, fanOut = layer.Units;
            string glorot = $"2/({Numbers.Int(fanIn)}+{Numbers.Int(fanOut)}) = {Numbers.Short(InitCatalog.Variance(Init.GlorotNormal, fanIn, fanOut))}";
            string he = $"2/((1+{Numbers.Short(a)}^2)*{Numbers.Int(fanIn)}) = {Numbers.Short(2.0 / ((1 + (a * a)) * fanIn))}";
            report(Report.Create(DesignDescriptors.ReLUWithGlorotInit, network.LocationOf(layer), severity, null, properties,
                layer.Title(), layer.Spec.Init.ToString(), glorot, he, Numbers.Short(Shrink(layer)), Numbers.Short(total),
                Numbers.Int(layers.Count)));
        }
    }

    /// <summary>Variance kept per layer with Glorot instead of He: (1+a^2) in/(in+out), 0.5 for a square ReLU layer.</summary>
    private static double Shrink(DenseLayer layer)
    {
        double a = Slope(layer);
        return (1 + (a * a)) * layer.FanIn / ((double)layer.FanIn + layer.Units);
    }

    private static double Slope(DenseLayer layer) => layer.Entry.RectifierSlope(layer.Spec.Alpha) ?? 0;

    private static void ReportHeOnSaturating(NetworkDeclaration network, DenseLayer layer, Action<Diagnostic> report)
    {
        if (!layer.Entry.Saturates || !InitCatalog.IsHe(layer.Spec.Init))
        {
            return;
        }

        int fanIn = layer.FanIn, fanOut = layer.Units;
        string he = $"2/{Numbers.Int(fanIn)} = {Numbers.Short(2.0 / fanIn)}";
        string glorot = $"2/({Numbers.Int(fanIn)}+{Numbers.Int(fanOut)}) = {Numbers.Short(2.0 / ((double)fanIn + fanOut))}";
        string ratio = Numbers.Short(((double)fanIn + fanOut) / fanIn);
        string target = InitCatalog.GlorotCounterpart(layer.Spec.Init).ToString();
        report(Report.Create(DesignDescriptors.SaturatingWithHeInit, network.LocationOf(layer), DiagnosticSeverity.Info, null,
            Report.Properties((FixProperties.Init, target)),
            layer.Title(), layer.Spec.Init.ToString(), he, ratio, glorot, Numbers.Int(fanOut)));
    }

    private static void ReportSlope(NetworkDeclaration network, DenseLayer layer, Action<Diagnostic> report)
    {
        if (layer.Entry.Alpha == AlphaRole.None)
        {
            return;
        }

        double a = layer.Spec.Alpha;
        bool leaky = layer.Entry.Alpha != AlphaRole.Saturation; // a slope, not a saturation value
        (DiagnosticSeverity Severity, string Reason)? problem =
            a < 0 ? (DiagnosticSeverity.Error, "a negative value makes the activation non-monotonic, turning negative inputs the wrong way")
            : leaky && a == 1 ? (DiagnosticSeverity.Warning, "a slope of 1 makes the layer linear (f(z) = z for every z)")
            : leaky && a > 1 ? (DiagnosticSeverity.Warning, "a slope above 1 makes negative inputs steeper than positive ones")
            : null;
        if (problem is { } found)
        {
            string gain = Numbers.Short(Math.Sqrt(2.0 / (1 + (a * a))));
            report(Report.Create(DesignDescriptors.UnusualSlope, network.LocationOf(layer), found.Severity, null, null,
                layer.Title(), Numbers.Exact(a), found.Reason, gain));
        }
    }

    private static void ReportSelu(NetworkDeclaration network, Action<Diagnostic> report)
    {
        if (!network.DenseLayers.Any(l => l.Entry.SelfNormalising))
        {
            return;
        }

        foreach (DenseLayer layer in network.DenseLayers.Where(l => l.Entry.SelfNormalising && l.Spec.Init != l.Entry.DefaultInit))
        {
            string what = $"{layer.Title()} uses {layer.Spec.Init} (variance {Numbers.Short(InitCatalog.Variance(layer.Spec.Init, layer.FanIn, layer.Units))})";
            report(Report.Create(DesignDescriptors.SeluWithoutSelfNormalisation, network.LocationOf(layer), DiagnosticSeverity.Warning, null,
                Report.Properties((FixProperties.Init, "LeCunNormal")), what, LeCun(layer.FanIn)));
        }

        IReadOnlyList<LayerSpec> layers = network.Spec.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].Kind != LayerKind.Dropout)
            {
                continue;
            }

            double p = layers[i].DropoutRate;
            int fanIn = network.DenseAfter(i)?.FanIn ?? network.Spec.InputSize;
            string scale = p < 1 ? Numbers.Short(1 / (1 - p)) : "inf";
            string what = $"[Dropout({Numbers.Exact(p)})] in a SELU network scales the kept units by 1/(1-p) = {scale} and moves the mean and variance SELU keeps at 0 and 1 (use alpha dropout, or remove it)";
            report(Report.Create(DesignDescriptors.SeluWithoutSelfNormalisation, network.LocationOf(i), what, LeCun(fanIn)));
        }
    }

    private static string LeCun(int fanIn) => $"1/{Numbers.Int(fanIn)} = {Numbers.Short(1.0 / fanIn)}";
}
