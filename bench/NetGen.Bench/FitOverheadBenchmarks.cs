using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Bench;

/// <summary>
/// Trainer.Fit against a bare loop of TrainBatch calls on the same batches (issue 11, item 5): one epoch of 4,096
/// rows in batches of 64 of 784 -> 256 -> 128 -> 10 with Adam. Fit runs without validation, early stopping or the
/// dead-unit probe, once with its after-epoch scoring of the training rows and once without
/// (<see cref="TrainingOptions.EvaluateTrainingSet"/> = false), so the ratio shows what the divergence guard and the
/// per-batch bookkeeping cost. <c>dotnet run -c Release --project bench/NetGen.Bench -- --filter *FitOverhead*</c>
/// </summary>
[MemoryDiagnoser]
public class FitOverheadBenchmarks
{
    private const int Rows = 4096;
    private const int BatchSize = 64;
    private readonly float[] _features = new float[Rows * 784];
    private readonly int[] _labels = new int[Rows];
    private readonly int[] _order = new int[Rows];
    private readonly float[] _batchInputs = new float[BatchSize * 784];
    private readonly int[] _batchLabels = new int[BatchSize];
    private Dataset<float> _data = null!;
    private BenchNetwork _network = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(21);
        for (int i = 0; i < _features.Length; i++)
        {
            _features[i] = (float)random.NextDouble();
        }

        for (int i = 0; i < Rows; i++)
        {
            _labels[i] = i % 10;
            _order[i] = i;
        }

        _data = Dataset<float>.FromLabels(_features, 784, _labels, 10);
        _network = new BenchNetwork(seed: 1) { LearningRate = 1e-6f }; // the weights stay near their start across iterations
    }

    [Benchmark(Baseline = true, Description = "bare TrainBatch loop, shuffled batches")]
    public void BareLoop()
    {
        var shuffle = new SeededRandom(3, stream: 1);
        shuffle.Shuffle(_order.AsSpan());
        for (int start = 0; start < Rows; start += BatchSize)
        {
            for (int k = 0; k < BatchSize; k++)
            {
                _features.AsSpan(_order[start + k] * 784, 784).CopyTo(_batchInputs.AsSpan(k * 784));
                _batchLabels[k] = _labels[_order[start + k]];
            }

            _network.TrainBatch(_batchInputs, _batchLabels);
        }
    }

    [Benchmark(Description = "Trainer.Fit, 1 epoch, scoring the training rows after it")]
    public TrainingResult FitWithTrainingScores() => Trainer.Fit(_network, _data, new TrainingOptions
    {
        Epochs = 1, BatchSize = BatchSize, ValidationSplit = 0, EarlyStoppingPatience = 0, DeadUnitSampleRows = 0,
    });

    [Benchmark(Description = "Trainer.Fit, 1 epoch, EvaluateTrainingSet = false")]
    public TrainingResult FitWithoutTrainingScores() => Trainer.Fit(_network, _data, new TrainingOptions
    {
        Epochs = 1, BatchSize = BatchSize, ValidationSplit = 0, EarlyStoppingPatience = 0, DeadUnitSampleRows = 0, EvaluateTrainingSet = false,
    });
}
