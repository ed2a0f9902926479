using System;
using System.Numerics;
using System.Runtime.InteropServices;

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
    /// Initialises every dense layer of a network as <paramref name="info"/> describes it (generated <c>Initialize</c>
    /// methods call this): the layer at position n (1 for the first after the input) draws its weights from its
    /// <see cref="LayerInfo.Init"/> with stream n of <paramref name="seed"/>, its biases are zero and a learned PReLU
    /// slope starts at its <see cref="LayerInfo.Alpha"/>.
    /// </summary>
    public static void Initialize<T>(Span<T> parameters, NetworkInfo info, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(info);
        for (int i = 0; i < info.Layers.Count; i++)
        {
            LayerInfo layer = info.Layers[i];
            if (layer.Kind != LayerKind.Dense)
            {
                continue;
            }

            var random = new SeededRandom(seed, stream: i + 1);
            Span<T> weights = parameters.Slice(layer.WeightOffset, layer.Units * layer.InputSize);
            if (typeof(T) == typeof(float))
            {
                Fill(MemoryMarshal.Cast<T, float>(weights), layer.Init, layer.InputSize, layer.Units, ref random);
            }
            else if (typeof(T) == typeof(double))
            {
                Fill(MemoryMarshal.Cast<T, double>(weights), layer.Init, layer.InputSize, layer.Units, ref random);
            }
            else
            {
                throw new NotSupportedException($"Networks compute in float or double, not {typeof(T).Name}.");
            }

            if (layer.HasBias)
            {
                parameters.Slice(layer.BiasOffset, layer.Units).Clear();
            }

            if (layer.SlopeOffset >= 0)
            {
                parameters[layer.SlopeOffset] = T.CreateTruncating(layer.Alpha);
            }
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
