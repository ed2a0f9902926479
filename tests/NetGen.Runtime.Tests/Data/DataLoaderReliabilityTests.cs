using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using NetGen;

namespace NetGen.Runtime.Tests.Data;

/// <summary>The CSV, gzip and IDX cases of issue 8 and the scikit-learn header case of issue 10.</summary>
public sealed class DataLoaderReliabilityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-loaders-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("iris.csv", 150, 5)]
    [InlineData("wine_data.csv", 178, 14)]
    [InlineData("breast_cancer.csv", 569, 31)]
    [InlineData("digits.csv.gz", 1797, 65)]
    [InlineData("diabetes_data_raw.csv.gz", 442, 10)]
    [InlineData("diabetes_target.csv.gz", 442, 1)]
    [InlineData("linnerud_exercise.csv", 20, 3)]
    public void ScikitLearnFilesLoadWithTheDefaults(string name, int rows, int columns)
    {
        (double[] values, int r, int c) = Csv.ReadMatrix(Fixture(name));
        Assert.Equal((rows, columns), (r, c));
        Assert.Equal(rows * columns, values.Length);
    }

    [Fact]
    public void IrisLoadsAsAClassificationDatasetWithItsMetadataLineSkipped()
    {
        Dataset<float> iris = Csv.LoadClassification<float>(Fixture("iris.csv"), classes: 3);
        Assert.Equal((150, 4, 3), (iris.Rows, iris.InputSize, iris.TargetSize));
        Assert.Equal(new float[] { 5.1f, 3.5f, 1.4f, 0.2f }, iris.Row(0).ToArray()); // the first line after "150,4,setosa,..."
        Assert.Equal(new[] { 50, 50, 50 }, Enumerable.Range(0, 3).Select(k => iris.Labels.ToArray().Count(l => l == k)));
    }

    [Fact]
    public void HeaderDetectionSkipsAtMostTwoLinesAndOnlyByDefault()
    {
        // boston_house_prices.csv starts with a metadata line and a names line.
        Assert.Equal((1, 3), Shape(Csv.ReadMatrix(new StringReader("506,13,,\n\"CRIM\",\"ZN\",\"MEDV\"\n0.5,18,24\n"))));
        var third = Assert.Throws<FormatException>(() => Csv.ReadMatrix(new StringReader("a,b\nc,d\ne,f\n1,2\n")));
        Assert.Contains("line 3, column 1: 'e' is not a number", third.Message, StringComparison.Ordinal);
        var strict = Assert.Throws<FormatException>(() => Csv.ReadMatrix(new StringReader("x,y\n1,2\n"), skipLines: 0));
        Assert.Contains("line 1, column 1: 'x'", strict.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { 3.0, 4 }, Csv.ReadMatrix(new StringReader("1,2\n3,4\n"), skipLines: 1).Values);
        Assert.Equal(new[] { 1.0, 2, 3, 4 }, Csv.ReadMatrix(new StringReader("1,2\n3,4\n")).Values); // no header: nothing skipped
    }

    [Fact]
    public void AnEmptyCellIsAnErrorNamingLineAndColumn()
    {
        var error = Assert.Throws<FormatException>(() => Csv.ReadMatrix(new StringReader("1,2,3\n1,,3\n")));
        Assert.Contains("line 2, column 2 is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 1, column 3 is empty", Assert.Throws<FormatException>(() => Csv.ReadMatrix(new StringReader("1,2,\n"), skipLines: 0)).Message, StringComparison.Ordinal);
        var alone = Assert.Throws<FormatException>(() => Csv.ReadMatrix(new StringReader("1,2,\n")));
        Assert.Contains("no data rows after its 1 header line(s) (line 1 was taken as a header because '' is not a number)", alone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecimalCommasAndThousandsSeparatorsDoNotChangeTheColumnCount()
    {
        var comma = Assert.Throws<FormatException>(() => Csv.ReadMatrix(new StringReader("1,5;2,5\n"), skipLines: 0));
        Assert.Contains("line 1, column 1: '1,5' is not a number (it looks like a decimal comma", comma.Message, StringComparison.Ordinal);
        var detected = Assert.Throws<FormatException>(() => Csv.ReadMatrix(new StringReader("1,5;2,5\n3,5;4,5\n5,5;6,5\n")));
        Assert.Contains("line 3, column 1: '5,5' is not a number (it looks like a decimal comma", detected.Message, StringComparison.Ordinal);

        var thousands = Assert.Throws<FormatException>(() => Csv.ReadMatrix(new StringReader("1.5,2\n1,000.5,2\n")));
        Assert.Contains("line 2: 3 columns where the first data row (line 1) has 2", thousands.Message, StringComparison.Ordinal);
        Assert.Contains("thousands separator", thousands.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN", "not a finite number")]
    [InlineData("Infinity", "not a finite number")]
    [InlineData("-Infinity", "not a finite number")]
    [InlineData("1e999", "beyond the range of double")]
    public void NonFiniteCellsAreRejectedUnlessAllowed(string cell, string message)
    {
        string text = $"1,2\n3,{cell}\n";
        var error = Assert.Throws<FormatException>(() => Csv.ReadMatrix(new StringReader(text)));
        Assert.Contains($"line 2, column 2: '{cell}' is {message}", error.Message, StringComparison.Ordinal);
        double value = Csv.ReadMatrix(new StringReader(text), allowNonFinite: true).Values[3];
        Assert.False(double.IsFinite(value));
    }

    [Fact]
    public void ATruncatedCsvGzFailsAtEveryCut()
    {
        string text = string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i},{i * 2},{i % 7}\n"));
        byte[] gz = Gzip(Encoding.ASCII.GetBytes(text));
        string good = Write("good.csv.gz", gz);
        Assert.Equal(2000, Csv.ReadMatrix(good).Rows);

        // The old reader returned the rows before the cut. Every cut point, including inside the 8-byte trailer, fails.
        for (int cut = 1; cut < gz.Length; cut += cut < gz.Length - 16 ? 37 : 1)
        {
            string path = Write("cut.csv.gz", gz[..cut]);
            var error = Assert.Throws<InvalidDataException>(() => Csv.ReadMatrix(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AGzipCrcErrorNamesTheFileAndSaysTheDataIsDamaged()
    {
        byte[] gz = Gzip(Encoding.ASCII.GetBytes("1,2\n3,4\n"));
        gz[^6] ^= 0x40; // inside the stored CRC-32
        string path = Write("crc.csv.gz", gz);
        var error = Assert.Throws<InvalidDataException>(() => Csv.ReadMatrix(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.Contains("CRC-32", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unsupported compression method", error.Message, StringComparison.Ordinal);

        // Damaged deflate data says so too, with the file's name.
        byte[] flipped = Gzip(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1,2\n", 500))));
        flipped[12] ^= 0xFF;
        var deflate = Assert.Throws<InvalidDataException>(() => Csv.ReadMatrix(Write("deflate.csv.gz", flipped)));
        Assert.Contains("deflate.csv.gz", deflate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConcatenatedGzipMembersAndZeroPaddingRead()
    {
        byte[] two = Gzip(Encoding.ASCII.GetBytes("1,2\n")).Concat(Gzip(Encoding.ASCII.GetBytes("3,4\n"))).Concat(new byte[16]).ToArray();
        Assert.Equal(new[] { 1.0, 2, 3, 4 }, Csv.ReadMatrix(Write("two.csv.gz", two)).Values);
        byte[] garbage = Gzip(Encoding.ASCII.GetBytes("1,2\n")).Concat(new byte[] { 1, 2, 3 }).ToArray();
        Assert.Contains("not another gzip member", Assert.Throws<InvalidDataException>(() => Csv.ReadMatrix(Write("garbage.csv.gz", garbage))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IdxHeadersWithHugeCountsFailBeforeAllocating(bool gzip)
    {
        foreach (int[] dimensions in new[] { new[] { int.MaxValue, int.MaxValue, int.MaxValue }, new[] { 60000, 28, 28 }, new[] { 1 << 30, 1, 2 } })
        {
            string path = WriteIdx($"huge{dimensions[0]}.idx{(gzip ? ".gz" : "")}", 0x00000803, dimensions, new byte[100], gzip);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 2_000_000);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }

        string labels = WriteIdx($"labels.idx{(gzip ? ".gz" : "")}", 0x00000801, new[] { int.MaxValue }, new byte[10], gzip);
        Assert.Contains(labels, Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(labels)).Message, StringComparison.Ordinal);
        string longer = WriteIdx($"longer.idx{(gzip ? ".gz" : "")}", 0x00000801, new[] { 3 }, new byte[5], gzip);
        Assert.Contains("3 labels", Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(longer)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdxLabelsBeyondTheClassesAreInvalidData()
    {
        string images = WriteIdx("i.gz", 0x00000803, new[] { 2, 1, 1 }, new byte[] { 0, 255 }, gzip: true);
        string labels = WriteIdx("l.gz", 0x00000801, new[] { 2 }, new byte[] { 1, 12 }, gzip: true);
        var error = Assert.Throws<InvalidDataException>(() => Idx.LoadDataset<float>(images, labels));
        Assert.Contains("label 1 is 12, not a class in 0..9", error.Message, StringComparison.Ordinal);
    }

    internal static byte[] Gzip(byte[] data)
    {
        var memory = new MemoryStream();
        using (var gz = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(data);
        }

        return memory.ToArray();
    }

    internal static byte[] IdxBytes(int magic, int[] dimensions, byte[] body)
    {
        var file = new byte[4 + (4 * dimensions.Length) + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4 + (4 * i)), dimensions[i]);
        }

        body.CopyTo(file, 4 + (4 * dimensions.Length));
        return file;
    }

    private static (int, int) Shape((double[] Values, int Rows, int Columns) m) => (m.Rows, m.Columns);

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "fixtures", name);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteIdx(string name, int magic, int[] dimensions, byte[] body, bool gzip)
    {
        byte[] bytes = IdxBytes(magic, dimensions, body);
        return Write(name, gzip ? Gzip(bytes) : bytes);
    }
}
