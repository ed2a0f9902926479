using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NetGen;

namespace NetGen.Runtime.Tests.TrainerTests;

public sealed class DataTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-data-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void CsvReadsCommaSpaceAndGzipAndSkipsHeaders()
    {
        string comma = Write("a.csv", "569,30,x,y\n1.5,2,0\n-3e-1,4,1\n");
        string gz = Path.Combine(_directory, "b.csv.gz");
        using (var file = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
        {
            file.Write("59 2 32.1\n48 1 21.6\n"u8);
        }

        (double[] values, int rows, int columns) = Csv.ReadMatrix(comma, skipLines: 1);
        Assert.Equal((2, 3), (rows, columns));
        Assert.Equal(new[] { 1.5, 2, 0, -0.3, 4, 1 }, values);
        Assert.Equal(new[] { 59, 2, 32.1, 48, 1, 21.6 }, Csv.ReadMatrix(gz).Values);

        Dataset<float> labelled = Csv.LoadClassification<float>(comma, classes: 2, skipLines: 1, oneHot: false);
        Assert.Equal(new[] { 0, 1 }, labelled.Labels.ToArray());
        Assert.Equal(new float[] { 0, 1 }, labelled.Targets.ToArray());
        Assert.Equal(new float[] { 1.5f, 2, -0.3f, 4 }, labelled.Features.ToArray());
    }

    [Fact]
    public void CsvErrorsNameTheLine()
    {
        Assert.Contains("line 3", Assert.Throws<FormatException>(() => Csv.ReadMatrix(Write("c.csv", "1,2\n3,4\n5\n"))).Message, StringComparison.Ordinal);
        Assert.Contains("line 2, column 1: 'x'", Assert.Throws<FormatException>(() => Csv.ReadMatrix(Write("d.csv", "1,2\nx,4\n"))).Message, StringComparison.Ordinal);
        Assert.Contains("label 7", Assert.Throws<FormatException>(() => Csv.LoadClassification<float>(Write("e.csv", "1,2,7\n"), classes: 3)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdxImagesAndLabelsRoundTripThroughGzip()
    {
        string images = WriteIdx("images.gz", 0x00000803, new[] { 2, 2, 3 }, new byte[] { 0, 255, 51, 1, 2, 3, 4, 5, 6, 7, 8, 9 });
        string labels = WriteIdx("labels.gz", 0x00000801, new[] { 2 }, new byte[] { 7, 1 });
        Dataset<float> data = Idx.LoadDataset<float>(images, labels);
        Assert.Equal((2, 6, 10), (data.Rows, data.InputSize, data.TargetSize));
        Assert.Equal(new[] { 7, 1 }, data.Labels.ToArray());
        Assert.Equal(1f, data.Row(0)[1]);
        Assert.Equal(0.2f, data.Row(0)[2], 6);
        Assert.Equal(1f, data.TargetRow(0)[7]);

        Assert.Contains("0x00000803", Assert.Throws<InvalidDataException>(() => Idx.ReadImages(labels)).Message, StringComparison.Ordinal);
        string truncated = WriteIdx("short.gz", 0x00000801, new[] { 5 }, new byte[] { 1, 2 });
        Assert.Contains("after 2 of its 5 bytes", Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(truncated)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StandardizerCentresAndScalesWithTheTrainingStatistics()
    {
        var train = new Dataset<double>(new double[] { 1, 10, 3, 10, 5, 10 }, 2, new double[3], 1);
        Standardizer scaler = Standardizer.Fit(train);
        Assert.Equal(new[] { 3.0, 10 }, scaler.Means);
        Assert.Equal(Math.Sqrt(8.0 / 3), scaler.Deviations[0], 12);
        Assert.Equal(1.0, scaler.Deviations[1]); // constant column: only centred
        scaler.Transform(train);
        Assert.Equal(0, train.Features.ToArray().Where((_, i) => i % 2 == 0).Sum(), 12);
        Assert.Equal(new double[] { 0, 0, 0 }, train.Features.ToArray().Where((_, i) => i % 2 == 1));

        var test = new Dataset<double>(new double[] { 3, 12 }, 2, new double[1], 1);
        scaler.Transform(test);
        Assert.Equal(new double[] { 0, 2 }, test.Features.ToArray());
    }

    [Fact]
    public void OneHotEncodesAndRejectsOutOfRangeLabels()
    {
        Assert.Equal(new float[] { 0, 1, 0, 1, 0, 0 }, OneHot.Encode<float>(new[] { 1, 0 }, 3));
        Assert.Contains("row 1", Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode<float>(new[] { 1, 3 }, 3)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainTestSplitIsSeededDisjointAndStratifiedOnRequest()
    {
        Dataset<float> data = TrainerTests.Blobs(90, 1);
        (Dataset<float> train, Dataset<float> test) = DataSplit.TrainTest(data, 0.2, seed: 4, stratified: true);
        Assert.Equal((72, 18), (train.Rows, test.Rows));
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(6, test.Labels.ToArray().Count(l => l == c)));

        var trainRows = Enumerable.Range(0, train.Rows).Select(r => (train.Row(r)[0], train.Row(r)[1])).ToHashSet();
        Assert.DoesNotContain(Enumerable.Range(0, test.Rows).Select(r => (test.Row(r)[0], test.Row(r)[1])), trainRows.Contains);

        Assert.Equal(DataSplit.TrainTest(data, 0.2, seed: 4).Test.Features.ToArray(), DataSplit.TrainTest(data, 0.2, seed: 4).Test.Features.ToArray());
        Assert.NotEqual(DataSplit.TrainTest(data, 0.2, seed: 4).Test.Features.ToArray(), DataSplit.TrainTest(data, 0.2, seed: 5).Test.Features.ToArray());
    }

    [Fact]
    public void KFoldValidatesEveryRowExactlyOnce()
    {
        Dataset<double> data = ScriptedNetwork.Line(23);
        var validated = new System.Collections.Generic.List<double>();
        foreach ((Dataset<double> train, Dataset<double> validation) in CrossValidation.KFold(data, k: 5, seed: 1))
        {
            Assert.Equal(23, train.Rows + validation.Rows);
            Assert.InRange(validation.Rows, 4, 5);
            validated.AddRange(validation.Features.ToArray());
        }

        Assert.Equal(Enumerable.Range(1, 23).Select(i => (double)i), validated.OrderBy(v => v));
    }

    [Fact]
    public void CrossValidationTrainsAFreshNetworkPerFold()
    {
        int created = 0;
        CrossValidationResult result = CrossValidation.Evaluate(() => { created++; return new BlobClassifier(seed: created); },
            TrainerTests.Blobs(60, 2), k: 3, new TrainingOptions { Epochs = 5, BatchSize = 8 });
        Assert.Equal(3, created);
        Assert.Equal(3, result.Folds.Count);
        Assert.Equal(result.Folds.Average(f => f.Loss), result.MeanLoss, 12);
        Assert.InRange(result.MeanAccuracy!.Value, 0.9, 1.0);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>An IDX file per its description: big-endian magic and dimensions, then the bytes, gzipped.</summary>
    private string WriteIdx(string name, int magic, int[] dimensions, byte[] body)
    {
        string path = Path.Combine(_directory, name);
        using var file = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, magic);
        file.Write(word);
        foreach (int dimension in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, dimension);
            file.Write(word);
        }

        file.Write(body);
        return path;
    }
}
