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
}
