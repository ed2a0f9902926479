using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Bench;

/// <summary>784 -> 256 -> 128 -> 10 on PyTorch's weights: generated code against hand-written baselines and ONNX Runtime.</summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private readonly float[] _input = new float[BenchNetwork.InputSize];
    private readonly float[] _output = new float[BenchNetwork.OutputSize];
    private readonly float[] _batch = new float[64 * BenchNetwork.InputSize];
    private readonly float[] _batchOutput = new float[64 * BenchNetwork.OutputSize];
    private BenchNetwork _network = null!;
    private Baselines _baselines = null!;
    private OnnxPeer _ort1 = null!;
    private OnnxPeer _ort64 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _network = Models.Load(new BenchNetwork(), "mnist");
        var random = new SeededRandom(5);
        for (int i = 0; i < _batch.Length; i++)
        {
            _batch[i] = (float)random.NextDouble();
        }

        _batch.AsSpan(0, _input.Length).CopyTo(_input);
        _baselines = new Baselines(_network.Parameters.ToArray(), new[] { 784, 256, 128, 10 }, tanh: false, softmax: true);
        _ort1 = new OnnxPeer(Models.Onnx("mnist"), 1, 784, 10);
        _ort64 = new OnnxPeer(Models.Onnx("mnist"), 64, 784, 10);
        _input.CopyTo(_ort1.Input, 0);
        _batch.CopyTo(_ort64.Input, 0);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ort1.Dispose();
        _ort64.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Scalar loops (hand-written)")]
    public void Scalar() => _baselines.PredictScalar(_input, _output);

    [Benchmark(Description = "TensorPrimitives (hand-written)")]
    public void TensorPrimitivesDot() => _baselines.PredictTensorPrimitives(_input, _output);

    [Benchmark(Description = "ONNX Runtime, 1 row")]
    public void Onnx1() => _ort1.Run();

    [Benchmark(Description = "NetGen Predict")]
    public void NetGenPredict() => _network.Predict(_input, _output);

    [Benchmark(Description = "ONNX Runtime, 64 rows (per row)", OperationsPerInvoke = 64)]
    public void Onnx64() => _ort64.Run();

    [Benchmark(Description = "NetGen PredictBatch, 64 rows (per row)", OperationsPerInvoke = 64)]
    public void NetGenPredictBatch() => _network.PredictBatch(_batch, _batchOutput);
}
