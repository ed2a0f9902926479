using System;
using System.Globalization;
using System.IO;
using AotInference;
using NetGen;

// Classifies 8x8 handwritten digits with weights compiled into the binary. Arguments:
//   (none)        the accuracy on the held-out test split of samples/data/digits.csv.gz, and its first rows
//   N             row N of that test split
//   p0,p1,...,p63 64 comma-separated pixel values (0-16, as in the data set)
//   -             lines of 64 comma-separated pixel values on standard input
var net = new DigitsClassifier();
Console.WriteLine($"{net.Info.Name}: {DigitsClassifier.ParameterCount} parameters compiled into the binary.");

Dataset<float>? test = null;
Dataset<float> Test() => test ??= LoadTestSplit();

if (args.Length == 0)
{
    Dataset<float> split = Test();
    int correct = 0;
    var confusion = new int[10, 10];
    for (int row = 0; row < split.Rows; row++)
    {
        int predicted = net.PredictClassRaw(split.Row(row));
        confusion[split.Labels[row], predicted]++;
        correct += predicted == split.Labels[row] ? 1 : 0;
    }

    Console.WriteLine($"test split: {correct} of {split.Rows} classified correctly ({(double)correct / split.Rows:P2}).");
    Console.WriteLine("confusion (rows: true digit, columns: predicted):");
    for (int actual = 0; actual < 10; actual++)
    {
        Console.Write($"  {actual}:");
        for (int predicted = 0; predicted < 10; predicted++)
        {
            Console.Write($" {confusion[actual, predicted],3}");
        }

        Console.WriteLine();
    }

    for (int row = 0; row < split.Rows; row += 40)
    {
        Classify($"test row {row} (a {split.Labels[row]})", split.Row(row));
    }

    return 0;
}

foreach (string argument in args)
{
    if (argument == "-")
    {
        string? line;
        int number = 0;
        while ((line = Console.In.ReadLine()) is not null)
        {
            number++;
            if (line.Trim().Length > 0 && !TryClassifyPixels($"stdin line {number}", line))
            {
                return 1;
            }
        }
    }
    else if (int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out int row))
    {
        Dataset<float> split = Test();
        if (row >= split.Rows)
        {
            Console.Error.WriteLine($"row {row}: the test split has rows 0 to {split.Rows - 1}.");
            return 1;
        }

        Classify($"test row {row} (a {split.Labels[row]})", split.Row(row));
    }
    else if (!TryClassifyPixels("pixels", argument))
    {
        return 1;
    }
}

return 0;

bool TryClassifyPixels(string what, string text)
{
    string[] parts = text.Split(',');
    var pixels = new float[DigitsClassifier.InputSize];
    if (parts.Length != pixels.Length)
    {
        Console.Error.WriteLine($"{what}: expected {pixels.Length} comma-separated pixel values, got {parts.Length}.");
        return false;
    }

    for (int i = 0; i < parts.Length; i++)
    {
        if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || value is < 0 or > 16)
        {
            Console.Error.WriteLine($"{what}: value {i} ('{parts[i].Trim()}') is not a pixel value from 0 to 16.");
            return false;
        }

        pixels[i] = value; // raw: PredictRaw applies the scaling samples/Digits trained with
    }

    Classify(what, pixels);
    return true;
}

void Classify(string what, ReadOnlySpan<float> pixels)
{
    Span<float> probabilities = stackalloc float[DigitsClassifier.OutputSize];
    net.PredictRaw(pixels, probabilities);
    int digit = net.PredictClassRaw(pixels);
    Console.WriteLine($"{what}: {digit} (p = {probabilities[digit].ToString("F4", CultureInfo.InvariantCulture)})");
}

// The split samples/Digits holds out: 20 %, stratified, seed 1, raw pixel counts (the network scales them).
static Dataset<float> LoadTestSplit()
{
    string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
    Dataset<float> all = Csv.LoadClassification<float>(path, classes: 10);
    return DataSplit.TrainTest(all, testFraction: 0.2, seed: 1, stratified: true).Test;
}
