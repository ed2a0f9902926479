using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.Runtime.Tests.ModelFiles;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Fuzz;

/// <summary>
/// 10,000 damaged NetGen model files (seeded): byte flips, truncations, insertions, deletions, appended data, forged
/// length and count fields, and the same damage with the checksum repaired so that the checks behind it are reached.
/// </summary>
public sealed class ModelFileFuzzTests : IDisposable
{
    private const int Cases = 10_000;
    private readonly ITestOutputHelper _output;
    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-fuzz-model-").FullName;

    public ModelFileFuzzTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void DamagedModelFilesFailWithInvalidDataOnlyAndChangeNothing()
    {
        var source = new SavedNet(seed: 1);
        var stream = new MemoryStream();
        ModelFile.Save(source, stream);
        byte[] good = stream.ToArray();
        float[] original = source.Parameters.ToArray();
        int parametersAt = 16 + BinaryPrimitives.ReadInt32LittleEndian(good.AsSpan(8));

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
                // Forge one of the size fields: the fingerprint length (offset 8) or the parameter count.
                damaged = (byte[])good.Clone();
                int field = mutator.Random.Next(2) == 0 ? 8 : parametersAt - 4;
                BinaryPrimitives.WriteInt32LittleEndian(damaged.AsSpan(field), (int)mutator.AnyInteresting());
                kind = field == 8 ? "forged fingerprint length" : "forged parameter count";
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
            if (i % 20 == 0)
            {
                File.WriteAllBytes(path, damaged);
                FuzzCase.Run(ledger, label + " from a file", damaged.Length, target, () => ModelFile.Load(target, path), expected, typeof(InvalidDataException));
            }
            else
            {
                bool forwardOnly = i % 3 == 0;
                FuzzCase.Run(ledger, label, damaged.Length, target, () => ModelFile.Load(target, FuzzCase.Open(damaged, forwardOnly)), expected, typeof(InvalidDataException));
            }

            initial.CopyTo(target.Parameters); // a successful load changed them; the next case starts from the same state
        }

        ledger.Report(_output, "ModelFile.Load", Cases);
    }
}
