using System;
using System.Collections.Generic;
using System.Globalization;
using NetGen.OnnxFormat;
#if NETGEN_SOURCE_GENERATION
// Compiled into the generator too (with OnnxImporter.cs), where the enums and the facts table are the generator's.
using NetGen.SourceGeneration;
#endif

namespace NetGen;

/// <summary>How the importer recognises a declared activation among the nodes between one dense layer and the next.</summary>
internal enum OnnxMatch
{
    /// <summary>By value: the element-wise subgraph, evaluated at the probe points, equals the activation's formula (<see cref="ActivationFacts.Reference"/>).</summary>
    ByValue,

    /// <summary>No node at all (Linear).</summary>
    NoNodes,

    /// <summary>One <c>Softmax</c> node over the last axis: a function of the whole row, which has no element-wise formula.</summary>
    SoftmaxNode,

    /// <summary>
    /// A learned slope: one <c>PRelu</c> node with a one-element slope, or any element-wise subgraph equal to a leaky ReLU,
    /// whose slope f(-1) / -1 becomes the layer's parameter.
    /// </summary>
    LearnedSlope,
}

/// <summary>What an activation's export writes through: the nodes, constants and slope of one layer (<c>OnnxExporter</c>).</summary>
internal interface IOnnxActivationWriter
{
    /// <summary>The layer's Alpha (LeakyReLU's slope, ELU's saturation).</summary>
    double Alpha { get; }

    /// <summary>Adds a node whose output is the activation's name plus <paramref name="suffix"/> ("" for the activation's result).</summary>
    OnnxNode Node(string opType, string suffix, params string[] inputs);

    /// <summary>A scalar initializer of the network's element type, named the activation's name plus <paramref name="suffix"/>.</summary>
    string Scalar(string suffix, double value);

    /// <summary>The layer's learned slope as a <c>[1]</c> initializer (<c>layerK.slope</c>).</summary>
    string Slope();
}

/// <summary>One activation's ONNX form: how export writes it and how import recognises it.</summary>
internal sealed class OnnxActivation
{
    public OnnxActivation(Activation kind, OnnxMatch match, Func<IOnnxActivationWriter, string, string> export)
    {
        Kind = kind;
        Match = match;
        Export = export;
    }

    public Activation Kind { get; }

    public OnnxMatch Match { get; }

    /// <summary>The operators of opset 13 that compute the activation of value <c>z</c>; returns the result's name.</summary>
    public Func<IOnnxActivationWriter, string, string> Export { get; }

    /// <summary>
    /// The export of double networks, when <see cref="Export"/> uses an operator ONNX Runtime's CPU provider runs in float
    /// only (LeakyRelu, PRelu, Elu, Selu, Softplus in 1.31.1): the same function as Where/Greater expressions. Null: <see cref="Export"/>.
    /// </summary>
    public Func<IOnnxActivationWriter, string, string>? ExportDouble { get; init; }

    /// <summary>
    /// For an activation whose Alpha is part of the function: Alpha read back from a function that may equal it (so that an
    /// import error can say "LeakyReLU(alpha 0.2)"); null for the others (Alpha 0).
    /// </summary>
    public Func<Func<double, double>, double>? ReadAlpha { get; init; }

    /// <summary>Compared with its formula at the probe points (<see cref="OnnxMatch.ByValue"/>, and Linear's identity too).</summary>
    public bool ComparedByValue => Match is OnnxMatch.ByValue or OnnxMatch.NoNodes;

    /// <summary>Said after an import error that expected this activation: how PyTorch exports it.</summary>
    public string ImportHint { get; init; } = "";

    /// <summary>"LeakyReLU(alpha 0.01)" for an activation whose Alpha is part of the function, else the name.</summary>
    public string Describe(double alpha) =>
        ActivationTable.Of(Kind).HasFixedAlpha ? $"{Kind}(alpha {((float)alpha).ToString("R", CultureInfo.InvariantCulture)})" : Kind.ToString();
}

