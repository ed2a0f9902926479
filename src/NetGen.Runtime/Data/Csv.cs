using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Numerics;

namespace NetGen;

/// <summary>Reads numeric CSV files (comma, semicolon, tab or space separated; gzip when the name ends in .gz).</summary>
public static class Csv
{
    /// <summary>Reads every row of numbers; all rows must have the same number of columns.</summary>
    /// <param name="path">The file; <c>.gz</c> files are decompressed.</param>
    /// <param name="skipLines">Lines to skip at the top (headers).</param>
    /// <returns>The values row-major, with the row and column counts.</returns>
    /// <exception cref="FormatException">A value is not a number, or a row has another number of columns; the message gives the line.</exception>
    public static (double[] Values, int Rows, int Columns) ReadMatrix(string path, int skipLines = 0)
    {
        using TextReader reader = OpenText(path);
        return ReadMatrix(reader, skipLines, path);
    }

    /// <summary>As <see cref="ReadMatrix(string, int)"/>, from a reader; <paramref name="source"/> names it in errors.</summary>
    public static (double[] Values, int Rows, int Columns) ReadMatrix(TextReader reader, int skipLines = 0, string source = "the CSV data")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var values = new List<double>();
        int columns = -1, rows = 0, lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (lineNumber <= skipLines || line.Trim().Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(new[] { ',', ';', '\t', ' ' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (columns < 0)
            {
                columns = cells.Length;
            }
            else if (cells.Length != columns)
            {
                throw new FormatException($"{source}, line {lineNumber}: {cells.Length} columns where earlier rows have {columns}.");
            }

            foreach (string cell in cells)
            {
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    throw new FormatException($"{source}, line {lineNumber}: '{cell}' is not a number.");
                }

                values.Add(value);
            }

            rows++;
        }

        if (rows == 0)
        {
            throw new FormatException($"{source} has no data rows.");
        }

        return (values.ToArray(), rows, columns);
    }

    /// <summary>
    /// Reads a classification file: every column is a feature except <paramref name="labelColumn"/> (negative counts
    /// from the end: -1 is the last), which holds integer class labels 0..classes-1.
    /// </summary>
    public static Dataset<T> LoadClassification<T>(string path, int classes, int labelColumn = -1, int skipLines = 0, bool oneHot = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (double[] values, int rows, int columns) = ReadMatrix(path, skipLines);
        int label = labelColumn < 0 ? columns + labelColumn : labelColumn;
        if ((uint)label >= (uint)columns || columns < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(labelColumn), labelColumn, $"{path} has {columns} columns.");
        }

        var features = new T[rows * (columns - 1)];
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int f = 0;
            for (int c = 0; c < columns; c++)
            {
                double v = values[(r * columns) + c];
                if (c == label)
                {
                    if (v != Math.Floor(v) || v < 0 || v >= classes)
                    {
                        throw new FormatException($"{path}, data row {r + 1}: label {v} is not a class in 0..{classes - 1}.");
                    }

                    labels[r] = (int)v;
                }
                else
                {
                    features[(r * (columns - 1)) + f++] = T.CreateChecked(v);
                }
            }
        }

        return Dataset<T>.FromLabels(features, columns - 1, labels, classes, oneHot);
    }

    private static TextReader OpenText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }

        return new StreamReader(stream);
    }
}
