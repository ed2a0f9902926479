using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.SourceGeneration;

/// <summary>NG2001: widths that leave Vector&lt;T&gt; lanes idle in the next layer's dot products.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VectorWidthAnalyzer : NetworkDesignAnalyzer
{
    private const int Lanes = 8;

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
