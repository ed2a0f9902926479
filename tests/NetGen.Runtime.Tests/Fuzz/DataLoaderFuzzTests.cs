using System;
using System.IO;
using System.Linq;
using System.Text;
using NetGen;
using NetGen.Runtime.Tests.Data;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Fuzz;

/// <summary>
/// Malformed data files (seeded): 600 CSV texts, 500 damaged .csv.gz files and 500 damaged IDX files (half gzipped).
/// CSV content errors must be FormatException, damaged gzip and IDX data InvalidDataException; see <see cref="FuzzCase"/>.
/// </summary>
public sealed class DataLoaderFuzzTests
{
    private static readonly string[] Pieces = { ",", ";", "\t", " ", "  ", "NaN", "1e999", "-Infinity", "x", "\"", "-", ".", "e", "\n", "\r\n", "1,000.5", "1,5", "", "0", "9999999999999999999999", "\u00A0", "\u2212" };

    private readonly ITestOutputHelper _output;

    public DataLoaderFuzzTests(ITestOutputHelper output) => _output = output;

    private static string CsvText(int rows) => string.Concat(Enumerable.Range(0, rows).Select(i => $"{i * 0.5},{-i},{i % 3}\n"));

    [Fact]
    public void MalformedCsvTextFailsWithFormatExceptionOnly()
    {
        const int cases = 600;
        var mutator = new Mutator(seed: 21);
        var ledger = new FuzzLedger();
        string good = "a,b,label\n" + CsvText(30);
        for (int i = 0; i < cases; i++)
        {
            string text = good;
            string kind = "";
            for (int n = 1 + mutator.Random.Next(3); n > 0; n--)
            {
                int at = mutator.Random.Next(text.Length + 1);
                switch (mutator.Random.Next(4))
                {
                    case 0:
                        kind += "insert ";
                        text = text.Insert(at, Pieces[mutator.Random.Next(Pieces.Length)]);
                        break;
                    case 1:
                        kind += "delete ";
                        text = text.Remove(Math.Min(at, text.Length - 1), Math.Min(1 + mutator.Random.Next(4), text.Length - Math.Min(at, text.Length - 1)));
                        break;
                    case 2:
                        kind += "replace ";
                        text = at < text.Length ? text.Remove(at, 1).Insert(at, Pieces[mutator.Random.Next(Pieces.Length)]) : text;
                        break;
                    default:
                        kind += "cut ";
                        text = text[..at];
                        break;
                }
            }

            bool allowNonFinite = i % 5 == 0;
            int skip = i % 7 == 0 ? 0 : Csv.DetectHeader;
            string input = text;
            FuzzCase.Run<float>(ledger, $"csv case {i} ({kind.Trim()})", 2L * input.Length, null,
                () => Csv.ReadMatrix(new StringReader(input), skip, "fuzz.csv", allowNonFinite), expected: null, typeof(FormatException));
        }

        ledger.Report(_output, "Csv.ReadMatrix", cases);
    }

    [Fact]
    public void DamagedCsvGzFilesFailWithInvalidDataOnlyAndNeverGiveOtherRows()
    {
        const int cases = 500;
        var mutator = new Mutator(seed: 22);
        var ledger = new FuzzLedger();
        byte[] good = DataLoaderReliabilityTests.Gzip(Encoding.ASCII.GetBytes(CsvText(200)));
        double[] original = Csv.ReadMatrix(new StringReader(CsvText(200))).Values;
        int sameRows = 0;
        for (int i = 0; i < cases; i++)
        {
            byte[] damaged = mutator.Mutate(good, out string kind);
            double[]? read = null;
            FuzzCase.Run<float>(ledger, $"gz case {i} ({kind})", damaged.Length, null, () =>
            {
                using var reader = new StreamReader(GzipReadStream.FromBytes(damaged, "fuzz.csv.gz"));
                read = Csv.ReadMatrix(reader, Csv.DetectHeader, "fuzz.csv.gz").Values;
            }, expected: null, typeof(InvalidDataException));
            if (read is not null)
            {
                Assert.Equal(original, read); // a change the checks let through (a header timestamp, padding) must not change the data
                sameRows++;
            }
        }

        _output.WriteLine($"  of the loads, {sameRows} gave exactly the original rows");
        ledger.Report(_output, "Csv.ReadMatrix (.csv.gz)", cases);
    }

    [Fact]
    public void DamagedIdxFilesFailWithInvalidDataOnly()
    {
        const int cases = 500;
        var mutator = new Mutator(seed: 23);
        var ledger = new FuzzLedger();
        byte[] pixels = Enumerable.Range(0, 10 * 4 * 4).Select(i => (byte)(i * 7)).ToArray();
        byte[] images = DataLoaderReliabilityTests.IdxBytes(0x00000803, new[] { 10, 4, 4 }, pixels);
        byte[] labels = DataLoaderReliabilityTests.IdxBytes(0x00000801, new[] { 10 }, Enumerable.Range(0, 10).Select(i => (byte)i).ToArray());
        byte[][] gzipped = { DataLoaderReliabilityTests.Gzip(images), DataLoaderReliabilityTests.Gzip(labels) };
        for (int i = 0; i < cases; i++)
        {
            bool gzip = i % 2 == 1;
            bool isImages = i % 4 < 2;
            byte[] good = gzip ? gzipped[isImages ? 0 : 1] : isImages ? images : labels;
            string kind;
            byte[] damaged;
            if (!gzip && mutator.Random.Next(3) == 0)
            {
                kind = "forged dimension";
                damaged = (byte[])good.Clone();
                int field = 4 + (4 * mutator.Random.Next(isImages ? 3 : 1));
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(damaged.AsSpan(field), (int)mutator.AnyInteresting());
            }
            else
            {
                damaged = mutator.Mutate(good, out kind);
            }

            byte[]? readPixels = null;
            FuzzCase.Run<float>(ledger, $"idx case {i} ({kind}{(gzip ? ", gzip" : "")})", damaged.Length, null, () =>
            {
                using Stream stream = gzip ? GzipReadStream.FromBytes(damaged, "fuzz.idx.gz") : new MemoryStream(damaged, writable: false);
                if (isImages)
                {
                    readPixels = Idx.ReadImages(stream, "fuzz.idx").Pixels;
                }
                else
                {
                    readPixels = Array.ConvertAll(Idx.ReadLabels(stream, "fuzz.idx"), l => (byte)l);
                }
            }, expected: null, typeof(InvalidDataException));
            if (gzip && readPixels is not null)
            {
                Assert.Equal(isImages ? pixels : Enumerable.Range(0, 10).Select(k => (byte)k).ToArray(), readPixels);
            }
        }

        ledger.Report(_output, "Idx.ReadImages / ReadLabels", cases);
    }
}
