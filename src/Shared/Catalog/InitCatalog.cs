using System.Globalization;

namespace NetGen.SourceGeneration;

/// <summary>The weight variance each initialiser draws from, its family, and how comments describe it.</summary>
internal static class InitCatalog
{
    public static bool IsGlorot(Init init) => init is Init.GlorotUniform or Init.GlorotNormal;

    public static bool IsHe(Init init) => init is Init.HeUniform or Init.HeNormal;

    /// <summary>Var(w) for a layer of <paramref name="fanIn"/> inputs and <paramref name="fanOut"/> units.</summary>
    public static double Variance(Init init, int fanIn, int fanOut) => init switch
    {
        Init.FanInUniform => 1.0 / (3.0 * fanIn),
        Init.GlorotUniform or Init.GlorotNormal => 2.0 / ((double)fanIn + fanOut),
        Init.HeUniform or Init.HeNormal => 2.0 / fanIn,
        Init.LeCunUniform or Init.LeCunNormal => 1.0 / fanIn,
        _ => 0.0,
    };

    /// <summary>The Glorot initialiser of the same shape (uniform or normal) as a He one, for the NG1002 fix.</summary>
    public static Init GlorotCounterpart(Init he) => he == Init.HeNormal ? Init.GlorotNormal : Init.GlorotUniform;

    /// <summary>The distribution in words, for the generated comments: "He normal, N(0, 2/784)".</summary>
    public static string Describe(Init init, int fanIn, int fanOut)
    {
        string i = fanIn.ToString(CultureInfo.InvariantCulture);
        string sum = ((long)fanIn + fanOut).ToString(CultureInfo.InvariantCulture);
        return init switch
        {
            Init.FanInUniform => $"U(±1/sqrt({i}))",
            Init.GlorotUniform => $"Glorot uniform, U(±sqrt(6/{sum}))",
            Init.GlorotNormal => $"Glorot normal, N(0, 2/{sum})",
            Init.HeUniform => $"He uniform, U(±sqrt(6/{i}))",
            Init.HeNormal => $"He normal, N(0, 2/{i})",
            Init.LeCunUniform => $"LeCun uniform, U(±sqrt(3/{i}))",
            Init.LeCunNormal => $"LeCun normal, N(0, 1/{i})",
            _ => "zeros",
        };
    }
}
