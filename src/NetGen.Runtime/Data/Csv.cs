using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Reads numeric CSV files: comma, semicolon, tab or whitespace separated; gzip when the name ends in <c>.gz</c>;
/// with or without header lines (scikit-learn's data files load with the defaults).
/// </summary>
/// <remarks>
/// <para><b>Separator.</b> Decided per file from the first data line: a tab if it has one, else a semicolon, else a
/// comma, else runs of spaces. With a tab, semicolon or comma every separator starts a new cell, so <c>1,,3</c> has an
/// empty cell (an error), and a number written with a decimal comma or a thousands separator cannot silently become
/// two cells: every row must have the first data row's number of cells.</para>
/// <para><b>Header lines.</b> With the default <c>skipLines</c> (<see cref="DetectHeader"/>), up to two leading lines
/// that are not all numbers are skipped as headers: a names line (<c>sepal_length,sepal_width,...</c>), or
/// scikit-learn's metadata line (<c>150,4,setosa,versicolor,virginica</c>: row count, feature count, class names,
/// which is not checked against the data), or both (<c>boston_house_prices.csv</c>). A third such line is reported as
/// an error. Pass <c>skipLines: 0</c> to require every line to be data, or a count to skip exactly that many lines.</para>
/// <para><b>Values.</b> Invariant culture (<c>.</c> is the decimal point), no thousands separators. NaN, infinities and
/// numbers beyond double's range (<c>1e999</c>) are rejected unless <c>allowNonFinite</c> is true.</para>
/// <para>Errors are <see cref="FormatException"/> naming the file, the line and the column; a damaged or truncated
/// <c>.gz</c> file is <see cref="InvalidDataException"/> naming the file (docs/reliability.md).</para>
/// </remarks>
public static class Csv
{
    /// <summary>The default of <c>skipLines</c>: skip up to two leading lines that are not all numbers.</summary>
    public const int DetectHeader = -1;

    private const int MaxHeaderLines = 2;

    /// <summary>Reads every row of numbers; all rows must have the same number of columns.</summary>
    /// <param name="path">The file; <c>.gz</c> files are decompressed (and their CRC-32 and length checked).</param>
    /// <param name="skipLines"><see cref="DetectHeader"/> (the default) to skip header lines found as the class remarks
    /// describe; 0 or more to skip exactly that many lines.</param>
    /// <param name="allowNonFinite">Accept NaN, infinities and out-of-range numbers (which read as infinities).</param>
    /// <returns>The values as <c>double[]</c>, row-major (row r, column c at <c>r * Columns + c</c>), with the row and
    /// column counts.</returns>
    /// <exception cref="FormatException">A cell is empty or not a (finite) number, or a row has another number of
    /// columns; the message gives the line and column.</exception>
    /// <exception cref="InvalidDataException">A <c>.gz</c> file is truncated or damaged.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static (double[] Values, int Rows, int Columns) ReadMatrix(string path, int skipLines = DetectHeader, bool allowNonFinite = false)
    {
        using TextReader reader = OpenText(path);
        return ReadMatrix(reader, skipLines, path, allowNonFinite);
    }

    /// <summary>As <see cref="ReadMatrix(string, int, bool)"/>, from a reader; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="FormatException">A cell is empty or not a (finite) number, or a row has another number of columns.</exception>
    public static (double[] Values, int Rows, int Columns) ReadMatrix(TextReader reader, int skipLines = DetectHeader, string source = "the CSV data", bool allowNonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(skipLines, DetectHeader);
        var values = new List<double>();
        var cells = new List<string>();
        int columns = -1, rows = 0, lineNumber = 0, headers = 0, firstDataLine = 0;
        string? headerReason = null;
        char separator = '\0';
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (lineNumber <= skipLines || line.AsSpan().Trim().IsEmpty)
            {
                continue;
            }

            if (columns < 0)
            {
                char candidate = Separator(line);
                Split(line, candidate, cells);
                if (skipLines == DetectHeader && headers < MaxHeaderLines && FirstNonNumber(cells) is string text)
                {
                    headerReason ??= $"line {lineNumber} was taken as a header because '{text}' is not a number";
                    headers++;
                    continue;
                }

                separator = candidate;
                columns = cells.Count;
                firstDataLine = lineNumber;
            }
            else
            {
                Split(line, separator, cells);
                if (cells.Count != columns)
                {
                    throw new FormatException(
                        $"{source}, line {lineNumber}: {cells.Count} columns where the first data row (line {firstDataLine}) has {columns}" +
                        (separator == ',' ? "; a decimal comma or a thousands separator (1,5 or 1,000.5) splits a number into two cells." : "."));
                }
            }

            for (int c = 0; c < cells.Count; c++)
            {
                values.Add(Parse(cells[c], separator, allowNonFinite, source, lineNumber, c + 1, headers));
            }

            rows++;
        }

