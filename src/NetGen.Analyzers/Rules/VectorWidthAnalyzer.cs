using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>
/// NG2001: widths that leave Vector&lt;T&gt; lanes idle in the next layer's dot products. Hidden widths are the user's
/// choice and are always reported. The [Input] width is usually fixed by the data (13 wine features, 30 breast-cancer
/// measurements), so it is reported only where padding the rows is worth it: at least <see cref="MinReportedInput"/>
/// features (images, spectra, embeddings) with a scalar tail of at least 1/<see cref="TailShareDivisor"/> of the
/// vector steps of each dot product.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VectorWidthAnalyzer : NetworkDesignAnalyzer
{
    private const int Lanes = 8;

    /// <summary>The narrowest [Input] that is reported: below it a feature count is tabular data's, and the first layer costs little.</summary>
    internal const int MinReportedInput = 64;

    /// <summary>An [Input] is reported when its scalar tail (width mod 8) is at least 1/20 of its 8-lane vector steps (5%).</summary>
    internal const int TailShareDivisor = 20;

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(UsageDescriptors.IdleVectorLanes);

    private protected override void Analyze(NetworkDeclaration network, Action<Diagnostic> report)
    {
        // Vector<float> has 8 lanes with 256-bit vectors and 16 with 512-bit; Vector<double> half as many.
        bool single = network.Spec.Precision == Precision.Single;
        int narrow = single ? 8 : 4, wide = single ? 16 : 8;
        foreach (DenseLayer consumer in network.DenseLayers)
        {
            int width = consumer.FanIn;
            if (width < Lanes || width % Lanes == 0)
            {
                continue;
            }

            string owner;
            Location location;
            if (network.Previous(consumer) is not { } producer)
            {
                if (width < MinReportedInput || (width % Lanes) * TailShareDivisor < width / Lanes)
                {
                    continue;
                }

                owner = "[Input]";
                location = network.InputLocation;
            }
            else
            {
                owner = producer.Title();
                location = network.LocationOf(producer);
            }

            int up8 = RoundUp(width, 8), up16 = RoundUp(width, 16);
            string suggestion = !single || up8 == up16 ? Numbers.Int(up8) : $"{Numbers.Int(up8)} (or {Numbers.Int(up16)} for 16 lanes)";
            report(Report.Create(UsageDescriptors.IdleVectorLanes, location,
                owner, Numbers.Int(width), Numbers.Int(consumer.Number),
                Numbers.Int(Idle(width, narrow)), Numbers.Int(narrow), Numbers.Int(Idle(width, wide)), Numbers.Int(wide), suggestion));
        }
    }

    private static int Idle(int width, int lanes) => (lanes - (width % lanes)) % lanes;

    private static int RoundUp(int width, int multiple) => (width + multiple - 1) / multiple * multiple;
}
