using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.Runtime.Tests.ModelFiles;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Fuzz;

/// <summary>
/// 10,000 damaged NetGen model files (seeded) of each version, without and with a standardizer section: byte flips,
/// truncations, insertions, deletions, appended data, forged length and count fields, and the same damage with the
/// checksum repaired so that the checks behind it are reached.
/// </summary>
public sealed class ModelFileFuzzTests : IDisposable
{
    private const int Cases = 10_000;
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-fuzz-model-").FullName;

    public ModelFileFuzzTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DamagedModelFilesFailWithInvalidDataOnlyAndChangeNothing(bool withStandardizer)
    {
        var source = new SavedNet(seed: 1);
        var stream = new MemoryStream();
        Standardizer statistics = StandardizerTests.Statistics(SavedNet.InputSize, 3);
        ModelFile.Save(source, stream, withStandardizer ? statistics : null);
        byte[] good = stream.ToArray();
        float[] original = source.Parameters.ToArray();
        int parametersAt = 16 + BinaryPrimitives.ReadInt32LittleEndian(good.AsSpan(8));
        int sectionAt = parametersAt + (4 * original.Length);
        Standardizer? loaded = null;
        int standardizersLoaded = 0;

        var ledger = new FuzzLedger();
        var mutator = new Mutator(seed: 8);
        var target = new SavedNet(seed: 2);
        float[] initial = target.Parameters.ToArray();
        string path = Path.Combine(_directory, "fuzz.ngm");
        for (int i = 0; i < Cases; i++)
        {
            byte[] damaged;
            string kind;
            bool repairChecksum = mutator.Random.Next(4) == 0;
            if (mutator.Random.Next(5) == 0)
            {
                // Forge one of the size fields: the fingerprint length (offset 8), the parameter count, and with a
                // standardizer the section count, the section length and the feature count.
                damaged = (byte[])good.Clone();
                int[] fields = withStandardizer ? new[] { 8, parametersAt - 4, sectionAt, sectionAt + 12, sectionAt + 16 } : new[] { 8, parametersAt - 4 };
                string[] names = { "fingerprint length", "parameter count", "section count", "section length", "feature count" };
                int pick = mutator.Random.Next(fields.Length);
                BinaryPrimitives.WriteInt32LittleEndian(damaged.AsSpan(fields[pick]), (int)mutator.AnyInteresting());
                kind = "forged " + names[pick];
            }
            else
            {
                damaged = mutator.Mutate(good, out kind);
            }

            if (repairChecksum && damaged.Length >= 4)
            {
                ModelFileTests.FixChecksum(damaged);
            }

            // With a repaired checksum a change inside the parameters is a valid file with other weights: expect
            // exactly the values it holds. Otherwise a successful load must give the original weights.
            float[]? expected = original;
            if (repairChecksum && damaged.Length == good.Length && damaged.AsSpan(0, parametersAt).SequenceEqual(good.AsSpan(0, parametersAt)))
            {
                expected = new float[original.Length];
                Buffer.BlockCopy(damaged, parametersAt, expected, 0, expected.Length * 4);
            }

            string label = $"case {i} ({kind}{(repairChecksum ? ", checksum repaired" : "")})";
            loaded = null;
            if (i % 20 == 0)
            {
                File.WriteAllBytes(path, damaged);
                FuzzCase.Run(ledger, label + " from a file", damaged.Length, target, () => ModelFile.Load(target, path, out loaded), expected, typeof(InvalidDataException));
            }
            else
            {
                bool forwardOnly = i % 3 == 0;
                FuzzCase.Run(ledger, label, damaged.Length, target, () => ModelFile.Load(target, FuzzCase.Open(damaged, forwardOnly), out loaded), expected, typeof(InvalidDataException));
            }

            // A standardizer that loads from intact section bytes is the saved one; any standardizer that loads is usable.
            if (loaded is not null)
            {
                standardizersLoaded++;
                if (!withStandardizer && !repairChecksum)
                {
                    ledger.Fail($"{label}: a file saved without a standardizer loaded one");
                }

                if (damaged.Length == good.Length && damaged.AsSpan(sectionAt, good.Length - 4 - sectionAt).SequenceEqual(good.AsSpan(sectionAt, good.Length - 4 - sectionAt))
                    && !(loaded.Means.SequenceEqual(statistics.Means) && loaded.Deviations.SequenceEqual(statistics.Deviations)))
                {
                    ledger.Fail($"{label}: loaded a standardizer that differs from the file's");
                }

                if (loaded.FeatureCount != SavedNet.InputSize || loaded.Deviations.Any(d => !(d > 0) || double.IsInfinity(d)) || loaded.Means.Any(m => !double.IsFinite(m)))
                {
                    ledger.Fail($"{label}: loaded an unusable standardizer");
                }
            }

            initial.CopyTo(target.Parameters); // a successful load changed them; the next case starts from the same state
        }

        ledger.Report(_output, withStandardizer ? "ModelFile.Load (version 2, with a standardizer)" : "ModelFile.Load", Cases);
        _output.WriteLine($"{standardizersLoaded} loads returned a standardizer");
        Assert.True(!withStandardizer || standardizersLoaded > 0, "no damaged file with a standardizer ever loaded: the success path was not reached");
    }
}
