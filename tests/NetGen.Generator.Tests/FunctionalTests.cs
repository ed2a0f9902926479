using System;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>Every activation in both precisions through the sizes 33 -> 17 -> 9 -> 7 -> 3 -> 1, compiled once.</summary>
public sealed class GeneratedNetworks : IDisposable
{
    public static readonly string[] Activations =
    {
        "Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "PReLU", "ELU", "SELU", "Softplus", "GELU", "SiLU", "PiecewiseLinear", "Step", "Sign", "Softmax",
    };

    public static readonly int[] Sizes = { 33, 17, 9, 7, 3, 1 };

    public GeneratedNetworks()
    {
        var source = new StringBuilder("using NetGen;\nnamespace Functional;\n");
        foreach (string precision in new[] { "Single", "Double" })
        {
            foreach (string activation in Activations)
            {
                source.Append($"[Network(Precision = Precision.{precision})] [Input({Sizes[0]})]");
                for (int layer = 1; layer < Sizes.Length; layer++)
                {
                    // Odd layers use the activation under test with a bias; even layers are Tanh without bias, so every path meets both.
                    source.Append(layer % 2 == 1
                        ? $" [Dense({Sizes[layer]}, Activation.{activation}, Alpha = 0.3)]"
                        : $" [Dense({Sizes[layer]}, Activation.Tanh, Bias = false)]");
                }

                source.Append($" public partial class {activation}{precision} {{ }}\n");
            }
        }

        GeneratorRun run = GeneratorHarness.Run(source.ToString());
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Problems);
        Loader = new NetworkLoader(run.Output);
    }

    internal NetworkLoader Loader { get; }

    public void Dispose() => Loader.Dispose();
}

public class FunctionalTests(GeneratedNetworks networks) : IClassFixture<GeneratedNetworks>
{
    private const int Rows = 6; // one tile of four rows in PredictBatch, then two single rows

    public static TheoryData<string> Activations() => new(GeneratedNetworks.Activations);

