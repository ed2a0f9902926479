using NetGen;

namespace NetGen.Bench;

/// <summary>Seeded test data shared by the bench's probes.</summary>
internal static class BenchData
{
    /// <summary><paramref name="count"/> floats drawn uniformly from [low, high) by <see cref="SeededRandom"/>.</summary>
    public static float[] Uniform(int count, int seed, float low, float high)
    {
        var random = new SeededRandom(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + ((high - low) * (float)random.NextDouble());
        }

        return values;
    }
}
