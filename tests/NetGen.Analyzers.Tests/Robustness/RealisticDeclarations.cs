using System.Collections.Generic;

namespace NetGen.Analyzers.Tests.Robustness;

/// <summary>Declarations as users write them, for the typing-robustness test to cut and mutate.</summary>
public static class RealisticDeclarations
{
    public static IReadOnlyList<string> All { get; } = new[]
    {
        """
        using NetGen;
        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 1e-3)]
        [Input(784)]
        [Dense(256, Activation.ReLU, Init = Init.HeNormal)]
        [Dropout(0.2)]
        [Dense(128, Activation.ReLU)]
        [Dense(10, Activation.Softmax)]
        public partial class FashionNet { }
        """,
        """
        using NetGen;
        namespace Risky;
        [Network(Loss = Loss.MeanSquaredError, Optimizer = Optimizer.Sgd, Momentum = 0.9, Nesterov = true)]
        [Input(30)]
        [Dense(64, Activation.Sigmoid, Init = Init.GlorotUniform)]
        [Dense(64, Activation.Sigmoid)]
        [Dense(64, Activation.Sigmoid)]
        [Dense(64, Activation.Sigmoid)]
        [Dense(10, Activation.Softmax)]
        public partial class SigmoidStack { }
        """,
        """
        using NetGen;
        namespace Models
        {
            public partial class Outer
            {
                [Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.AdamW, WeightDecay = 0.01, Precision = Precision.Double)]
                [Input(12)]
                [Dense(32, Activation.PReLU, Alpha = 0.25)]
                [Dropout(0.3)]
                [Dense(1, Activation.Sigmoid)]
                internal partial class Churn { }
            }
        }
        """,
        """
        using System;
        using NetGen;
        [Input(16)]
        [Dense(32, Activation.LeakyReLU, Alpha = 0.1, Bias = false)]
        [Dense(4, Activation.Softmax)]
        public partial class Tiny { }
        public static class Use
        {
            public static void Run(Tiny net, float[] rows)
            {
                Span<float> output = stackalloc float[4];
                net.Predict(new float[16], output);
                for (int i = 0; i < rows.Length / 16; i++)
                {
                    net.Predict(rows.AsSpan(i * 16, 16), output);
                }
                net.PredictBatch(rows, new float[rows.Length / 4]);
            }
        }
        """,
        """
        using NetGen;
        [Network(Loss = Loss.Huber, Optimizer = Optimizer.RmsProp, LearningRate = 0.01)]
        [Input(8)]
        [Dense(64, Activation.SELU, Init = Init.LeCunNormal)]
        [Dense(64, Activation.SELU)]
        [Dense(1)]
        public partial class Regressor { }
        """,
        """
        using NetGen;
        [Network(Loss = Loss.MeanAbsoluteError)]
        [Input(100)]
        [Dropout(0.5)]
        [Dense(30, Activation.ELU, Alpha = 1.0)]
        [Dense(30, Activation.GELU)]
        [Dense(30, Activation.SiLU)]
        [Dense(1, Activation.ReLU)]
        public partial class Mixed { }
        """,
        """
        using NetGen;
        [Input(2)]
        [Dense(2, Activation.Step)]
        [Dense(1, Activation.Sign)]
        public sealed partial class Perceptron { }
        """,
        """
        using NetGen;
        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.5)]
        [Input(64)]
        [Dense(8, Activation.Tanh, Init = Init.HeUniform)]
        [Dense(10, Activation.Sigmoid)]
        public partial class Digits { }
        """,
        """
        using NetGen;
        [Network(Loss = Loss.CrossEntropy)]
        [Input(32), Dense(32, Activation.Linear), Dense(1, Activation.Softmax)]
        public partial record Compact { }
        """,
        """
        using NetGen;
        [Network(Loss = Loss.MeanSquaredError, LearningRate = -0.01)]
        [Input(48)]
        [Dense(48, Activation.Softplus, Init = Init.Zeros)]
        [Dense(48, Activation.PiecewiseLinear)]
        [Dense(48, Activation.Softmax)]
        [Dense(2, Activation.Tanh)]
        public partial class Odd { }
        """,
        """
        using NetGen;
        using System;
        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
        [Input(4)]
        [Dense(16, Activation.ReLU)]
        [Dense(3, Activation.Softmax)]
        public partial class Iris
        {
            public int Classify(float[] features) => PredictClass(features);
            public float Step(float[] x, int[] labels) => TrainBatch(new float[5], labels);
        }
        """,
        """
        using NetGen;
        [Network(Loss = Loss.BinaryCrossEntropy)]
        [Input(24)]
        [Dense(24, Activation.ReLU, Init = Init.GlorotNormal)]
        [Dense(24, Activation.ReLU, Init = Init.GlorotNormal)]
        [Dense(24, Activation.ReLU, Init = Init.GlorotNormal)]
        [Dropout(0.9)]
        [Dense(5, Activation.Softmax)]
        public class NotPartial { }
        """,
    };
}
