using System;
using System.Collections.Generic;
using System.Numerics;

namespace NetGen;

/// <summary>Seeded splits of a dataset into parts.</summary>
public static class DataSplit
{
    /// <summary>
    /// Shuffles the rows with <paramref name="seed"/> and puts <paramref name="testFraction"/> of them in the test part.
    /// With <paramref name="stratified"/> (labelled data), each class is split in that proportion, so both parts keep the
    /// class balance.
    /// </summary>
    public static (Dataset<T> Train, Dataset<T> Test) TrainTest<T>(Dataset<T> data, double testFraction, int seed, bool stratified = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1.");
        }

        if (stratified && !data.HasLabels)
        {
            throw new ArgumentException("A stratified split needs labelled data.", nameof(stratified));
        }

        int[] order = ShuffledRows(data.Rows, seed);
        var train = new List<int>();
        var test = new List<int>();
        if (stratified)
        {
            var byClass = new SortedDictionary<int, List<int>>();
            foreach (int row in order)
            {
                int label = data.Labels[row];
                if (!byClass.TryGetValue(label, out List<int>? rows))
                {
                    byClass[label] = rows = new List<int>();
                }

                rows.Add(row);
            }

            foreach (List<int> rows in byClass.Values)
            {
                int testCount = (int)Math.Round(rows.Count * testFraction);
                test.AddRange(rows.GetRange(0, testCount));
                train.AddRange(rows.GetRange(testCount, rows.Count - testCount));
            }
        }
        else
        {
            int testCount = (int)Math.Round(data.Rows * testFraction);
            test.AddRange(order.AsSpan(0, testCount).ToArray());
            train.AddRange(order.AsSpan(testCount).ToArray());
        }

        if (train.Count == 0 || test.Count == 0)
        {
            throw new ArgumentException($"Splitting {data.Rows} rows at {testFraction} leaves a part empty.", nameof(testFraction));
        }

        return (data.Select(train.ToArray()), data.Select(test.ToArray()));
    }

    /// <summary>0..rows-1 in an order fixed by <paramref name="seed"/>.</summary>
    internal static int[] ShuffledRows(int rows, int seed)
    {
        var order = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            order[i] = i;
        }

        var random = new SeededRandom(seed, stream: 0x5EED);
        random.Shuffle(order.AsSpan());
        return order;
    }
}