/// <summary>
/// The one place that names NetGen's activations for ONNX (docs/shipping.md, "What ONNX export writes" and "How an ONNX
/// graph is checked against the declaration"): per <see cref="Activation"/>, the operators <c>Onnx.Export</c> writes and
/// how <c>Onnx.Import</c> recognises it. The formulas the importer compares with are the facts table's
/// (<see cref="ActivationTable"/>); the exporter and the importer themselves name no activation.
/// </summary>
internal static class OnnxActivations
{
    private static readonly OnnxActivation[] Table =
    {
        new(Activation.Linear, OnnxMatch.NoNodes, (_, z) => z),
        new(Activation.Sigmoid, OnnxMatch.ByValue, (w, z) => Single(w, "Sigmoid", z)),
        new(Activation.Tanh, OnnxMatch.ByValue, (w, z) => Single(w, "Tanh", z)),
        new(Activation.ReLU, OnnxMatch.ByValue, (w, z) => Single(w, "Relu", z)),
        new(Activation.LeakyReLU, OnnxMatch.ByValue, (w, z) => WithAlpha(w, "LeakyRelu", z))
        {
            ExportDouble = (w, z) => Where(w, z, z, w.Node("Mul", ".negative", w.Scalar(".alpha", w.Alpha), z).Outputs[0]),
            ReadAlpha = f => f(-1) / -1,
        },
        new(Activation.PReLU, OnnxMatch.LearnedSlope, (w, z) => w.Node("PRelu", "", z, w.Slope()).Outputs[0])
        {
            ExportDouble = (w, z) => Where(w, z, z, w.Node("Mul", ".negative", w.Slope(), z).Outputs[0]),
        },
        new(Activation.ELU, OnnxMatch.ByValue, (w, z) => WithAlpha(w, "Elu", z))
        {
            ExportDouble = (w, z) => Where(w, z, z, w.Node("Mul", ".negative", w.Scalar(".alpha", w.Alpha), ExpMinusOne(w, z)).Outputs[0]),
            ReadAlpha = f => f(-1) / (Math.Exp(-1) - 1),
        },
        new(Activation.SELU, OnnxMatch.ByValue, (w, z) => Single(w, "Selu", z)) // the default alpha and gamma are SELU's constants
        {
            ExportDouble = (w, z) => Where(w, z,
                w.Node("Mul", ".scaled", w.Scalar(".lambda", ActivationTable.SeluScale), z).Outputs[0],
                w.Node("Mul", ".negative", w.Scalar(".lambdaalpha", ActivationTable.SeluScaleAlpha), ExpMinusOne(w, z)).Outputs[0]),
        },
        new(Activation.Softplus, OnnxMatch.ByValue, (w, z) => Single(w, "Softplus", z))
        {
            // z above the threshold as PyTorch and NetGen, else ln(1 + e^z) (ONNX has no log1p)
            ExportDouble = (w, z) =>
            {
                string large = w.Node("Greater", ".large", z, w.Scalar(".threshold", ActivationTable.SoftplusThreshold)).Outputs[0];
                string exp = w.Node("Exp", ".exp", z).Outputs[0];
                string log = w.Node("Log", ".log", w.Node("Add", ".oneplus", w.Scalar(".one", 1), exp).Outputs[0]).Outputs[0];
                return w.Node("Where", "", large, z, log).Outputs[0];
            },
        },
        new(Activation.GELU, OnnxMatch.ByValue, Gelu),
        new(Activation.SiLU, OnnxMatch.ByValue, (w, z) => w.Node("Mul", "", z, w.Node("Sigmoid", ".sigmoid", z).Outputs[0]).Outputs[0]), // as torch.onnx exports nn.SiLU
        new(Activation.PiecewiseLinear, OnnxMatch.ByValue, (w, z) =>
        {
            // clip(z + 0.5, 0, 1), as torch.onnx exports torch.clamp(z + 0.5, 0, 1)
            string shifted = w.Node("Add", ".shift", z, w.Scalar(".half", 0.5)).Outputs[0];
            return w.Node("Clip", "", shifted, w.Scalar(".min", 0), w.Scalar(".max", 1)).Outputs[0];
        })
        {
            ImportHint = " NetGen's PiecewiseLinear is clip(z + 0.5, 0, 1): torch.clamp(z + 0.5, 0, 1) exports it as Add and Clip.",
        },
        new(Activation.Step, OnnxMatch.ByValue, (w, z) =>
        {
            // (sign(z) + 1) / 2 is 0, 0.5 and 1 exactly for z < 0, z = 0 and z > 0
            string shifted = w.Node("Add", ".shift", w.Node("Sign", ".sign", z).Outputs[0], w.Scalar(".one", 1)).Outputs[0];
            return w.Node("Mul", "", shifted, w.Scalar(".half", 0.5)).Outputs[0];
        }),
        new(Activation.Sign, OnnxMatch.ByValue, (w, z) => Single(w, "Sign", z)),
        new(Activation.Softmax, OnnxMatch.SoftmaxNode, (w, z) =>
        {
            OnnxNode node = w.Node("Softmax", "", z);
            node.Attributes.Add(new OnnxAttribute { Name = "axis", Type = OnnxAttribute.TypeInt, I = -1 });
            return node.Outputs[0];
        }),
    };