        if (rows == 0)
        {
            throw new FormatException($"{source} has no data rows{(headers > 0 ? $" after its {headers} header line(s) ({headerReason})" : "")}.");
        }

        return (values.ToArray(), rows, columns);
    }

    /// <summary>
    /// Reads a classification file: every column is a feature except <paramref name="labelColumn"/> (negative counts
    /// from the end: -1 is the last), which holds integer class labels 0..classes-1. Header lines, separators and
    /// values are read as by <see cref="ReadMatrix(string, int, bool)"/>.
    /// </summary>
    /// <exception cref="FormatException">A cell is not a number, a row has another number of columns, or a label is not a class.</exception>
    public static Dataset<T> LoadClassification<T>(string path, int classes, int labelColumn = -1, int skipLines = DetectHeader, bool oneHot = true, bool allowNonFinite = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (double[] values, int rows, int columns) = ReadMatrix(path, skipLines, allowNonFinite);
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

    private static double Parse(string cell, char separator, bool allowNonFinite, string source, int line, int column, int headers)
    {
        string where = $"{source}, line {line}, column {column}";
        if (cell.Length == 0)
        {
            throw new FormatException($"{where} is empty.");
        }

        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            string hint = separator != ',' && cell.Contains(',') && double.TryParse(cell.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? $" (it looks like a decimal comma; NetGen reads '{cell.Replace(',', '.')}')"
                : headers == MaxHeaderLines ? $" (lines before it were skipped as {MaxHeaderLines} header lines, the most that are detected)" : "";
            throw new FormatException($"{where}: '{cell}' is not a number{hint}.");
        }

        if (!allowNonFinite && !double.IsFinite(value))
        {
            throw new FormatException(double.IsNaN(value) || cell.Contains("inf", StringComparison.OrdinalIgnoreCase) || cell.Contains('∞')
                ? $"{where}: '{cell}' is not a finite number; pass allowNonFinite: true to keep NaN and infinities."
                : $"{where}: '{cell}' is beyond the range of double (it would read as infinity); pass allowNonFinite: true to keep it.");
        }

        return value;
    }

    /// <summary>The first cell that is not a number (empty cells included), or null when all are numbers.</summary>
    private static string? FirstNonNumber(List<string> cells)
    {
        foreach (string cell in cells)
        {
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return cell;
            }
        }

        return null;
    }

    private static char Separator(string line) =>
        line.Contains('\t') ? '\t' : line.Contains(';') ? ';' : line.Contains(',') ? ',' : ' ';

    /// <summary>Splits at every <paramref name="separator"/> (cells trimmed, empty cells kept), or at runs of spaces and tabs.</summary>
    private static void Split(string line, char separator, List<string> cells)
    {
        cells.Clear();
        if (separator == ' ')
        {
            cells.AddRange(line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));
            return;
        }

        int start = 0;
        while (true)
        {
            int end = line.IndexOf(separator, start);
            cells.Add(line.AsSpan(start, (end < 0 ? line.Length : end) - start).Trim().ToString());
            if (end < 0)
            {
                return;
            }

            start = end + 1;
        }
    }

    private static TextReader OpenText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? GzipReadStream.Open(path) : File.OpenRead(path);
        return new StreamReader(stream);
    }
}
