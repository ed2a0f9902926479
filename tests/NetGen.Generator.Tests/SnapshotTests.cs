using System.Linq;
using NetGen.Generator.Tests.Infrastructure;

namespace NetGen.Generator.Tests;

/// <summary>The generated code is part of the product: each scenario's output is kept in Snapshots/ for review.</summary>
public class SnapshotTests
{
    /// <summary>The example network of the project (784-256-128-10 with dropout, as samples/FashionMnist trains it).</summary>
    public const string FashionNet = """
        using NetGen;

        namespace Samples;

        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3)]
        [Input(784)]
        [Dense(256, Activation.ReLU, Init = Init.HeNormal)]
        [Dropout(0.2)]
        [Dense(128, Activation.ReLU)]
        [Dense(10, Activation.Softmax)]
        public partial class FashionNet { }
        """;

    private static string GenerateOne(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Problems);
        return Assert.Single(run.Sources).Value;
    }

    [Fact]
    public void DesignExample() => Snapshot.Verify("FashionNet", GenerateOne(FashionNet));

    [Fact]
    public void DoublePrecisionRegressorWithSgdMomentum() => Snapshot.Verify("DoubleRegressor", GenerateOne("""
        using NetGen;

        namespace Models.Regression;

        [Network(Loss = Loss.Huber, Optimizer = Optimizer.Sgd, LearningRate = 0.05, Momentum = 0.9, Nesterov = true, Precision = Precision.Double)]
        [Input(13)]
        [Dense(17, Activation.ELU, Alpha = 0.5)]
        [Dense(1, Activation.Linear)]
        public partial class DoubleRegressor { }
        """));

    [Fact]
    public void EveryActivationWithOddSizes() => Snapshot.Verify("EveryActivation", GenerateOne("""
        using NetGen;

        [Input(3)]
        [Dense(7, Activation.Linear)]
        [Dense(9, Activation.Sigmoid)]
        [Dense(17, Activation.Tanh)]
        [Dense(33, Activation.ReLU)]
        [Dense(1, Activation.LeakyReLU)]
        [Dense(3, Activation.PReLU)]
        [Dense(7, Activation.ELU)]
        [Dense(9, Activation.SELU)]
        [Dense(17, Activation.Softplus)]
        [Dense(33, Activation.GELU)]
        [Dense(1, Activation.SiLU)]
        [Dense(3, Activation.PiecewiseLinear)]
        [Dense(7, Activation.Step)]
        [Dense(9, Activation.Sign)]
        [Dense(4, Activation.Softmax)]
        public partial class EveryActivation { }
        """));

    [Fact]
    public void BinaryClassifierWithPReLUNoBiasAndRmsProp() => Snapshot.Verify("BinaryPReLU", GenerateOne("""
        using NetGen;

        namespace Models;

        [Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.RmsProp)]
        [Input(30)]
        [Dropout(0.1)]
        [Dense(16, Activation.PReLU, Alpha = 0.1, Bias = false)]
        [Dense(1, Activation.Sigmoid)]
        public partial class BinaryPReLU { }
        """));

    [Fact]
    public void NestedInNamespaceAndClasses() => Snapshot.Verify("Nested", GenerateOne("""
        using NetGen;

        namespace Company.Product
        {
            public static partial class Models
            {
                internal partial record Inner
                {
                    [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.AdamW)]
                    [Input(4)]
                    [Dense(8, Activation.SiLU)]
                    [Dense(2)]
                    private sealed partial class Tiny { }
                }
            }
        }
        """));

    [Fact]
    public void GlobalNamespace() => Snapshot.Verify("GlobalNamespace", GenerateOne("""
        [NetGen.Input(2)]
        [NetGen.Dense(1, NetGen.Activation.Sigmoid)]
        partial class Perceptron { }
        """));

    [Fact]
    public void Int8InferenceWeights() => Snapshot.Verify("Int8Weights", GenerateOne("""
        using NetGen;

        namespace Samples;

        [Network(WeightPrecision = WeightPrecision.Int8)]
        [Input(13)]
        [Dense(20, Activation.PReLU)]
        [Dense(3, Activation.Softmax)]
        public partial class TabularInt8 { }
        """));

    [Fact]
    public void DesignExampleIsShortAndDoesNotGrowWithTheWeights()
    {
        string small = GenerateOne(FashionNet);
        string wide = GenerateOne(FashionNet.Replace("Dense(256", "Dense(2560").Replace("Dense(128", "Dense(1280"));
        int lines = small.Split('\n').Length;
        Assert.InRange(lines, 100, 999);
        Assert.Equal(lines, wide.Split('\n').Length);
        Assert.Contains("///     1  Dense           256  ReLU", small);
    }

    [Fact]
    public void OutputIsDeterministic()
    {
        string first = GenerateOne(FashionNet);
        Assert.Equal(first, GenerateOne(FashionNet));
        Assert.DoesNotContain("\r", first);
    }

    [Fact]
    public void HintNameIsNamespaceTypeNetGen()
    {
        GeneratorRun run = GeneratorHarness.Run(FashionNet);
        Assert.Equal("Samples.FashionNet.NetGen.g.cs", run.Sources.Keys.Single());
    }
}