    [Theory]
    [MemberData(nameof(Activations))]
    [Trait("Category", "VectorWidth")]
    public void SinglePrecisionMatchesTheScalarReference(string activation)
    {
        var net = networks.Loader.Create<INeuralNetwork<float>>($"Functional.{activation}Single", 1);
        double[] parameters = RandomParameters(net.ParameterCount, seed: activation.Length);
        for (int i = 0; i < parameters.Length; i++)
        {
            net.Parameters[i] = (float)parameters[i];
        }

        float[] inputs = RandomInputs(seed: 3).Select(v => (float)v).ToArray();
        float[] batch = new float[Rows * net.OutputSize];
        net.PredictBatch(inputs, batch);
        float[] single = new float[net.OutputSize];
        for (int row = 0; row < Rows; row++)
        {
            double[] expected = ScalarReference.Forward(activation, Array.ConvertAll(net.Parameters.ToArray(), v => (double)v),
                Array.ConvertAll(inputs.AsSpan(row * Sizes0, Sizes0).ToArray(), v => (double)v));
            net.Predict(inputs.AsSpan(row * Sizes0, Sizes0), single);
            for (int k = 0; k < single.Length; k++)
            {
                Assert.True(Math.Abs(single[k] - expected[k]) <= (2e-5 * Math.Abs(expected[k])) + 2e-6,
                    $"{activation}, row {row}, output {k}: generated {single[k]:R}, reference {expected[k]:R}");
                Assert.Equal(single[k], batch[(row * net.OutputSize) + k]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    [Trait("Category", "VectorWidth")]
    public void DoublePrecisionMatchesTheScalarReference(string activation)
    {
        var net = networks.Loader.Create<INeuralNetwork<double>>($"Functional.{activation}Double", 1);
        RandomParameters(net.ParameterCount, seed: activation.Length).CopyTo(net.Parameters);
        double[] inputs = RandomInputs(seed: 4);
        double[] batch = new double[Rows * net.OutputSize];
        net.PredictBatch(inputs, batch);
        double[] single = new double[net.OutputSize];
        for (int row = 0; row < Rows; row++)
        {
            double[] expected = ScalarReference.Forward(activation, net.Parameters.ToArray(), inputs.AsSpan(row * Sizes0, Sizes0).ToArray());
            net.Predict(inputs.AsSpan(row * Sizes0, Sizes0), single);
            for (int k = 0; k < single.Length; k++)
            {
                Assert.True(Math.Abs(single[k] - expected[k]) <= (1e-12 * Math.Abs(expected[k])) + 1e-13,
                    $"{activation}, row {row}, output {k}: generated {single[k]:R}, reference {expected[k]:R}");
                Assert.Equal(single[k], batch[(row * net.OutputSize) + k]);
            }
        }
    }

    [Fact]
    [Trait("Category", "VectorWidth")]
    public void VectorWidthFollowsTheEnvironment()
    {
        // CI reruns the VectorWidth tests with DOTNET_MaxVectorTBitWidth=128 and 512; this proves the rerun changes the width.
        string? width = Environment.GetEnvironmentVariable("DOTNET_MaxVectorTBitWidth");
        int expected = width switch
        {
            "128" => 4,
            "256" => 8,
            "512" => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 16 : 8,
            _ => System.Numerics.Vector<float>.Count,
        };
        Assert.Equal(expected, System.Numerics.Vector<float>.Count);
    }

    [Fact]
    public void InitializeIsDeterministicPerSeedAndFollowsTheInitialiser()
    {
        var a = networks.Loader.Create<INeuralNetwork<double>>("Functional.ReLUDouble", 5);
        var b = networks.Loader.Create<INeuralNetwork<double>>("Functional.ReLUDouble", 5);
        var c = networks.Loader.Create<INeuralNetwork<double>>("Functional.ReLUDouble", 6);
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        Assert.NotEqual(a.Parameters.ToArray(), c.Parameters.ToArray());

        // Layer 1 (ReLU): He normal, N(0, 2/33); 561 draws give the deviation to within a few percent. Biases start at 0.
        LayerInfo first = a.Info.Layers[0];
        double[] weights = a.Parameters.Slice(first.WeightOffset, first.Units * first.InputSize).ToArray();
        double deviation = Math.Sqrt(weights.Select(w => w * w).Average());
        Assert.InRange(deviation / Math.Sqrt(2.0 / 33), 0.9, 1.1);
        Assert.All(a.Parameters.Slice(first.BiasOffset, first.Units).ToArray(), bias => Assert.Equal(0, bias));

        // Layer 2 (Tanh): Glorot uniform, U(±sqrt(6/(17 + 9))).
        LayerInfo second = a.Info.Layers[1];
        double bound = Math.Sqrt(6.0 / (17 + 9));
        double[] glorot = a.Parameters.Slice(second.WeightOffset, second.Units * second.InputSize).ToArray();
        Assert.All(glorot, w => Assert.InRange(w, -bound, bound));
        Assert.True(glorot.Max() > 0.8 * bound && glorot.Min() < -0.8 * bound);

        // PReLU slopes start at Alpha.
        var prelu = networks.Loader.Create<INeuralNetwork<float>>("Functional.PReLUSingle", 1);
        Assert.Equal(0.3f, prelu.Parameters[prelu.Info.Layers[0].SlopeOffset]);
    }

    [Fact]
    public void WrongSpanLengthsThrowWithBothSizes()
    {
        var net = networks.Loader.Create<INeuralNetwork<float>>("Functional.TanhSingle", 1);
        var error = Assert.Throws<ArgumentException>(() => net.Predict(new float[32], new float[1]));
        Assert.Contains("input.Length is 32, expected InputSize = 33", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => net.Predict(new float[33], new float[2]));
        Assert.Contains("output.Length is 2, expected OutputSize = 1", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => net.PredictBatch(new float[66], new float[3]));
        Assert.Contains("2 input rows need 2 x OutputSize 1 = 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => net.PredictBatch(new float[34], new float[1]));
    }

    [Fact]
    public void GeneratedTextDoesNotDependOnTheCulture()
    {
        string Generate() => string.Join("\n", GeneratorHarness.Run(SnapshotTests.FashionNet.Replace("1e-3", "-1e-3").Replace("[Dropout(0.2)]", "[Dropout(0.25)]")
            + "\n[NetGen.Input(2)] [NetGen.Dense(1, NetGen.Activation.LeakyReLU, Alpha = -0.5)] partial class Negative { }").Sources.OrderBy(s => s.Key).Select(s => s.Value));
        string invariant;
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            invariant = Generate();
            var minus = (CultureInfo)CultureInfo.GetCultureInfo("sv-SE").Clone();
            minus.NumberFormat.NegativeSign = "\u2212";
            minus.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = minus;
            Assert.Equal(invariant, Generate());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.Contains("-0.5f", invariant);
        Assert.DoesNotContain("\u2212", invariant);
    }

    private static int Sizes0 => GeneratedNetworks.Sizes[0];

    private static double[] RandomParameters(int count, int seed)
    {
        var random = new SeededRandom(seed, stream: 77);
        return Enumerable.Range(0, count).Select(_ => 0.5 * random.NextNormal()).ToArray();
    }

    private static double[] RandomInputs(int seed)
    {
        var random = new SeededRandom(seed, stream: 78);
        return Enumerable.Range(0, Rows * Sizes0).Select(_ => random.NextNormal()).ToArray();
    }
}
