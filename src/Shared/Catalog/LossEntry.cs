using System;
using System.Collections.Generic;

namespace NetGen.SourceGeneration;

/// <summary>
/// How one loss is computed for one row of outputs: a summary for the comment, which of the output layer's values the
/// body reads, and the body of <c>OutputGradient</c> (it returns the row's loss and writes the scaled gradient to g).
/// </summary>
internal sealed class LossForm
{
    public LossForm(string summary, Reads reads, Func<ScalarType, string> body, params HelperCode[] helpers)
    {
        Summary = summary;
        Reads = reads;
        Body = body;
        Helpers = helpers;
    }

    public string Summary { get; }

    public Reads Reads { get; }

    public Func<ScalarType, string> Body { get; }

    public IReadOnlyList<HelperCode> Helpers { get; }
}

/// <summary>
/// Everything NetGen knows about one loss: its normaliser, its row code, and the output activation it fuses with
/// (whose gradient at the logits it then writes directly). One entry per <see cref="Loss"/> member in <see cref="LossCatalog"/>.
/// </summary>
internal sealed class LossEntry
{
    public LossEntry(Loss kind, LossForm plain)
    {
        Kind = kind;
        Plain = plain;
    }

    public Loss Kind { get; }

    /// <summary>True when the mean runs over rows (cross-entropy), false when over every output value.</summary>
    public bool AveragesOverRows { get; init; }

    /// <summary>A regression loss: bounded output activations cannot reach every target (NG1014).</summary>
    public bool IsRegression { get; init; }

    /// <summary>The output activation this loss fuses with (the one that reads as its probabilities, from the shared facts), and the fused row code; null when it never fuses.</summary>
    public Activation? FusesWith => Fused is null ? null : ActivationTable.ProbabilitiesFor(Kind);

    public LossForm? Fused { get; init; }

    /// <summary>The row code for an output layer that does not fuse with the loss.</summary>
    public LossForm Plain { get; }

    /// <summary>The row code for an output layer with <paramref name="activation"/>.</summary>
    public LossForm FormFor(Activation activation) => FusesWith == activation && Fused is not null ? Fused : Plain;
}
