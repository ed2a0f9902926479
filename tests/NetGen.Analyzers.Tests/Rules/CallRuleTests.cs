using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using NetGen.Analyzers.Tests.Harness;

namespace NetGen.Analyzers.Tests.Rules;

/// <summary>NG2002-NG2004: calls to the generated members.</summary>
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

    private const string Untrainable = """
        using System;
        using NetGen;

        namespace Sample;

        [Network(Optimizer = Optimizer.Adam)]
        [Input(16)]
        [Dense(32, Activation.ReLU)]
        [Dense(4, Activation.Softmax)]
        public partial class Inference { }

        """;

    [Fact]
    public async Task NG2004_fires_on_training_members_and_Fit_of_a_network_without_a_loss()
    {
        AnalysisResult result = await NetGenAnalysis.VerifyAsync(Untrainable + """
            public static class Use
            {
                public static void Run(Inference net, Dataset<float> data, float[] rows)
                {
                    net.{|NG2004:TrainBatch|}(rows, new int[1]);
                    net.{|NG2004:LearningRate|} = 0.1f;
                    Trainer.Fit({|NG2004:net|}, data);
                    net.Predict(rows, new float[4]);
                }
            }
            """, mustCompile: false);
        string message = result.NetGen[0].GetMessage(CultureInfo.InvariantCulture);
        Assert.Equal(
            "'Inference' has no TrainBatch: it is declared without a Loss, so NetGen generates only its inference members. Set Loss on its [Network] attribute " +
            "(for its Softmax output: [Network(Loss = Loss.CrossEntropy)]) to generate TrainBatch, ComputeGradients and the other training members and make it an ITrainableNetwork.",
            message);
        Assert.Contains("has no training members (Trainer.Fit takes an ITrainableNetwork)", result.NetGen[2].GetMessage(CultureInfo.InvariantCulture));
        Assert.Contains(result.Compiler, d => d.Id == "CS1061");
        Assert.Contains(result.Compiler, d => d.Id == "CS1503");
    }

    [Fact]
    public async Task NG2004_quiet_for_trainable_networks_own_members_and_other_types() =>
        await NetGenAnalysis.VerifyAsync(Network + """
            [Input(16)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Scorer
            {
                public double LearningRate { get; set; }

                public void TrainBatch(float[] rows) { }
            }

            public sealed class Other
            {
                public void TrainBatch(float[] rows) { }
            }

            public static class Use
            {
                public static void Run(Classifier net, Scorer scorer, Other other, Dataset<float> data, float[] rows)
                {
                    net.TrainBatch(new float[16], new int[1]);
                    net.LearningRate = 0.1f;
                    Trainer.Fit(net, data);
                    scorer.TrainBatch(rows);
                    scorer.LearningRate = 1;
                    other.TrainBatch(rows);
                }
            }
            """);
}
