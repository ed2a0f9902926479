using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Rules;

/// <summary>NG2002-NG2003: calls to the generated members.</summary>
public sealed class CallRuleTests
{
    private const string Network = """
        using System;
        using NetGen;

        namespace Sample;

        [Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Adam)]
        [Input(16)]
        [Dense(32, Activation.ReLU)]
        [Dense(4, Activation.Softmax)]
        public partial class Classifier { }

        """;

    [Fact]
    public async Task NG2002_fires_for_constant_lengths_that_do_not_fit()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Network + """
            public static class Use
            {
                public static void Run(Classifier net, float[] rows)
                {
                    net.Predict({|NG2002:new float[3]|}, {|NG2002:stackalloc float[5]|});
                    Span<float> probabilities = stackalloc float[4];
                    float[] tooShort = new float[15];
                    net.Predict({|NG2002:tooShort|}, probabilities);
                    net.PredictBatch(new float[32], {|NG2002:new float[12]|});
                    net.TrainBatch({|NG2002:new float[20]|}, new int[1]);
                }
            }
            """);
        string message = result.NetGen.Last().GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("'inputs' of Classifier.TrainBatch has length 20, but it must hold whole rows: a multiple of InputSize 16", message);
        Assert.Contains("2 input rows need 2 x OutputSize 4 = 8", result.NetGen[3].GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG2002_quiet_for_fitting_constants_unknown_lengths_and_reassigned_locals() =>
        await NetGenAnalysis.VerifyAsync(Network + """
            public static class Use
            {
                public static void Run(Classifier net, float[] rows, bool wide)
                {
                    Span<float> probabilities = stackalloc float[Classifier.OutputSize];
                    net.Predict(new float[16], probabilities);
                    net.Predict(rows, new float[4]);
                    float[] input = new float[3];
                    if (wide)
                    {
                        input = new float[16];
                    }

                    net.Predict(input, probabilities);
                    net.PredictBatch(new float[48], new float[12]);
                    net.TrainBatch(new float[32], new int[2]);
                }
            }
            """);

    [Fact]
    public async Task NG2003_fires_for_predict_over_slices_of_one_buffer()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Network + """
            public static class Use
            {
                public static void Run(Classifier net, float[] images, float[] scores, int rows)
                {
                    for (int row = 0; row < rows; row++)
                    {
                        {|NG2003:net.Predict(images.AsSpan(row * Classifier.InputSize, Classifier.InputSize), scores.AsSpan(row * 4, 4))|};
                    }

                    ReadOnlySpan<float> all = images;
                    foreach (int i in new[] { 0, 1 })
                    {
                        {|NG2003:net.Predict(all.Slice(i * 16, 16), scores.AsSpan(0, 4))|};
                    }
                }
            }
            """);
        Assert.Contains("net.PredictBatch(images, outputs)", result.NetGen.First().GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NG2003_quiet_for_predict_per_separate_array_and_outside_loops() =>
        await NetGenAnalysis.VerifyAsync(Network + """
            public static class Use
            {
                public static void Run(Classifier net, float[][] images, float[] buffer, float[] scores)
                {
                    foreach (float[] image in images)
                    {
                        net.Predict(image, scores);
                    }

                    net.Predict(buffer.AsSpan(16, 16), scores);
                    for (int i = 0; i < 2; i++)
                    {
                        net.Predict(images[i].AsSpan(0, 16), scores);
                    }
                }
            }
            """);
}
