using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Bench;

/// <summary>One row through 784 -> 256 -> 128 -> 10: generated code against hand-written baselines on the same weights.</summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private readonly BenchNetwork _network = new(seed: 1);
    private readonly float[] _input = new float[BenchNetwork.InputSize];
    private readonly float[] _output = new float[BenchNetwork.OutputSize];
    private readonly float[] _batch = new float[64 * BenchNetwork.InputSize];
    private readonly float[] _batchOutput = new float[64 * BenchNetwork.OutputSize];
    private Baselines _baselines = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(5);
        for (int i = 0; i < _batch.Length; i++)
        {
            _batch[i] = (float)random.NextDouble();
        }

        _batch.AsSpan(0, _input.Length).CopyTo(_input);
        _baselines = new Baselines(_network.Parameters.ToArray());
    }

    [Benchmark(Baseline = true, Description = "Scalar loops (hand-written)")]
    public void Scalar() => _baselines.PredictScalar(_input, _output);

    [Benchmark(Description = "TensorPrimitives (hand-written)")]
    public void TensorPrimitivesDot() => _baselines.PredictTensorPrimitives(_input, _output);

    [Benchmark(Description = "NetGen Predict")]
    public void NetGenPredict() => _network.Predict(_input, _output);

    [Benchmark(Description = "NetGen Predict x 64 rows (per row)", OperationsPerInvoke = 64)]
    public void NetGenPredictLoop()
    {
        for (int row = 0; row < 64; row++)
        {
            _network.Predict(_batch.AsSpan(row * BenchNetwork.InputSize, BenchNetwork.InputSize), _batchOutput.AsSpan(row * BenchNetwork.OutputSize, BenchNetwork.OutputSize));
        }
    }

    [Benchmark(Description = "NetGen PredictBatch, 64 rows (per row)", OperationsPerInvoke = 64)]
    public void NetGenPredictBatch() => _network.PredictBatch(_batch, _batchOutput);
}