    /// <summary>Every entry, in the order of the enum's values.</summary>
    public static IReadOnlyList<OnnxActivation> All => Table;

    /// <summary>Said after an import error whose graph computes the exact GELU (Erf, or Gelu without approximate="tanh").</summary>
    public const string ExactGeluHint = " NetGen's GELU is the tanh approximation: export nn.GELU(approximate='tanh').";

    /// <summary>The ONNX form of <paramref name="activation"/>.</summary>
    /// <exception cref="NotSupportedException">A value that is no member of <see cref="Activation"/>.</exception>
    public static OnnxActivation Of(Activation activation)
    {
        int index = (int)activation;
        return index >= 0 && index < Table.Length
            ? Table[index]
            : throw new NotSupportedException($"Activation {activation} has no ONNX form in this version of NetGen.");
    }

    private static string Single(IOnnxActivationWriter w, string opType, string z) => w.Node(opType, "", z).Outputs[0];

    private static string WithAlpha(IOnnxActivationWriter w, string opType, string z)
    {
        OnnxNode node = w.Node(opType, "", z);
        node.Attributes.Add(new OnnxAttribute { Name = "alpha", Type = OnnxAttribute.TypeFloat, F = (float)w.Alpha });
        return node.Outputs[0];
    }

    /// <summary>Where(z &gt; 0, <paramref name="positive"/>, <paramref name="negative"/>).</summary>
    private static string Where(IOnnxActivationWriter w, string z, string positive, string negative) =>
        w.Node("Where", "", w.Node("Greater", ".positive", z, w.Scalar(".zero", 0)).Outputs[0], positive, negative).Outputs[0];

    private static string ExpMinusOne(IOnnxActivationWriter w, string z) =>
        w.Node("Sub", ".expm1", w.Node("Exp", ".exp", z).Outputs[0], w.Scalar(".one", 1)).Outputs[0];

    /// <summary>0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))) in the generated code's operation order.</summary>
    private static string Gelu(IOnnxActivationWriter w, string z)
    {
        string c = w.Scalar(".c", ActivationTable.GeluCubic), k = w.Scalar(".k", ActivationTable.GeluSqrtTwoOverPi);
        string one = w.Scalar(".one", 1), half = w.Scalar(".half", 0.5);
        string cz = w.Node("Mul", ".cz", c, z).Outputs[0];
        string czz = w.Node("Mul", ".czz", cz, z).Outputs[0];
        string czzz = w.Node("Mul", ".czzz", czz, z).Outputs[0];
        string inner = w.Node("Add", ".inner", z, czzz).Outputs[0];
        string scaled = w.Node("Mul", ".scaled", k, inner).Outputs[0];
        string tanh = w.Node("Tanh", ".tanh", scaled).Outputs[0];
        string onePlus = w.Node("Add", ".oneplus", one, tanh).Outputs[0];
        string halfZ = w.Node("Mul", ".halfz", half, z).Outputs[0];
        return w.Node("Mul", "", halfZ, onePlus).Outputs[0];
    }
}
