using System;

namespace NetGen;

/// <summary>Fills weight matrices according to an <see cref="Init"/> scheme. Generated <c>Initialize</c> methods call this.</summary>
public static class WeightInitializer
{
    /// <summary>Fills <paramref name="weights"/> (a [fanOut, fanIn] matrix) with draws from <paramref name="init"/>.</summary>
    public static void Fill(Span<float> weights, Init init, int fanIn, int fanOut, ref SeededRandom random)
    {
        (bool normal, double scale) = Distribution(init, fanIn, fanOut);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)Draw(normal, scale, ref random);
        }
    }

    /// <summary>Fills <paramref name="weights"/> (a [fanOut, fanIn] matrix) with draws from <paramref name="init"/>.</summary>
    public static void Fill(Span<double> weights, Init init, int fanIn, int fanOut, ref SeededRandom random)
    {
        (bool normal, double scale) = Distribution(init, fanIn, fanOut);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = Draw(normal, scale, ref random);
        }
    }

    /// <summary>
    /// The distribution of <paramref name="init"/>: for a uniform one the bound b of U(-b, b), for a normal one the
    /// standard deviation. <see cref="Init.Zeros"/> gives a uniform of bound 0.
    /// </summary>
    public static (bool Normal, double Scale) Distribution(Init init, int fanIn, int fanOut)
    {
        if (fanIn <= 0 || fanOut <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fanIn), $"Fan-in and fan-out must be positive (got {fanIn} and {fanOut}).");
        }

        double sum = (double)fanIn + fanOut;
        return init switch
        {
            Init.FanInUniform => (false, 1.0 / Math.Sqrt(fanIn)),
            Init.GlorotUniform => (false, Math.Sqrt(6.0 / sum)),
            Init.GlorotNormal => (true, Math.Sqrt(2.0 / sum)),
            Init.HeUniform => (false, Math.Sqrt(6.0 / fanIn)),
            Init.HeNormal => (true, Math.Sqrt(2.0 / fanIn)),
            Init.LeCunUniform => (false, Math.Sqrt(3.0 / fanIn)),
            Init.LeCunNormal => (true, Math.Sqrt(1.0 / fanIn)),
            Init.Zeros => (false, 0.0),
            _ => throw new ArgumentOutOfRangeException(nameof(init), init, "Resolve Init.Default to a concrete scheme before filling."),
        };
    }

    private static double Draw(bool normal, double scale, ref SeededRandom random) =>
        normal ? scale * random.NextNormal() : scale * ((2.0 * random.NextDouble()) - 1.0);
}
