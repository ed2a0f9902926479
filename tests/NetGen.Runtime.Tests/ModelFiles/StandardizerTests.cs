using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using NetGen;

namespace NetGen.Runtime.Tests.ModelFiles;

[Network(StandardizeInputs = true)]
[Input(5)]
[Dense(4, Activation.PReLU)]
[Dense(3, Activation.Softmax)]
public partial class RawNet { }

[Network(StandardizeInputs = true, Precision = Precision.Double)]
[Input(5)]
[Dense(4, Activation.Tanh)]
[Dense(2)]
public partial class RawRegressorDouble { }

/// <summary>
/// Preprocessing travels with the model (docs/shipping.md): a Standardizer in model files (format version 2) and in
/// safetensors tensors, and the generated PredictRaw/PredictClassRaw, which equal Standardizer.Transform + Predict.
/// </summary>
public sealed class StandardizerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-standardizer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static Standardizer Statistics(int features, int seed)
    {
        var random = new Random(seed);
        return Standardizer.FromStatistics(
            Enumerable.Range(0, features).Select(_ => (random.NextDouble() - 0.5) * 200).ToArray(),
            Enumerable.Range(0, features).Select(_ => 0.01 + (random.NextDouble() * 50)).ToArray());
    }

    private static float[] RawRows(int rows, int features, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * features).Select(_ => (float)((random.NextDouble() - 0.5) * 300)).ToArray();
    }

    // ---------------------------------------------------------------- PredictRaw

    [Fact]
    public void PredictRawEqualsTransformThenPredictBitForBit()
    {
        var net = new RawNet(seed: 3) { InputStandardizer = Statistics(RawNet.InputSize, 1) };
        float[] raw = RawRows(500, RawNet.InputSize, 2);
        float[] scaled = (float[])raw.Clone();
        net.InputStandardizer.Transform<float>(scaled);
        var expected = new float[RawNet.OutputSize];
        var actual = new float[RawNet.OutputSize];
        for (int r = 0; r < 500; r++)
        {
            ReadOnlySpan<float> rawRow = raw.AsSpan(r * RawNet.InputSize, RawNet.InputSize);
            ReadOnlySpan<float> scaledRow = scaled.AsSpan(r * RawNet.InputSize, RawNet.InputSize);
            net.Predict(scaledRow, expected);
            net.PredictRaw(rawRow, actual);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(net.PredictClass(scaledRow), net.PredictClassRaw(rawRow));
        }
    }

    [Fact]
    public void DoubleNetworksPredictRawTheSame()
    {
        var net = new RawRegressorDouble(seed: 5) { InputStandardizer = Statistics(RawRegressorDouble.InputSize, 6) };
        var random = new Random(7);
        double[] raw = Enumerable.Range(0, 200 * 5).Select(_ => (random.NextDouble() - 0.5) * 300).ToArray();
        double[] scaled = (double[])raw.Clone();
        net.InputStandardizer.Transform<double>(scaled);
        var expected = new double[2];
        var actual = new double[2];
        for (int r = 0; r < 200; r++)
        {
            net.Predict(scaled.AsSpan(r * 5, 5), expected);
            net.PredictRaw(raw.AsSpan(r * 5, 5), actual);
            Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), actual.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(net.PredictClass(scaled.AsSpan(r * 5, 5)), net.PredictClassRaw(raw.AsSpan(r * 5, 5)));
        }
    }

    [Fact]
    public void PredictRawAllocatesNothing()
    {
        var net = new RawNet(seed: 3) { InputStandardizer = Statistics(RawNet.InputSize, 1) };
        float[] raw = RawRows(64, RawNet.InputSize, 2);
        var output = new float[RawNet.OutputSize];
        int classes = 0;
        for (int r = 0; r < 64; r++)
        {
            net.PredictRaw(raw.AsSpan(r * 5, 5), output); // first calls: the packed copy and the thread's scratch
            classes += net.PredictClassRaw(raw.AsSpan(r * 5, 5));
        }

        AllocationProbe.AssertNone(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                int r = i % 64;
                net.PredictRaw(raw.AsSpan(r * 5, 5), output);
                classes += net.PredictClassRaw(raw.AsSpan(r * 5, 5));
            }
        });
        Assert.True(classes >= 0);
    }

    [Fact]
    public void PredictRawIsThreadSafe()
    {
        var net = new RawNet(seed: 4) { InputStandardizer = Statistics(RawNet.InputSize, 8) };
        const int Rows = 2000;
        float[] raw = RawRows(Rows, RawNet.InputSize, 9);
        var sequential = new float[Rows * RawNet.OutputSize];
        for (int r = 0; r < Rows; r++)
        {
            net.PredictRaw(raw.AsSpan(r * 5, 5), sequential.AsSpan(r * 3, 3));
        }

        var parallel = new float[Rows * RawNet.OutputSize];
        Parallel.For(0, Rows, new ParallelOptions { MaxDegreeOfParallelism = 4 }, r =>
            net.PredictRaw(raw.AsSpan(r * 5, 5), parallel.AsSpan(r * 3, 3)));
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void PredictRawRefusesWhatPredictRefusesAndAMissingStandardizer()
    {
        var net = new RawNet(seed: 1);
        var error = Assert.Throws<InvalidOperationException>(() => net.PredictRaw(new float[5], new float[3]));
        Assert.Contains("'NetGen.Runtime.Tests.ModelFiles.RawNet' has no InputStandardizer", error.Message);
        Assert.Throws<InvalidOperationException>(() => net.PredictClassRaw(new float[5]));

        net.InputStandardizer = Statistics(5, 1);
        Assert.Throws<ArgumentException>(() => net.PredictRaw(new float[4], new float[3]));
        Assert.Throws<ArgumentException>(() => net.PredictRaw(new float[5], new float[2]));
        Assert.Throws<ArgumentException>(() => net.PredictClassRaw(new float[6]));
        var shared = new float[8];
        Assert.Throws<ArgumentException>(() => net.PredictRaw(shared.AsSpan(0, 5), shared.AsSpan(3, 3)));
        Assert.Throws<ArgumentException>(() => net.InputStandardizer = Statistics(4, 1));
        net.InputStandardizer = null;
        Assert.Throws<InvalidOperationException>(() => net.PredictRaw(new float[5], new float[3]));
    }

    [Fact]
    public void FromStatisticsChecksAndCopies()
    {
        double[] means = { 1, 2 };
        Standardizer s = Standardizer.FromStatistics(means, new double[] { 3, 4 });
        means[0] = 100;
        Assert.Equal(new double[] { 1, 2 }, s.Means);
        Assert.Equal(2, s.FeatureCount);
        Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics(Array.Empty<double>(), Array.Empty<double>()));
        Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics(new double[] { 1 }, new double[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics(new double[] { double.NaN }, new double[] { 1 }));
        Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics(new double[] { 0 }, new double[] { 0 }));
        Assert.Throws<ArgumentException>(() => Standardizer.FromStatistics(new double[] { 0 }, new double[] { double.PositiveInfinity }));

        // The span overload: (x - mean) / deviation in double, rounded once; overlapping spans only at the same offset.
        var destination = new float[4];
        s.Transform<float>(new float[] { 4, 10, 1, 2 }, destination);
        Assert.Equal(new float[] { 1, 2, 0, 0 }, destination);
        var buffer = new float[5];
        Assert.Throws<ArgumentException>(() => s.Transform<float>(buffer.AsSpan(0, 4), buffer.AsSpan(1, 4)));
        Assert.Throws<ArgumentException>(() => s.Transform<float>(new float[4], new float[2]));
        Assert.Throws<ArgumentException>(() => s.Transform<float>(new float[3], new float[3]));
    }

    // ---------------------------------------------------------------- model files

    [Fact]
    public void AModelFileCarriesTheStandardizerBitForBit()
    {
        var source = new RawNet(seed: 11);
        Standardizer statistics = Statistics(5, 12);
        string path = Path.Combine(_directory, "raw.ngm");
        ModelFile.Save(source, path, statistics);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));

        var target = new RawNet(seed: 1);
        ModelFile.Load(target, path, out Standardizer? loaded);
        Assert.NotNull(loaded);
        Assert.Equal(statistics.Means.Select(BitConverter.DoubleToInt64Bits), loaded!.Means.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(statistics.Deviations.Select(BitConverter.DoubleToInt64Bits), loaded.Deviations.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());

        // The old overloads read version 2 files too (ignoring the standardizer), from a path and from a stream.
        var plain = new RawNet(seed: 2);
        ModelFile.Load(plain, path);
        Assert.Equal(source.Parameters.ToArray(), plain.Parameters.ToArray());
        var fromStream = new RawNet(seed: 2);
        ModelFile.Load(fromStream, new MemoryStream(bytes), out Standardizer? streamed);
        Assert.Equal(statistics.Means, streamed!.Means);
    }

    [Fact]
    public void WithoutAStandardizerTheFileIsVersion1AsBefore()
    {
        // Version 1 written by hand from the documented layout: what every earlier NetGen wrote.
        var source = new RawNet(seed: 21);
        byte[] fingerprint = Encoding.UTF8.GetBytes(source.Info.Fingerprint);
        float[] parameters = source.Parameters.ToArray();
        byte[] v1 = new byte[12 + fingerprint.Length + 4 + (4 * parameters.Length) + 4];
        Encoding.ASCII.GetBytes("NGMF").CopyTo(v1, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(v1.AsSpan(4), 1);
        BinaryPrimitives.WriteInt32LittleEndian(v1.AsSpan(8), fingerprint.Length);
        fingerprint.CopyTo(v1, 12);
        BinaryPrimitives.WriteInt32LittleEndian(v1.AsSpan(12 + fingerprint.Length), parameters.Length);
        Buffer.BlockCopy(parameters, 0, v1, 16 + fingerprint.Length, 4 * parameters.Length);
        ModelFileTests.FixChecksum(v1);

        var saved = new MemoryStream();
        ModelFile.Save(source, saved);
        Assert.Equal(v1, saved.ToArray());
        saved = new MemoryStream();
        ModelFile.Save(source, saved, null);
        Assert.Equal(v1, saved.ToArray());

        var target = new RawNet(seed: 1);
        ModelFile.Load(target, new MemoryStream(v1), out Standardizer? none);
        Assert.Null(none);
        Assert.Equal(parameters, target.Parameters.ToArray());
    }

    [Fact]
    public void SavingAStandardizerOfAnotherWidthWritesNothing()
    {
        var stream = new MemoryStream();
        var error = Assert.Throws<ArgumentException>(() => ModelFile.Save(new RawNet(), stream, Statistics(4, 1)));
        Assert.Contains("fitted on 4 features, but 'NetGen.Runtime.Tests.ModelFiles.RawNet' takes 5 inputs", error.Message);
        Assert.Equal(0, stream.Length);
        string path = Path.Combine(_directory, "never.ngm");
        Assert.Throws<ArgumentException>(() => ModelFile.Save(new RawNet(), path, Statistics(6, 1)));
        Assert.False(File.Exists(path));
    }

    /// <summary>A version 2 file of RawNet and where its section starts.</summary>
    private static (byte[] Bytes, int Section) Saved(Standardizer statistics)
    {
        var stream = new MemoryStream();
        var net = new RawNet(seed: 31);
        ModelFile.Save(net, stream, statistics);
        byte[] bytes = stream.ToArray();
        int section = 16 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)) + (4 * RawNet.ParameterCount);
        return (bytes, section);
    }

    [Theory]
    [InlineData("count 2", "claims 2 sections; format version 2 has at most 1")]
    [InlineData("count -1", "claims -1 sections")]
    [InlineData("tag", "a section tagged 'STDY'; this NetGen knows only 'STDZ'")]
    [InlineData("section version", "standardizer section is version 2; this NetGen reads version 1")]
    [InlineData("reserved", "standardizer section has a non-zero reserved field")]
    [InlineData("length", "standardizer section claims 85 bytes; a standardizer for 5 inputs takes 84")]
    [InlineData("features", "standardizer has 4 features, but 'NetGen.Runtime.Tests.ModelFiles.RawNet' takes 5 inputs")]
    [InlineData("nan mean", "standardizer cannot be used: The mean of feature 2 is NaN")]
    [InlineData("zero deviation", "standardizer cannot be used: The deviation of feature 4 is 0")]
    [InlineData("negative deviation", "standardizer cannot be used: The deviation of feature 0 is -1")]
    [InlineData("truncated", "standardizer section claims 84 bytes; a standardizer for 5 inputs takes 84 and 24 remain")]
    [InlineData("checksum", "The model file is damaged: its checksum is")]
    public void ADamagedSectionIsInvalidDataAndChangesNothing(string damage, string message)
    {
        (byte[] bytes, int at) = Saved(Statistics(5, 41));
        bool repair = damage != "checksum";
        switch (damage)
        {
            case "count 2": BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), 2); break;
            case "count -1": BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), -1); break;
            case "tag": bytes[at + 7] = (byte)'Y'; break;
            case "section version": bytes[at + 8] = 2; break;
            case "reserved": bytes[at + 11] = 1; break;
            case "length": BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at + 12), 85); break;
            case "features": BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at + 16), 4); break;
            case "nan mean": BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at + 20 + 16), double.NaN); break;
            case "zero deviation": BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at + 20 + 40 + 32), 0); break;
            case "negative deviation": BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(at + 20 + 40), -1); break;
            case "truncated": bytes = bytes.AsSpan(0, at + 40).ToArray(); repair = false; break;
            case "checksum": bytes[at + 30] ^= 0x40; break;
        }

        if (repair)
        {
            ModelFileTests.FixChecksum(bytes);
        }

        var target = new RawNet(seed: 1);
        float[] before = target.Parameters.ToArray();
        Standardizer? loaded = Statistics(5, 99);
        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(target, new MemoryStream(bytes), out loaded));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, target.Parameters.ToArray());

        string path = Path.Combine(_directory, "damaged.ngm");
        File.WriteAllBytes(path, bytes);
        Assert.Throws<InvalidDataException>(() => ModelFile.Load(target, path, out loaded));
        Assert.Equal(before, target.Parameters.ToArray());

        // A stream that cannot seek reads up to the damage.
        error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(target, new ForwardOnlyStream(bytes), out loaded));
        Assert.Equal(before, target.Parameters.ToArray());
        if (damage == "truncated")
        {
            Assert.Contains("The model file is truncated: it ends inside the standardizer (24 of 84 bytes)", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AHugeSectionLengthFailsBeforeAllocating()
    {
        (byte[] bytes, int at) = Saved(Statistics(5, 41));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at + 12), int.MaxValue);
        ModelFileTests.FixChecksum(bytes);
        var target = new RawNet(seed: 1);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => ModelFile.Load(target, new ForwardOnlyStream(bytes), out _));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocated, 0, 20_000);
    }

    // ---------------------------------------------------------------- safetensors

    private static byte[] SafeTensorsWithStandardizer(Standardizer? statistics, bool onlyMean = false, int width = 5)
    {
        var header = new StringBuilder("{");
        var data = new MemoryStream();
        int next = 0;
        foreach ((string name, int[] shape) in WeightFiles.SavedNetStateDict)
        {
            long begin = data.Length;
            for (int i = 0; i < shape.Aggregate(1, (a, b) => a * b); i++)
            {
                data.Write(BitConverter.GetBytes(WeightFiles.Value(next++)));
            }

            header.Append(header.Length > 1 ? "," : "").Append($"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Length}]}}");
        }

        if (statistics is not null)
        {
            foreach ((string name, double[] values) in new[] { ("netgen.standardizer.mean", statistics.Means), ("netgen.standardizer.std", statistics.Deviations) }.Take(onlyMean ? 1 : 2))
            {
                long begin = data.Length;
                foreach (double v in values.Take(width))
                {
                    data.Write(BitConverter.GetBytes(v));
                }

                header.Append($",\"{name}\":{{\"dtype\":\"F64\",\"shape\":[{width}],\"data_offsets\":[{begin},{data.Length}]}}");
            }
        }

        return WeightFiles.SafeTensors(header.Append('}').ToString(), data.ToArray());
    }

    [Fact]
    public void SafeTensorsCarryAStandardizerAsTwoNamedTensors()
    {
        Standardizer statistics = Statistics(5, 51);
        string path = Path.Combine(_directory, "with.safetensors");
        File.WriteAllBytes(path, SafeTensorsWithStandardizer(statistics));

        var net = new SavedNet(seed: 1);
        WeightImport.LoadSafeTensors(net, path, out Standardizer? loaded);
        Assert.Equal(Enumerable.Range(0, SavedNet.ParameterCount).Select(WeightFiles.Value), net.Parameters.ToArray());
        Assert.Equal(statistics.Means, loaded!.Means);
        Assert.Equal(statistics.Deviations, loaded.Deviations);

        // The overloads without a standardizer load the layers and leave the two tensors out.
        var plain = new SavedNet(seed: 2);
        WeightImport.LoadSafeTensors(plain, new MemoryStream(File.ReadAllBytes(path)));
        Assert.Equal(net.Parameters.ToArray(), plain.Parameters.ToArray());
    }

    [Theory]
    [InlineData(true, 5, "has 'netgen.standardizer.mean' but not 'netgen.standardizer.std'")]
    [InlineData(false, 4, "takes 5 inputs, so 'netgen.standardizer.mean' needs shape [5]; it has shape [4]")]
    public void AnIncompleteOrMisshapenStandardizerIsInvalidData(bool onlyMean, int width, string message)
    {
        string path = Path.Combine(_directory, "bad.safetensors");
        File.WriteAllBytes(path, SafeTensorsWithStandardizer(Statistics(5, 52), onlyMean, width));
        var net = new SavedNet(seed: 1);
        float[] before = net.Parameters.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => WeightImport.LoadSafeTensors(net, path, out _));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, net.Parameters.ToArray());
    }
}
