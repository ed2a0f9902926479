using BenchmarkDotNet.Attributes;

namespace NetGen.Bench;

/// <summary>One Adam step: 32 rows of 784 -> 256 -> 128 -> 10, and all 10,000 rows of SimpleChains' 4-32-16-4 tanh.</summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private readonly float[] _inputs = new float[32 * BenchNetwork.InputSize];
    private readonly int[] _labels = new int[32];
    private readonly float[] _scInputs = new float[10_000 * 4];
    private readonly float[] _scTargets = new float[10_000 * 4];
    private BenchNetwork _network = null!;
    private SimpleChainsNetwork _sc = null!;

    [GlobalSetup]
    public void Setup()
    {
        _network = Models.Load(new BenchNetwork(), "mnist");
        _sc = Models.Load(new SimpleChainsNetwork(), "sc4");
        var random = new SeededRandom(6);
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = (float)random.NextDouble();
        }

        for (int i = 0; i < _labels.Length; i++)
        {
            _labels[i] = i % 10;
        }

        for (int i = 0; i < _scInputs.Length; i++)
        {
            _scInputs[i] = (float)random.NextUniform(-1, 1);
            _scTargets[i] = (float)random.NextUniform(-1, 1);
        }

        _network.LearningRate = 1e-6f; // keep the weights near where they started across iterations
    }

    [Benchmark(Description = "NetGen TrainBatch, 32 rows")]
    public float TrainBatch() => _network.TrainBatch(_inputs, _labels);

    [Benchmark(Description = "NetGen TrainBatch, SimpleChains 4-32-16-4, 10,000 rows")]
    public float SimpleChainsStep() => _sc.TrainBatch(_scInputs, _scTargets);
}
