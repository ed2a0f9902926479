using System;
using NetGen;

namespace NetGen.Runtime.Tests.TrainerTests;

/// <summary>
/// A hand-written ITrainableNetwork whose behaviour each test scripts: it predicts y = w·x₀ with w = Parameters[0],
/// and TrainBatch applies <see cref="Step"/>, reports <see cref="Gradient"/> and returns <see cref="Loss"/>. Its
/// NetworkInfo has two dense layers (1 -> 2 ReLU, 2 -> 1 Linear), so layer-wise health checks have something to read.
/// </summary>
internal sealed class ScriptedNetwork : ITrainableNetwork<double>
{
    private readonly double[] _parameters = new double[7];
    private readonly double[] _gradients = new double[7];

    public ScriptedNetwork(Loss loss = Loss.MeanSquaredError)
    {
        Info = new NetworkInfo("Scripted", Precision.Double, loss, 1, new[]
        {
            new LayerInfo(LayerKind.Dense, 1, 2, Activation.ReLU, Init.HeNormal, 0, true, 0, 2, -1, 0),
            new LayerInfo(LayerKind.Dense, 2, 1, Activation.Linear, Init.GlorotUniform, 0, true, 4, 6, -1, 0),
        });
        _parameters[0] = 1;
    }

    /// <summary>Called with the 1-based TrainBatch call number; may change the parameters. Returns the batch loss.</summary>
    public Func<int, Span<double>, double> Step { get; set; } = (_, _) => 1.0;

    /// <summary>The gradient TrainBatch reports: its first two entries belong to layer 1's weights, entries 4-5 to layer 3's.</summary>
    public double[] Gradient { get; set; } = { 1, 1, 0, 0, 1, 1, 0 };

    /// <summary>What PredictLayers writes for every unit (layer 1's two units, then layer 2's one).</summary>
    public double LayerOutput { get; set; } = 1;

    public int Calls { get; private set; }

    public int InputSize => 1;

    public int OutputSize => 1;

    public int ParameterCount => 7;

    public NetworkInfo Info { get; }

    public Span<double> Parameters => _parameters;

    public double LearningRate { get; set; } = 0.1;

    public ReadOnlySpan<double> LastGradients => _gradients;

    public int Resets { get; private set; }

    public void Initialize(int seed) => Array.Clear(_parameters);

    public void Predict(ReadOnlySpan<double> input, Span<double> output) => output[0] = _parameters[0] * input[0];

    public void PredictBatch(ReadOnlySpan<double> inputs, Span<double> outputs)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            outputs[i] = _parameters[0] * inputs[i];
        }
    }

    /// <summary>When set, what PredictLayers writes for unit k (0-2, as above) of the row whose input is x: (x, k) -> output.</summary>
    public Func<double, int, double>? UnitOutput { get; set; }

    /// <summary>How many rows PredictLayers has run.</summary>
    public int LayerCalls { get; private set; }

    public void PredictLayers(ReadOnlySpan<double> input, Span<double> activations)
    {
        LayerCalls++;
        for (int k = 0; k < activations.Length; k++)
        {
            activations[k] = UnitOutput is { } f ? f(input[0], k) : LayerOutput;
        }
    }

    public double ComputeGradients(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, Span<double> gradients)
    {
        Gradient.CopyTo(gradients);
        return 1;
    }

    public double TrainBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets) => Train();

    public double TrainBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<int> labels) => Train();

    public void ResetOptimizer() => Resets++;

    public double TrainBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, ReadOnlySpan<double> sampleWeights) => Train();

    public double TrainBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<int> labels, ReadOnlySpan<double> sampleWeights) => Train();

    public Span<double> OptimizerState => default;

    public int OptimizerStep { get; set; }

    public double ClipGradientNorm { get; set; }

    public SeededRandom DropoutRandom { get; set; }

    private double Train()
    {
        Calls++;
        Gradient.CopyTo(_gradients, 0);
        return Step(Calls, _parameters);
    }

    /// <summary>Rows x = 1..n with targets t = 2x: the loss of y = w x is smallest at w = 2.</summary>
    public static Dataset<double> Line(int rows)
    {
        var x = new double[rows];
        var t = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            x[i] = i + 1;
            t[i] = 2 * (i + 1);
        }

        return new Dataset<double>(x, 1, t, 1);
    }
}
