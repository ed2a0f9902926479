// The register tiles of PackedDense, one method per shape and width (written out from PackedDense.Tiles.py's table:
// rows x panels per width); see PackedDense.cs for the layout and docs/performance.md for the choice of shapes.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Numerics;

public static partial class PackedDense
{
    /// <summary>
    /// The layer with Vector128: tiles of 3 rows over each panel, then the rows after the last whole tile in one or two
    /// tiles of 2 rows (<see cref="Tail128"/>); 1 row left takes one 3-row tile with it (4 = 2 + 2),
    /// so that no row of a batch goes over every panel alone (each would read the whole layer once more). A single row
    /// runs Row128. Every output is the same operations in the same order in any tile, so the bits do not depend on the cut.
    /// A short layer (<see cref="IsShort"/>) runs <see cref="ShortForward128"/> instead.
    /// </summary>
    internal static void Forward128<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (IsShort<T>(inputs, units))
        {
            ShortForward128(ref packed, inputs, units, ref x, ref y, rows, activation);
            return;
        }

        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        int tail = rows % 3;
        if (tail < 2 && tail != 0 && rows > 3)
        {
            tail += 3;
        }

        int tiled = rows - tail, second = tail > 2 ? tail / 2 : 0, first = tail - second;
        if (first == 1)
        {
            first = 0; // one row alone (rows == 1): Row128 below
        }

        for (int p = 0; p < panels; p++)
        {
            ref T panel = ref Unsafe.Add(ref packed, p * block);
            int column = p * width, left = units - column;
            for (int r = 0; r < tiled; r += 3)
            {
                Tile128R3P1(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, activation);
            }

            if (first != 0)
            {
                Tail128(ref panel, block, inputs, ref Unsafe.Add(ref x, tiled * inputs), ref Unsafe.Add(ref y, (tiled * units) + column), units, left, first, activation);
            }

            if (second != 0)
            {
                int r = tiled + first;
                Tail128(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, second, activation);
            }
        }

        for (int r = tiled + first + second; r < rows; r++)
        {
            Row128(ref packed, inputs, units, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, r * units), activation, alternate: false);
        }
    }

    /// <summary>
    /// 2 rows (<paramref name="rows"/>) over one panel with Vector128, in the tile of that many rows: the rows
    /// after Forward128's whole tiles. A method of its own, so that the batch method keeps only its main tile inlined.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tail128<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        Tile128R2P1(ref panel, block, inputs, ref x, ref y, units, left, activation);
    }

    /// <summary>
    /// One row with Vector128: groups of 2 panels, then each smaller group (1) at most once, the sums
    /// stored, then one activation pass over the row. If <paramref name="alternate"/>, a large layer takes the same
    /// groups last to first on every other call (<see cref="Backwards"/>). A method of its own with each tile compiled
    /// into it once, so that a one-row call runs a small method. An input row with enough zeros runs
    /// <see cref="SparseRow128"/> instead (<see cref="SkipsZeros"/>), which gives the same bits; a short layer
    /// (<see cref="IsShort"/>) runs <see cref="ShortRow128"/>.
    /// </summary>
    internal static void Row128<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation, bool alternate)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (IsShort<T>(inputs, units))
        {
            ShortRow128(ref packed, inputs, units, ref x, ref y, activation);
            return;
        }

        if (inputs >= SparseRowInputs && SkipsZeros(ref x, inputs))
        {
            SparseRow128(ref packed, inputs, units, ref x, ref y, activation, alternate);
            return;
        }

        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        bool backwards = alternate && Backwards((long)panels * block * Unsafe.SizeOf<T>());
        int smaller = panels - (panels % 2); // where the groups of fewer than 2 panels start: one per bit of panels % 2
        int p = backwards ? panels : 0;
        for (int done = 0; done < panels;)
        {
            int size;
            if (backwards)
            {
                // The group that ends at p: 2 panels before the smaller ones, else the lowest bit of what precedes p there.
                size = p > smaller ? (p - smaller) & -(p - smaller) : 2;
                p -= size;
            }
            else
            {
                size = panels - p >= 2 ? 2 : 1;
            }

            ref T panel = ref Unsafe.Add(ref packed, p * block);
            ref T yp = ref Unsafe.Add(ref y, p * width);
            int left = units - (p * width);
            if (size == 2)
            {
                Tile128R1P2(ref panel, block, inputs, ref x, ref yp, left);
            }
            else
            {
                Tile128R1P1(ref panel, block, inputs, ref x, ref yp, left);
            }

            done += size;
            if (!backwards)
            {
                p += size;
            }
        }

        ActivateRow(ref y, units, activation);
    }

    /// <summary>
    /// <see cref="Row128"/> over the inputs that are not zero: their indices listed once (<see cref="NonzeroInputs"/>,
    /// on the stack), then the same groups of panels, each reading only the weight rows of the listed inputs. Each
    /// accumulator adds the same nonzero products in the same order, and a skipped product (0 times a finite weight:
    /// a zero) leaves a sum unchanged, except that it turns a sum of -0 into +0; so the sums are Row128's bits except
    /// that one can be -0 where Row128's is +0. A group with a -0 sum runs Row128's tile over again (docs/architecture.md, "The packed inference copy").
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SparseRow128<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation, bool alternate)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        Span<int> list = stackalloc int[SparseRowMaxInputs + SparsePrefetchAhead];
        ref int index = ref MemoryMarshal.GetReference(list);
        int count = NonzeroInputs(ref x, inputs, ref index);
        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        bool backwards = alternate && Backwards((long)panels * block * Unsafe.SizeOf<T>());
        int smaller = panels - (panels % 2); // where the groups of fewer than 2 panels start: one per bit of panels % 2
        int p = backwards ? panels : 0;
        for (int done = 0; done < panels;)
        {
            int size;
            if (backwards)
            {
                // The group that ends at p: 2 panels before the smaller ones, else the lowest bit of what precedes p there.
                size = p > smaller ? (p - smaller) & -(p - smaller) : 2;
                p -= size;
            }
            else
            {
                size = panels - p >= 2 ? 2 : 1;
            }

            ref T panel = ref Unsafe.Add(ref packed, p * block);
            ref T yp = ref Unsafe.Add(ref y, p * width);
            int left = units - (p * width);
            if (size == 2)
            {
                if (!SparseTile128R1P2(ref panel, block, ref index, count, ref x, ref yp, left))
                {
                    Tile128R1P2(ref panel, block, inputs, ref x, ref yp, left);
                }
            }
            else
            {
                if (!SparseTile128R1P1(ref panel, block, ref index, count, ref x, ref yp, left))
                {
                    Tile128R1P1(ref panel, block, inputs, ref x, ref yp, left);
                }
            }

            done += size;
            if (!backwards)
            {
                p += size;
            }
        }

        ActivateRow(ref y, units, activation);
    }

    /// <summary>3 row(s) x 1 panel(s) with Vector128: 12 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile128R3P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector128<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        Vector128<T> b00 = Vector128.LoadUnsafe(ref p0), b01 = Vector128.LoadUnsafe(ref p0, (nuint)c), b02 = Vector128.LoadUnsafe(ref p0, (nuint)(2 * c)), b03 = Vector128.LoadUnsafe(ref p0, (nuint)(3 * c));
        Vector128<T> a000 = b00, a001 = b01, a002 = b02, a003 = b03;
        Vector128<T> a100 = b00, a101 = b01, a102 = b02, a103 = b03;
        Vector128<T> a200 = b00, a201 = b01, a202 = b02, a203 = b03;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector128<T> w00 = Vector128.LoadUnsafe(ref w0, o);
            Vector128<T> w01 = Vector128.LoadUnsafe(ref w0, o + (nuint)c);
            Vector128<T> w02 = Vector128.LoadUnsafe(ref w0, o + (nuint)(2 * c));
            Vector128<T> w03 = Vector128.LoadUnsafe(ref w0, o + (nuint)(3 * c));
            Vector128<T> v0 = Vector128.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a001 = MulAdd(v0, w01, a001);
            a002 = MulAdd(v0, w02, a002);
            a003 = MulAdd(v0, w03, a003);
            Vector128<T> v1 = Vector128.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a101 = MulAdd(v1, w01, a101);
            a102 = MulAdd(v1, w02, a102);
            a103 = MulAdd(v1, w03, a103);
            Vector128<T> v2 = Vector128.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            a201 = MulAdd(v2, w01, a201);
            a202 = MulAdd(v2, w02, a202);
            a203 = MulAdd(v2, w03, a203);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a002, ref y0, 2 * c, left);
        Store(a003, ref y0, 3 * c, left);
        Store(a100, ref y1, 0, left);
        Store(a101, ref y1, c, left);
        Store(a102, ref y1, 2 * c, left);
        Store(a103, ref y1, 3 * c, left);
        Store(a200, ref y2, 0, left);
        Store(a201, ref y2, c, left);
        Store(a202, ref y2, 2 * c, left);
        Store(a203, ref y2, 3 * c, left);

        Activate(ref y, units, 3, width, left, activation);
    }

    /// <summary>2 row(s) x 1 panel(s) with Vector128: 8 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile128R2P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector128<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        Vector128<T> b00 = Vector128.LoadUnsafe(ref p0), b01 = Vector128.LoadUnsafe(ref p0, (nuint)c), b02 = Vector128.LoadUnsafe(ref p0, (nuint)(2 * c)), b03 = Vector128.LoadUnsafe(ref p0, (nuint)(3 * c));
        Vector128<T> a000 = b00, a001 = b01, a002 = b02, a003 = b03;
        Vector128<T> a100 = b00, a101 = b01, a102 = b02, a103 = b03;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector128<T> w00 = Vector128.LoadUnsafe(ref w0, o);
            Vector128<T> w01 = Vector128.LoadUnsafe(ref w0, o + (nuint)c);
            Vector128<T> w02 = Vector128.LoadUnsafe(ref w0, o + (nuint)(2 * c));
            Vector128<T> w03 = Vector128.LoadUnsafe(ref w0, o + (nuint)(3 * c));
            Vector128<T> v0 = Vector128.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a001 = MulAdd(v0, w01, a001);
            a002 = MulAdd(v0, w02, a002);
            a003 = MulAdd(v0, w03, a003);
            Vector128<T> v1 = Vector128.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a101 = MulAdd(v1, w01, a101);
            a102 = MulAdd(v1, w02, a102);
            a103 = MulAdd(v1, w03, a103);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a002, ref y0, 2 * c, left);
        Store(a003, ref y0, 3 * c, left);
        Store(a100, ref y1, 0, left);
        Store(a101, ref y1, c, left);
        Store(a102, ref y1, 2 * c, left);
        Store(a103, ref y1, 3 * c, left);

        Activate(ref y, units, 2, width, left, activation);
    }

    /// <summary>1 row(s) x 2 panel(s) with Vector128: 8 accumulators, started at the bias, stored (Row128 activates the row afterwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile128R1P2<T>(ref T panel, int block, int inputs, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector128<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        Vector128<T> b00 = Vector128.LoadUnsafe(ref p0), b01 = Vector128.LoadUnsafe(ref p0, (nuint)c), b02 = Vector128.LoadUnsafe(ref p0, (nuint)(2 * c)), b03 = Vector128.LoadUnsafe(ref p0, (nuint)(3 * c));
        Vector128<T> b10 = Vector128.LoadUnsafe(ref p1), b11 = Vector128.LoadUnsafe(ref p1, (nuint)c), b12 = Vector128.LoadUnsafe(ref p1, (nuint)(2 * c)), b13 = Vector128.LoadUnsafe(ref p1, (nuint)(3 * c));
        Vector128<T> a000 = b00, a001 = b01, a002 = b02, a003 = b03, a010 = b10, a011 = b11, a012 = b12, a013 = b13;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector128<T> v0 = Vector128.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, Vector128.LoadUnsafe(ref w0, o), a000);
            a001 = MulAdd(v0, Vector128.LoadUnsafe(ref w0, o + (nuint)c), a001);
            a002 = MulAdd(v0, Vector128.LoadUnsafe(ref w0, o + (nuint)(2 * c)), a002);
            a003 = MulAdd(v0, Vector128.LoadUnsafe(ref w0, o + (nuint)(3 * c)), a003);
            a010 = MulAdd(v0, Vector128.LoadUnsafe(ref w1, o), a010);
            a011 = MulAdd(v0, Vector128.LoadUnsafe(ref w1, o + (nuint)c), a011);
            a012 = MulAdd(v0, Vector128.LoadUnsafe(ref w1, o + (nuint)(2 * c)), a012);
            a013 = MulAdd(v0, Vector128.LoadUnsafe(ref w1, o + (nuint)(3 * c)), a013);
        }

        ref T y0 = ref y;
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a002, ref y0, 2 * c, left);
        Store(a003, ref y0, 3 * c, left);
        Store(a010, ref y0, width, left);
        Store(a011, ref y0, width + c, left);
        Store(a012, ref y0, width + 2 * c, left);
        Store(a013, ref y0, width + 3 * c, left);
    }

    /// <summary>1 row(s) x 1 panel(s) with Vector128: 4 accumulators, started at the bias, stored (Row128 activates the row afterwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile128R1P1<T>(ref T panel, int block, int inputs, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector128<T>.Count;
        ref T p0 = ref panel;
        Vector128<T> b00 = Vector128.LoadUnsafe(ref p0), b01 = Vector128.LoadUnsafe(ref p0, (nuint)c), b02 = Vector128.LoadUnsafe(ref p0, (nuint)(2 * c)), b03 = Vector128.LoadUnsafe(ref p0, (nuint)(3 * c));
        Vector128<T> a000 = b00, a001 = b01, a002 = b02, a003 = b03;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector128<T> v0 = Vector128.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, Vector128.LoadUnsafe(ref w0, o), a000);
            a001 = MulAdd(v0, Vector128.LoadUnsafe(ref w0, o + (nuint)c), a001);
            a002 = MulAdd(v0, Vector128.LoadUnsafe(ref w0, o + (nuint)(2 * c)), a002);
            a003 = MulAdd(v0, Vector128.LoadUnsafe(ref w0, o + (nuint)(3 * c)), a003);
        }

        ref T y0 = ref y;
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a002, ref y0, 2 * c, left);
        Store(a003, ref y0, 3 * c, left);
    }

    /// <summary>
    /// Tile128R1P2 over the <paramref name="count"/> inputs listed at <paramref name="index"/>: 8 accumulator(s), started at the
    /// bias, stored unless one holds a -0 (false: nothing stored, for the dense tile to run).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SparseTile128R1P2<T>(ref T panel, int block, ref int index, int count, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector128<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        Vector128<T> a00 = Vector128.LoadUnsafe(ref p0), a01 = Vector128.LoadUnsafe(ref p0, (nuint)c), a02 = Vector128.LoadUnsafe(ref p0, (nuint)(2 * c)), a03 = Vector128.LoadUnsafe(ref p0, (nuint)(3 * c));
        Vector128<T> a10 = Vector128.LoadUnsafe(ref p1), a11 = Vector128.LoadUnsafe(ref p1, (nuint)c), a12 = Vector128.LoadUnsafe(ref p1, (nuint)(2 * c)), a13 = Vector128.LoadUnsafe(ref p1, (nuint)(3 * c));
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        for (int j = 0; j < count; j++)
        {
            int i = Unsafe.Add(ref index, j);
            nuint o = (nuint)i * (nuint)width, ahead = (nuint)Unsafe.Add(ref index, j + SparsePrefetchAhead) * (nuint)width;
            Prefetch(ref Unsafe.Add(ref w0, ahead));
            Prefetch(ref Unsafe.Add(ref w1, ahead));
            Vector128<T> v = Vector128.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v, Vector128.LoadUnsafe(ref w0, o), a00);
            a01 = MulAdd(v, Vector128.LoadUnsafe(ref w0, o + (nuint)c), a01);
            a02 = MulAdd(v, Vector128.LoadUnsafe(ref w0, o + (nuint)(2 * c)), a02);
            a03 = MulAdd(v, Vector128.LoadUnsafe(ref w0, o + (nuint)(3 * c)), a03);
            a10 = MulAdd(v, Vector128.LoadUnsafe(ref w1, o), a10);
            a11 = MulAdd(v, Vector128.LoadUnsafe(ref w1, o + (nuint)c), a11);
            a12 = MulAdd(v, Vector128.LoadUnsafe(ref w1, o + (nuint)(2 * c)), a12);
            a13 = MulAdd(v, Vector128.LoadUnsafe(ref w1, o + (nuint)(3 * c)), a13);
        }

        if (IsNegativeZero(a00) || IsNegativeZero(a01) || IsNegativeZero(a02) || IsNegativeZero(a03) || IsNegativeZero(a10) || IsNegativeZero(a11) || IsNegativeZero(a12) || IsNegativeZero(a13))
        {
            return false;
        }

        Store(a00, ref y, 0, left);
        Store(a01, ref y, c, left);
        Store(a02, ref y, 2 * c, left);
        Store(a03, ref y, 3 * c, left);
        Store(a10, ref y, width, left);
        Store(a11, ref y, width + c, left);
        Store(a12, ref y, width + 2 * c, left);
        Store(a13, ref y, width + 3 * c, left);
        return true;
    }

    /// <summary>
    /// Tile128R1P1 over the <paramref name="count"/> inputs listed at <paramref name="index"/>: 4 accumulator(s), started at the
    /// bias, stored unless one holds a -0 (false: nothing stored, for the dense tile to run).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SparseTile128R1P1<T>(ref T panel, int block, ref int index, int count, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector128<T>.Count;
        ref T p0 = ref panel;
        Vector128<T> a00 = Vector128.LoadUnsafe(ref p0), a01 = Vector128.LoadUnsafe(ref p0, (nuint)c), a02 = Vector128.LoadUnsafe(ref p0, (nuint)(2 * c)), a03 = Vector128.LoadUnsafe(ref p0, (nuint)(3 * c));
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int j = 0; j < count; j++)
        {
            int i = Unsafe.Add(ref index, j);
            nuint o = (nuint)i * (nuint)width, ahead = (nuint)Unsafe.Add(ref index, j + SparsePrefetchAhead) * (nuint)width;
            Prefetch(ref Unsafe.Add(ref w0, ahead));
            Vector128<T> v = Vector128.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v, Vector128.LoadUnsafe(ref w0, o), a00);
            a01 = MulAdd(v, Vector128.LoadUnsafe(ref w0, o + (nuint)c), a01);
            a02 = MulAdd(v, Vector128.LoadUnsafe(ref w0, o + (nuint)(2 * c)), a02);
            a03 = MulAdd(v, Vector128.LoadUnsafe(ref w0, o + (nuint)(3 * c)), a03);
        }

        if (IsNegativeZero(a00) || IsNegativeZero(a01) || IsNegativeZero(a02) || IsNegativeZero(a03))
        {
            return false;
        }

        Store(a00, ref y, 0, left);
        Store(a01, ref y, c, left);
        Store(a02, ref y, 2 * c, left);
        Store(a03, ref y, 3 * c, left);
        return true;
    }

    /// <summary>
    /// A short layer (<see cref="IsShort"/>) with Vector128: per panel, one row at a time, each row's values activated in
    /// place after its store. A single row runs <see cref="ShortRow128"/>.
    /// </summary>
    private static void ShortForward128<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (rows == 1)
        {
            ShortRow128(ref packed, inputs, units, ref x, ref y, activation);
            return;
        }

        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        int tiled = rows - (rows % 1);
        for (int p = 0; p < panels; p++)
        {
            ref T panel = ref Unsafe.Add(ref packed, p * block);
            int column = p * width, left = units - column;
            for (int r = 0; r < tiled; r += 1)
            {
                ref T yr = ref Unsafe.Add(ref y, (r * units) + column);
                ShortTile128R1(ref panel, inputs, ref Unsafe.Add(ref x, r * inputs), ref yr, units, left);
                Activate(ref yr, units, 1, width, left, activation);
            }
        }
    }

    /// <summary>
    /// One row of a short layer (<see cref="IsShort"/>) with Vector128: <see cref="ShortTile128R1"/> over each panel (the two
    /// panels' chains are independent, so the core runs them side by side), then one activation pass over the row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortRow128<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        ShortTile128R1(ref packed, inputs, ref x, ref y, units, units);
        if (units > width)
        {
            ShortTile128R1(ref Unsafe.Add(ref packed, (inputs + 1) * width), inputs, ref x, ref Unsafe.Add(ref y, width), units, units - width);
        }

        ActivateRow(ref y, units, activation);
    }

    /// <summary>
    /// 1 row(s) of a short layer x 1 panel with Vector128: 4 accumulator(s) in two chains each (8 vectors), the
    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; their sum is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortTile128R1<T>(ref T panel, int inputs, ref T x, ref T y, int units, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector128<T>.Count;
        ref T p0 = ref panel;
        Vector128<T> b00 = Vector128.LoadUnsafe(ref p0), b01 = Vector128.LoadUnsafe(ref p0, (nuint)c), b02 = Vector128.LoadUnsafe(ref p0, (nuint)(2 * c)), b03 = Vector128.LoadUnsafe(ref p0, (nuint)(3 * c));
        Vector128<T> a00 = b00, e00 = Vector128<T>.Zero, a01 = b01, e01 = Vector128<T>.Zero, a02 = b02, e02 = Vector128<T>.Zero, a03 = b03, e03 = Vector128<T>.Zero;
        ref T weights = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        int i = 0;
        for (; i < inputs - 1; i += 2)
        {
            nuint o = (nuint)i * (nuint)width, q = o + (nuint)width;
            Vector128<T> v0 = Vector128.Create(Unsafe.Add(ref x, i)), t0 = Vector128.Create(Unsafe.Add(ref x, i + 1));
            a00 = MulAdd(v0, Vector128.LoadUnsafe(ref weights, o), a00);
            a01 = MulAdd(v0, Vector128.LoadUnsafe(ref weights, o + (nuint)c), a01);
            a02 = MulAdd(v0, Vector128.LoadUnsafe(ref weights, o + (nuint)(2 * c)), a02);
            a03 = MulAdd(v0, Vector128.LoadUnsafe(ref weights, o + (nuint)(3 * c)), a03);
            e00 = MulAdd(t0, Vector128.LoadUnsafe(ref weights, q), e00);
            e01 = MulAdd(t0, Vector128.LoadUnsafe(ref weights, q + (nuint)c), e01);
            e02 = MulAdd(t0, Vector128.LoadUnsafe(ref weights, q + (nuint)(2 * c)), e02);
            e03 = MulAdd(t0, Vector128.LoadUnsafe(ref weights, q + (nuint)(3 * c)), e03);
        }

        if (i < inputs)
        {
            // The last input of an odd count: an even one.
            nuint o = (nuint)i * (nuint)width;
            Vector128<T> v0 = Vector128.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v0, Vector128.LoadUnsafe(ref weights, o), a00);
            a01 = MulAdd(v0, Vector128.LoadUnsafe(ref weights, o + (nuint)c), a01);
            a02 = MulAdd(v0, Vector128.LoadUnsafe(ref weights, o + (nuint)(2 * c)), a02);
            a03 = MulAdd(v0, Vector128.LoadUnsafe(ref weights, o + (nuint)(3 * c)), a03);
        }

        ref T y0 = ref y;
        Store(a00 + e00, ref y0, 0, left);
        Store(a01 + e01, ref y0, c, left);
        Store(a02 + e02, ref y0, 2 * c, left);
        Store(a03 + e03, ref y0, 3 * c, left);
    }

    /// <summary>
    /// The layer with Vector256: tiles of 6 rows over each panel, then the rows after the last whole tile in one or two
    /// tiles of 2 to 5 rows (<see cref="Tail256"/>); 1 to 3 rows left take one 6-row tile with them (7 = 4 + 3, 8 = 4 + 4, 9 = 5 + 4),
    /// so that no row of a batch goes over every panel alone (each would read the whole layer once more). A single row
    /// runs Row256. Every output is the same operations in the same order in any tile, so the bits do not depend on the cut.
    /// A short layer (<see cref="IsShort"/>) runs <see cref="ShortForward256"/> instead.
    /// </summary>
    internal static void Forward256<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (IsShort<T>(inputs, units))
        {
            ShortForward256(ref packed, inputs, units, ref x, ref y, rows, activation);
            return;
        }

        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        int tail = rows % 6;
        if (tail < 4 && tail != 0 && rows > 6)
        {
            tail += 6;
        }

        int tiled = rows - tail, second = tail > 5 ? tail / 2 : 0, first = tail - second;
        if (first == 1)
        {
            first = 0; // one row alone (rows == 1): Row256 below
        }

        for (int p = 0; p < panels; p++)
        {
            ref T panel = ref Unsafe.Add(ref packed, p * block);
            int column = p * width, left = units - column;
            for (int r = 0; r < tiled; r += 6)
            {
                Tile256R6P1(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, activation);
            }

            if (first != 0)
            {
                Tail256(ref panel, block, inputs, ref Unsafe.Add(ref x, tiled * inputs), ref Unsafe.Add(ref y, (tiled * units) + column), units, left, first, activation);
            }

            if (second != 0)
            {
                int r = tiled + first;
                Tail256(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, second, activation);
            }
        }

        for (int r = tiled + first + second; r < rows; r++)
        {
            Row256(ref packed, inputs, units, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, r * units), activation, alternate: false);
        }
    }

    /// <summary>
    /// 5, 4, 3 or 2 rows (<paramref name="rows"/>) over one panel with Vector256, in the tile of that many rows: the rows
    /// after Forward256's whole tiles. A method of its own, so that the batch method keeps only its main tile inlined.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tail256<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (rows == 5)
        {
            Tile256R5P1(ref panel, block, inputs, ref x, ref y, units, left, activation);
        }
        else if (rows == 4)
        {
            Tile256R4P1(ref panel, block, inputs, ref x, ref y, units, left, activation);
        }
        else if (rows == 3)
        {
            Tile256R3P1(ref panel, block, inputs, ref x, ref y, units, left, activation);
        }
        else
        {
            Tile256R2P1(ref panel, block, inputs, ref x, ref y, units, left, activation);
        }
    }

    /// <summary>
    /// One row with Vector256: groups of 4 panels, then each smaller group (2, 1) at most once, the sums
    /// stored, then one activation pass over the row. If <paramref name="alternate"/>, a large layer takes the same
    /// groups last to first on every other call (<see cref="Backwards"/>). A method of its own with each tile compiled
    /// into it once, so that a one-row call runs a small method. An input row with enough zeros runs
    /// <see cref="SparseRow256"/> instead (<see cref="SkipsZeros"/>), which gives the same bits; a short layer
    /// (<see cref="IsShort"/>) runs <see cref="ShortRow256"/>.
    /// </summary>
    internal static void Row256<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation, bool alternate)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (IsShort<T>(inputs, units))
        {
            ShortRow256(ref packed, inputs, units, ref x, ref y, activation);
            return;
        }

        if (inputs >= SparseRowInputs && SkipsZeros(ref x, inputs))
        {
            SparseRow256(ref packed, inputs, units, ref x, ref y, activation, alternate);
            return;
        }

        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        bool backwards = alternate && Backwards((long)panels * block * Unsafe.SizeOf<T>());
        int smaller = panels - (panels % 4); // where the groups of fewer than 4 panels start: one per bit of panels % 4
        int p = backwards ? panels : 0;
        for (int done = 0; done < panels;)
        {
            int size;
            if (backwards)
            {
                // The group that ends at p: 4 panels before the smaller ones, else the lowest bit of what precedes p there.
                size = p > smaller ? (p - smaller) & -(p - smaller) : 4;
                p -= size;
            }
            else
            {
                size = panels - p >= 4 ? 4 : panels - p >= 2 ? 2 : 1;
            }

            ref T panel = ref Unsafe.Add(ref packed, p * block);
            ref T yp = ref Unsafe.Add(ref y, p * width);
            int left = units - (p * width);
            if (size == 4)
            {
                Tile256R1P4(ref panel, block, inputs, ref x, ref yp, left);
            }
            else if (size == 2)
            {
                Tile256R1P2(ref panel, block, inputs, ref x, ref yp, left);
            }
            else
            {
                Tile256R1P1(ref panel, block, inputs, ref x, ref yp, left);
            }

            done += size;
            if (!backwards)
            {
                p += size;
            }
        }

        ActivateRow(ref y, units, activation);
    }

    /// <summary>
    /// <see cref="Row256"/> over the inputs that are not zero: their indices listed once (<see cref="NonzeroInputs"/>,
    /// on the stack), then the same groups of panels, each reading only the weight rows of the listed inputs. Each
    /// accumulator adds the same nonzero products in the same order, and a skipped product (0 times a finite weight:
    /// a zero) leaves a sum unchanged, except that it turns a sum of -0 into +0; so the sums are Row256's bits except
    /// that one can be -0 where Row256's is +0. A group with a -0 sum runs Row256's tile over again (docs/architecture.md, "The packed inference copy").
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SparseRow256<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation, bool alternate)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        Span<int> list = stackalloc int[SparseRowMaxInputs + SparsePrefetchAhead];
        ref int index = ref MemoryMarshal.GetReference(list);
        int count = NonzeroInputs(ref x, inputs, ref index);
        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        bool backwards = alternate && Backwards((long)panels * block * Unsafe.SizeOf<T>());
        int smaller = panels - (panels % 4); // where the groups of fewer than 4 panels start: one per bit of panels % 4
        int p = backwards ? panels : 0;
        for (int done = 0; done < panels;)
        {
            int size;
            if (backwards)
            {
                // The group that ends at p: 4 panels before the smaller ones, else the lowest bit of what precedes p there.
                size = p > smaller ? (p - smaller) & -(p - smaller) : 4;
                p -= size;
            }
            else
            {
                size = panels - p >= 4 ? 4 : panels - p >= 2 ? 2 : 1;
            }

            ref T panel = ref Unsafe.Add(ref packed, p * block);
            ref T yp = ref Unsafe.Add(ref y, p * width);
            int left = units - (p * width);
            if (size == 4)
            {
                if (!SparseTile256R1P4(ref panel, block, ref index, count, ref x, ref yp, left))
                {
                    Tile256R1P4(ref panel, block, inputs, ref x, ref yp, left);
                }
            }
            else if (size == 2)
            {
                if (!SparseTile256R1P2(ref panel, block, ref index, count, ref x, ref yp, left))
                {
                    Tile256R1P2(ref panel, block, inputs, ref x, ref yp, left);
                }
            }
            else
            {
                if (!SparseTile256R1P1(ref panel, block, ref index, count, ref x, ref yp, left))
                {
                    Tile256R1P1(ref panel, block, inputs, ref x, ref yp, left);
                }
            }

            done += size;
            if (!backwards)
            {
                p += size;
            }
        }

        ActivateRow(ref y, units, activation);
    }

    /// <summary>6 row(s) x 1 panel(s) with Vector256: 12 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile256R6P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        ref T x4 = ref Unsafe.Add(ref x3, inputs);
        ref T x5 = ref Unsafe.Add(ref x4, inputs);
        Vector256<T> b00 = Vector256.LoadUnsafe(ref p0), b01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> a000 = b00, a001 = b01;
        Vector256<T> a100 = b00, a101 = b01;
        Vector256<T> a200 = b00, a201 = b01;
        Vector256<T> a300 = b00, a301 = b01;
        Vector256<T> a400 = b00, a401 = b01;
        Vector256<T> a500 = b00, a501 = b01;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector256<T> w00 = Vector256.LoadUnsafe(ref w0, o);
            Vector256<T> w01 = Vector256.LoadUnsafe(ref w0, o + (nuint)c);
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a001 = MulAdd(v0, w01, a001);
            Vector256<T> v1 = Vector256.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a101 = MulAdd(v1, w01, a101);
            Vector256<T> v2 = Vector256.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            a201 = MulAdd(v2, w01, a201);
            Vector256<T> v3 = Vector256.Create(Unsafe.Add(ref x3, i));
            a300 = MulAdd(v3, w00, a300);
            a301 = MulAdd(v3, w01, a301);
            Vector256<T> v4 = Vector256.Create(Unsafe.Add(ref x4, i));
            a400 = MulAdd(v4, w00, a400);
            a401 = MulAdd(v4, w01, a401);
            Vector256<T> v5 = Vector256.Create(Unsafe.Add(ref x5, i));
            a500 = MulAdd(v5, w00, a500);
            a501 = MulAdd(v5, w01, a501);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        ref T y4 = ref Unsafe.Add(ref y3, units);
        ref T y5 = ref Unsafe.Add(ref y4, units);
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a100, ref y1, 0, left);
        Store(a101, ref y1, c, left);
        Store(a200, ref y2, 0, left);
        Store(a201, ref y2, c, left);
        Store(a300, ref y3, 0, left);
        Store(a301, ref y3, c, left);
        Store(a400, ref y4, 0, left);
        Store(a401, ref y4, c, left);
        Store(a500, ref y5, 0, left);
        Store(a501, ref y5, c, left);

        Activate(ref y, units, 6, width, left, activation);
    }

    /// <summary>5 row(s) x 1 panel(s) with Vector256: 10 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile256R5P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        ref T x4 = ref Unsafe.Add(ref x3, inputs);
        Vector256<T> b00 = Vector256.LoadUnsafe(ref p0), b01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> a000 = b00, a001 = b01;
        Vector256<T> a100 = b00, a101 = b01;
        Vector256<T> a200 = b00, a201 = b01;
        Vector256<T> a300 = b00, a301 = b01;
        Vector256<T> a400 = b00, a401 = b01;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector256<T> w00 = Vector256.LoadUnsafe(ref w0, o);
            Vector256<T> w01 = Vector256.LoadUnsafe(ref w0, o + (nuint)c);
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a001 = MulAdd(v0, w01, a001);
            Vector256<T> v1 = Vector256.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a101 = MulAdd(v1, w01, a101);
            Vector256<T> v2 = Vector256.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            a201 = MulAdd(v2, w01, a201);
            Vector256<T> v3 = Vector256.Create(Unsafe.Add(ref x3, i));
            a300 = MulAdd(v3, w00, a300);
            a301 = MulAdd(v3, w01, a301);
            Vector256<T> v4 = Vector256.Create(Unsafe.Add(ref x4, i));
            a400 = MulAdd(v4, w00, a400);
            a401 = MulAdd(v4, w01, a401);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        ref T y4 = ref Unsafe.Add(ref y3, units);
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a100, ref y1, 0, left);
        Store(a101, ref y1, c, left);
        Store(a200, ref y2, 0, left);
        Store(a201, ref y2, c, left);
        Store(a300, ref y3, 0, left);
        Store(a301, ref y3, c, left);
        Store(a400, ref y4, 0, left);
        Store(a401, ref y4, c, left);

        Activate(ref y, units, 5, width, left, activation);
    }

    /// <summary>4 row(s) x 1 panel(s) with Vector256: 8 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile256R4P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        Vector256<T> b00 = Vector256.LoadUnsafe(ref p0), b01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> a000 = b00, a001 = b01;
        Vector256<T> a100 = b00, a101 = b01;
        Vector256<T> a200 = b00, a201 = b01;
        Vector256<T> a300 = b00, a301 = b01;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector256<T> w00 = Vector256.LoadUnsafe(ref w0, o);
            Vector256<T> w01 = Vector256.LoadUnsafe(ref w0, o + (nuint)c);
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a001 = MulAdd(v0, w01, a001);
            Vector256<T> v1 = Vector256.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a101 = MulAdd(v1, w01, a101);
            Vector256<T> v2 = Vector256.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            a201 = MulAdd(v2, w01, a201);
            Vector256<T> v3 = Vector256.Create(Unsafe.Add(ref x3, i));
            a300 = MulAdd(v3, w00, a300);
            a301 = MulAdd(v3, w01, a301);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a100, ref y1, 0, left);
        Store(a101, ref y1, c, left);
        Store(a200, ref y2, 0, left);
        Store(a201, ref y2, c, left);
        Store(a300, ref y3, 0, left);
        Store(a301, ref y3, c, left);

        Activate(ref y, units, 4, width, left, activation);
    }

    /// <summary>3 row(s) x 1 panel(s) with Vector256: 6 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile256R3P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        Vector256<T> b00 = Vector256.LoadUnsafe(ref p0), b01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> a000 = b00, a001 = b01;
        Vector256<T> a100 = b00, a101 = b01;
        Vector256<T> a200 = b00, a201 = b01;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector256<T> w00 = Vector256.LoadUnsafe(ref w0, o);
            Vector256<T> w01 = Vector256.LoadUnsafe(ref w0, o + (nuint)c);
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a001 = MulAdd(v0, w01, a001);
            Vector256<T> v1 = Vector256.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a101 = MulAdd(v1, w01, a101);
            Vector256<T> v2 = Vector256.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            a201 = MulAdd(v2, w01, a201);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a100, ref y1, 0, left);
        Store(a101, ref y1, c, left);
        Store(a200, ref y2, 0, left);
        Store(a201, ref y2, c, left);

        Activate(ref y, units, 3, width, left, activation);
    }

    /// <summary>2 row(s) x 1 panel(s) with Vector256: 4 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile256R2P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        Vector256<T> b00 = Vector256.LoadUnsafe(ref p0), b01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> a000 = b00, a001 = b01;
        Vector256<T> a100 = b00, a101 = b01;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector256<T> w00 = Vector256.LoadUnsafe(ref w0, o);
            Vector256<T> w01 = Vector256.LoadUnsafe(ref w0, o + (nuint)c);
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a001 = MulAdd(v0, w01, a001);
            Vector256<T> v1 = Vector256.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a101 = MulAdd(v1, w01, a101);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a100, ref y1, 0, left);
        Store(a101, ref y1, c, left);

        Activate(ref y, units, 2, width, left, activation);
    }

    /// <summary>1 row(s) x 4 panel(s) with Vector256: 8 accumulators, started at the bias, stored (Row256 activates the row afterwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile256R1P4<T>(ref T panel, int block, int inputs, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        ref T p2 = ref Unsafe.Add(ref p1, block);
        ref T p3 = ref Unsafe.Add(ref p2, block);
        Vector256<T> b00 = Vector256.LoadUnsafe(ref p0), b01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> b10 = Vector256.LoadUnsafe(ref p1), b11 = Vector256.LoadUnsafe(ref p1, (nuint)c);
        Vector256<T> b20 = Vector256.LoadUnsafe(ref p2), b21 = Vector256.LoadUnsafe(ref p2, (nuint)c);
        Vector256<T> b30 = Vector256.LoadUnsafe(ref p3), b31 = Vector256.LoadUnsafe(ref p3, (nuint)c);
        Vector256<T> a000 = b00, a001 = b01, a010 = b10, a011 = b11, a020 = b20, a021 = b21, a030 = b30, a031 = b31;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        ref T w2 = ref Unsafe.Add(ref p2, width); // the weights follow the panel's bias row
        ref T w3 = ref Unsafe.Add(ref p3, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, Vector256.LoadUnsafe(ref w0, o), a000);
            a001 = MulAdd(v0, Vector256.LoadUnsafe(ref w0, o + (nuint)c), a001);
            a010 = MulAdd(v0, Vector256.LoadUnsafe(ref w1, o), a010);
            a011 = MulAdd(v0, Vector256.LoadUnsafe(ref w1, o + (nuint)c), a011);
            a020 = MulAdd(v0, Vector256.LoadUnsafe(ref w2, o), a020);
            a021 = MulAdd(v0, Vector256.LoadUnsafe(ref w2, o + (nuint)c), a021);
            a030 = MulAdd(v0, Vector256.LoadUnsafe(ref w3, o), a030);
            a031 = MulAdd(v0, Vector256.LoadUnsafe(ref w3, o + (nuint)c), a031);
        }

        ref T y0 = ref y;
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a010, ref y0, width, left);
        Store(a011, ref y0, width + c, left);
        Store(a020, ref y0, 2 * width, left);
        Store(a021, ref y0, 2 * width + c, left);
        Store(a030, ref y0, 3 * width, left);
        Store(a031, ref y0, 3 * width + c, left);
    }

    /// <summary>1 row(s) x 2 panel(s) with Vector256: 4 accumulators, started at the bias, stored (Row256 activates the row afterwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile256R1P2<T>(ref T panel, int block, int inputs, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        Vector256<T> b00 = Vector256.LoadUnsafe(ref p0), b01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> b10 = Vector256.LoadUnsafe(ref p1), b11 = Vector256.LoadUnsafe(ref p1, (nuint)c);
        Vector256<T> a000 = b00, a001 = b01, a010 = b10, a011 = b11;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, Vector256.LoadUnsafe(ref w0, o), a000);
            a001 = MulAdd(v0, Vector256.LoadUnsafe(ref w0, o + (nuint)c), a001);
            a010 = MulAdd(v0, Vector256.LoadUnsafe(ref w1, o), a010);
            a011 = MulAdd(v0, Vector256.LoadUnsafe(ref w1, o + (nuint)c), a011);
        }

        ref T y0 = ref y;
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
        Store(a010, ref y0, width, left);
        Store(a011, ref y0, width + c, left);
    }

    /// <summary>1 row(s) x 1 panel(s) with Vector256: 2 accumulators, started at the bias, stored (Row256 activates the row afterwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile256R1P1<T>(ref T panel, int block, int inputs, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        Vector256<T> b00 = Vector256.LoadUnsafe(ref p0), b01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> a000 = b00, a001 = b01;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, Vector256.LoadUnsafe(ref w0, o), a000);
            a001 = MulAdd(v0, Vector256.LoadUnsafe(ref w0, o + (nuint)c), a001);
        }

        ref T y0 = ref y;
        Store(a000, ref y0, 0, left);
        Store(a001, ref y0, c, left);
    }

    /// <summary>
    /// Tile256R1P4 over the <paramref name="count"/> inputs listed at <paramref name="index"/>: 8 accumulator(s), started at the
    /// bias, stored unless one holds a -0 (false: nothing stored, for the dense tile to run).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SparseTile256R1P4<T>(ref T panel, int block, ref int index, int count, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        ref T p2 = ref Unsafe.Add(ref p1, block);
        ref T p3 = ref Unsafe.Add(ref p2, block);
        Vector256<T> a00 = Vector256.LoadUnsafe(ref p0), a01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> a10 = Vector256.LoadUnsafe(ref p1), a11 = Vector256.LoadUnsafe(ref p1, (nuint)c);
        Vector256<T> a20 = Vector256.LoadUnsafe(ref p2), a21 = Vector256.LoadUnsafe(ref p2, (nuint)c);
        Vector256<T> a30 = Vector256.LoadUnsafe(ref p3), a31 = Vector256.LoadUnsafe(ref p3, (nuint)c);
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        ref T w2 = ref Unsafe.Add(ref p2, width); // the weights follow the panel's bias row
        ref T w3 = ref Unsafe.Add(ref p3, width); // the weights follow the panel's bias row
        for (int j = 0; j < count; j++)
        {
            int i = Unsafe.Add(ref index, j);
            nuint o = (nuint)i * (nuint)width, ahead = (nuint)Unsafe.Add(ref index, j + SparsePrefetchAhead) * (nuint)width;
            Prefetch(ref Unsafe.Add(ref w0, ahead));
            Prefetch(ref Unsafe.Add(ref w1, ahead));
            Prefetch(ref Unsafe.Add(ref w2, ahead));
            Prefetch(ref Unsafe.Add(ref w3, ahead));
            Vector256<T> v = Vector256.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v, Vector256.LoadUnsafe(ref w0, o), a00);
            a01 = MulAdd(v, Vector256.LoadUnsafe(ref w0, o + (nuint)c), a01);
            a10 = MulAdd(v, Vector256.LoadUnsafe(ref w1, o), a10);
            a11 = MulAdd(v, Vector256.LoadUnsafe(ref w1, o + (nuint)c), a11);
            a20 = MulAdd(v, Vector256.LoadUnsafe(ref w2, o), a20);
            a21 = MulAdd(v, Vector256.LoadUnsafe(ref w2, o + (nuint)c), a21);
            a30 = MulAdd(v, Vector256.LoadUnsafe(ref w3, o), a30);
            a31 = MulAdd(v, Vector256.LoadUnsafe(ref w3, o + (nuint)c), a31);
        }

        if (IsNegativeZero(a00) || IsNegativeZero(a01) || IsNegativeZero(a10) || IsNegativeZero(a11) || IsNegativeZero(a20) || IsNegativeZero(a21) || IsNegativeZero(a30) || IsNegativeZero(a31))
        {
            return false;
        }

        Store(a00, ref y, 0, left);
        Store(a01, ref y, c, left);
        Store(a10, ref y, width, left);
        Store(a11, ref y, width + c, left);
        Store(a20, ref y, 2 * width, left);
        Store(a21, ref y, 2 * width + c, left);
        Store(a30, ref y, 3 * width, left);
        Store(a31, ref y, 3 * width + c, left);
        return true;
    }

    /// <summary>
    /// Tile256R1P2 over the <paramref name="count"/> inputs listed at <paramref name="index"/>: 4 accumulator(s), started at the
    /// bias, stored unless one holds a -0 (false: nothing stored, for the dense tile to run).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SparseTile256R1P2<T>(ref T panel, int block, ref int index, int count, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        Vector256<T> a00 = Vector256.LoadUnsafe(ref p0), a01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> a10 = Vector256.LoadUnsafe(ref p1), a11 = Vector256.LoadUnsafe(ref p1, (nuint)c);
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        for (int j = 0; j < count; j++)
        {
            int i = Unsafe.Add(ref index, j);
            nuint o = (nuint)i * (nuint)width, ahead = (nuint)Unsafe.Add(ref index, j + SparsePrefetchAhead) * (nuint)width;
            Prefetch(ref Unsafe.Add(ref w0, ahead));
            Prefetch(ref Unsafe.Add(ref w1, ahead));
            Vector256<T> v = Vector256.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v, Vector256.LoadUnsafe(ref w0, o), a00);
            a01 = MulAdd(v, Vector256.LoadUnsafe(ref w0, o + (nuint)c), a01);
            a10 = MulAdd(v, Vector256.LoadUnsafe(ref w1, o), a10);
            a11 = MulAdd(v, Vector256.LoadUnsafe(ref w1, o + (nuint)c), a11);
        }

        if (IsNegativeZero(a00) || IsNegativeZero(a01) || IsNegativeZero(a10) || IsNegativeZero(a11))
        {
            return false;
        }

        Store(a00, ref y, 0, left);
        Store(a01, ref y, c, left);
        Store(a10, ref y, width, left);
        Store(a11, ref y, width + c, left);
        return true;
    }

    /// <summary>
    /// Tile256R1P1 over the <paramref name="count"/> inputs listed at <paramref name="index"/>: 2 accumulator(s), started at the
    /// bias, stored unless one holds a -0 (false: nothing stored, for the dense tile to run).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SparseTile256R1P1<T>(ref T panel, int block, ref int index, int count, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        Vector256<T> a00 = Vector256.LoadUnsafe(ref p0), a01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int j = 0; j < count; j++)
        {
            int i = Unsafe.Add(ref index, j);
            nuint o = (nuint)i * (nuint)width, ahead = (nuint)Unsafe.Add(ref index, j + SparsePrefetchAhead) * (nuint)width;
            Prefetch(ref Unsafe.Add(ref w0, ahead));
            Vector256<T> v = Vector256.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v, Vector256.LoadUnsafe(ref w0, o), a00);
            a01 = MulAdd(v, Vector256.LoadUnsafe(ref w0, o + (nuint)c), a01);
        }

        if (IsNegativeZero(a00) || IsNegativeZero(a01))
        {
            return false;
        }

        Store(a00, ref y, 0, left);
        Store(a01, ref y, c, left);
        return true;
    }

    /// <summary>
    /// A short layer (<see cref="IsShort"/>) with Vector256: per panel, tiles of 2 rows, then the rows after the last whole
    /// tile (one row at most) in a one-row tile; each tile's values activated in place after its
    /// store. A single row runs <see cref="ShortRow256"/>. The same two chains for every output in any tile, so the
    /// bits do not depend on the cut.
    /// </summary>
    private static void ShortForward256<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (rows == 1)
        {
            ShortRow256(ref packed, inputs, units, ref x, ref y, activation);
            return;
        }

        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        int tiled = rows - (rows % 2);
        for (int p = 0; p < panels; p++)
        {
            ref T panel = ref Unsafe.Add(ref packed, p * block);
            int column = p * width, left = units - column;
            for (int r = 0; r < tiled; r += 2)
            {
                ref T yr = ref Unsafe.Add(ref y, (r * units) + column);
                ShortTile256R2(ref panel, inputs, ref Unsafe.Add(ref x, r * inputs), ref yr, units, left);
                Activate(ref yr, units, 2, width, left, activation);
            }

            if (tiled < rows)
            {
                // The last row of an odd count.
                ref T yr = ref Unsafe.Add(ref y, (tiled * units) + column);
                ShortTile256R1(ref panel, inputs, ref Unsafe.Add(ref x, tiled * inputs), ref yr, units, left);
                Activate(ref yr, units, 1, width, left, activation);
            }
        }
    }

    /// <summary>
    /// One row of a short layer (<see cref="IsShort"/>) with Vector256: <see cref="ShortTile256R1"/> over each panel (the two
    /// panels' chains are independent, so the core runs them side by side), then one activation pass over the row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortRow256<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        ShortTile256R1(ref packed, inputs, ref x, ref y, units, units);
        if (units > width)
        {
            ShortTile256R1(ref Unsafe.Add(ref packed, (inputs + 1) * width), inputs, ref x, ref Unsafe.Add(ref y, width), units, units - width);
        }

        ActivateRow(ref y, units, activation);
    }

    /// <summary>
    /// 2 row(s) of a short layer x 1 panel with Vector256: 4 accumulator(s) in two chains each (8 vectors), the
    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; their sum is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortTile256R2<T>(ref T panel, int inputs, ref T x, ref T y, int units, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        Vector256<T> b00 = Vector256.LoadUnsafe(ref p0), b01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> a00 = b00, e00 = Vector256<T>.Zero, a01 = b01, e01 = Vector256<T>.Zero;
        Vector256<T> a10 = b00, e10 = Vector256<T>.Zero, a11 = b01, e11 = Vector256<T>.Zero;
        ref T weights = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        int i = 0;
        for (; i < inputs - 1; i += 2)
        {
            nuint o = (nuint)i * (nuint)width, q = o + (nuint)width;
            Vector256<T> w0 = Vector256.LoadUnsafe(ref weights, o), u0 = Vector256.LoadUnsafe(ref weights, q);
            Vector256<T> w1 = Vector256.LoadUnsafe(ref weights, o + (nuint)c), u1 = Vector256.LoadUnsafe(ref weights, q + (nuint)c);
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i)), t0 = Vector256.Create(Unsafe.Add(ref x, i + 1));
            a00 = MulAdd(v0, w0, a00);
            a01 = MulAdd(v0, w1, a01);
            e00 = MulAdd(t0, u0, e00);
            e01 = MulAdd(t0, u1, e01);
            Vector256<T> v1 = Vector256.Create(Unsafe.Add(ref x1, i)), t1 = Vector256.Create(Unsafe.Add(ref x1, i + 1));
            a10 = MulAdd(v1, w0, a10);
            a11 = MulAdd(v1, w1, a11);
            e10 = MulAdd(t1, u0, e10);
            e11 = MulAdd(t1, u1, e11);
        }

        if (i < inputs)
        {
            // The last input of an odd count: an even one.
            nuint o = (nuint)i * (nuint)width;
            Vector256<T> w0 = Vector256.LoadUnsafe(ref weights, o);
            Vector256<T> w1 = Vector256.LoadUnsafe(ref weights, o + (nuint)c);
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v0, w0, a00);
            a01 = MulAdd(v0, w1, a01);
            Vector256<T> v1 = Vector256.Create(Unsafe.Add(ref x1, i));
            a10 = MulAdd(v1, w0, a10);
            a11 = MulAdd(v1, w1, a11);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        Store(a00 + e00, ref y0, 0, left);
        Store(a01 + e01, ref y0, c, left);
        Store(a10 + e10, ref y1, 0, left);
        Store(a11 + e11, ref y1, c, left);
    }

    /// <summary>
    /// 1 row(s) of a short layer x 1 panel with Vector256: 2 accumulator(s) in two chains each (4 vectors), the
    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; their sum is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortTile256R1<T>(ref T panel, int inputs, ref T x, ref T y, int units, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector256<T>.Count;
        ref T p0 = ref panel;
        Vector256<T> b00 = Vector256.LoadUnsafe(ref p0), b01 = Vector256.LoadUnsafe(ref p0, (nuint)c);
        Vector256<T> a00 = b00, e00 = Vector256<T>.Zero, a01 = b01, e01 = Vector256<T>.Zero;
        ref T weights = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        int i = 0;
        for (; i < inputs - 1; i += 2)
        {
            nuint o = (nuint)i * (nuint)width, q = o + (nuint)width;
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i)), t0 = Vector256.Create(Unsafe.Add(ref x, i + 1));
            a00 = MulAdd(v0, Vector256.LoadUnsafe(ref weights, o), a00);
            a01 = MulAdd(v0, Vector256.LoadUnsafe(ref weights, o + (nuint)c), a01);
            e00 = MulAdd(t0, Vector256.LoadUnsafe(ref weights, q), e00);
            e01 = MulAdd(t0, Vector256.LoadUnsafe(ref weights, q + (nuint)c), e01);
        }

        if (i < inputs)
        {
            // The last input of an odd count: an even one.
            nuint o = (nuint)i * (nuint)width;
            Vector256<T> v0 = Vector256.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v0, Vector256.LoadUnsafe(ref weights, o), a00);
            a01 = MulAdd(v0, Vector256.LoadUnsafe(ref weights, o + (nuint)c), a01);
        }

        ref T y0 = ref y;
        Store(a00 + e00, ref y0, 0, left);
        Store(a01 + e01, ref y0, c, left);
    }

    /// <summary>
    /// The layer with Vector512: tiles of 6 rows over 4 panels at a time (24 accumulators; the panels after the last
    /// group of 4 one at a time), then the rows after the last whole tile in one or two
    /// tiles of 2 to 5 rows (<see cref="Tail512"/>); 1 to 3 rows left take one 6-row tile with them (7 = 4 + 3, 8 = 4 + 4, 9 = 5 + 4),
    /// so that no row of a batch goes over every panel alone (each would read the whole layer once more). A single row
    /// runs Row512. Every output is the same operations in the same order in any tile, so the bits do not depend on the cut.
    /// A short layer (<see cref="IsShort"/>) runs <see cref="ShortForward512"/> instead.
    /// </summary>
    internal static void Forward512<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (IsShort<T>(inputs, units))
        {
            ShortForward512(ref packed, inputs, units, ref x, ref y, rows, activation);
            return;
        }

        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        int tail = rows % 6;
        if (tail < 4 && tail != 0 && rows > 6)
        {
            tail += 6;
        }

        int tiled = rows - tail, second = tail > 5 ? tail / 2 : 0, first = tail - second;
        if (first == 1)
        {
            first = 0; // one row alone (rows == 1): Row512 below
        }

        for (int p = 0; p < panels;)
        {
            // 4 panels at a time while 4 are left (6 x 4 accumulators), then one at a time.
            int size = panels - p >= 4 ? 4 : 1;
            ref T panel = ref Unsafe.Add(ref packed, p * block);
            int column = p * width, left = units - column;
            if (size == 4)
            {
                for (int r = 0; r < tiled; r += 6)
                {
                    Tile512R6P4(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, activation);
                }
            }
            else
            {
                for (int r = 0; r < tiled; r += 6)
                {
                    Tile512R6P1(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, activation);
                }
            }

            if (first != 0)
            {
                Tail512(ref panel, block, inputs, ref Unsafe.Add(ref x, tiled * inputs), ref Unsafe.Add(ref y, (tiled * units) + column), units, left, first, size, activation);
            }

            if (second != 0)
            {
                int r = tiled + first;
                Tail512(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, second, size, activation);
            }

            p += size;
        }

        for (int r = tiled + first + second; r < rows; r++)
        {
            Row512(ref packed, inputs, units, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, r * units), activation, alternate: false);
        }
    }

    /// <summary>
    /// 5, 4, 3 or 2 rows (<paramref name="rows"/>) over <paramref name="size"/> panels (4 or 1) with Vector512, in the tile of that many rows: the rows
    /// after Forward512's whole tiles. A method of its own, so that the batch method keeps only its main tile inlined.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tail512<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, int rows, int size, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (size == 4)
        {
            if (rows == 5)
            {
                Tile512R5P4(ref panel, block, inputs, ref x, ref y, units, left, activation);
            }
            else if (rows == 4)
            {
                Tile512R4P4(ref panel, block, inputs, ref x, ref y, units, left, activation);
            }
            else if (rows == 3)
            {
                Tile512R3P4(ref panel, block, inputs, ref x, ref y, units, left, activation);
            }
            else
            {
                Tile512R2P4(ref panel, block, inputs, ref x, ref y, units, left, activation);
            }
        }
        else
        {
            if (rows == 5)
            {
                Tile512R5P1(ref panel, block, inputs, ref x, ref y, units, left, activation);
            }
            else if (rows == 4)
            {
                Tile512R4P1(ref panel, block, inputs, ref x, ref y, units, left, activation);
            }
            else if (rows == 3)
            {
                Tile512R3P1(ref panel, block, inputs, ref x, ref y, units, left, activation);
            }
            else
            {
                Tile512R2P1(ref panel, block, inputs, ref x, ref y, units, left, activation);
            }
        }
    }

    /// <summary>
    /// One row with Vector512: groups of 4 panels, then each smaller group (2, 1) at most once, the sums
    /// stored, then one activation pass over the row. If <paramref name="alternate"/>, a large layer takes the same
    /// groups last to first on every other call (<see cref="Backwards"/>). A method of its own with each tile compiled
    /// into it once, so that a one-row call runs a small method. An input row with enough zeros runs
    /// <see cref="SparseRow512"/> instead (<see cref="SkipsZeros"/>), which gives the same bits; a short layer
    /// (<see cref="IsShort"/>) runs <see cref="ShortRow512"/>.
    /// </summary>
    internal static void Row512<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation, bool alternate)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (IsShort<T>(inputs, units))
        {
            ShortRow512(ref packed, inputs, units, ref x, ref y, activation);
            return;
        }

        if (inputs >= SparseRowInputs && SkipsZeros(ref x, inputs))
        {
            SparseRow512(ref packed, inputs, units, ref x, ref y, activation, alternate);
            return;
        }

        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        bool backwards = alternate && Backwards((long)panels * block * Unsafe.SizeOf<T>());
        int smaller = panels - (panels % 4); // where the groups of fewer than 4 panels start: one per bit of panels % 4
        int p = backwards ? panels : 0;
        for (int done = 0; done < panels;)
        {
            int size;
            if (backwards)
            {
                // The group that ends at p: 4 panels before the smaller ones, else the lowest bit of what precedes p there.
                size = p > smaller ? (p - smaller) & -(p - smaller) : 4;
                p -= size;
            }
            else
            {
                size = panels - p >= 4 ? 4 : panels - p >= 2 ? 2 : 1;
            }

            ref T panel = ref Unsafe.Add(ref packed, p * block);
            ref T yp = ref Unsafe.Add(ref y, p * width);
            int left = units - (p * width);
            if (size == 4)
            {
                Tile512R1P4(ref panel, block, inputs, ref x, ref yp, left);
            }
            else if (size == 2)
            {
                Tile512R1P2(ref panel, block, inputs, ref x, ref yp, left);
            }
            else
            {
                Tile512R1P1(ref panel, block, inputs, ref x, ref yp, left);
            }

            done += size;
            if (!backwards)
            {
                p += size;
            }
        }

        ActivateRow(ref y, units, activation);
    }

    /// <summary>
    /// <see cref="Row512"/> over the inputs that are not zero: their indices listed once (<see cref="NonzeroInputs"/>,
    /// on the stack), then the same groups of panels, each reading only the weight rows of the listed inputs. Each
    /// accumulator adds the same nonzero products in the same order, and a skipped product (0 times a finite weight:
    /// a zero) leaves a sum unchanged, except that it turns a sum of -0 into +0; so the sums are Row512's bits except
    /// that one can be -0 where Row512's is +0. A group with a -0 sum runs Row512's tile over again (docs/architecture.md, "The packed inference copy").
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SparseRow512<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation, bool alternate)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        Span<int> list = stackalloc int[SparseRowMaxInputs + SparsePrefetchAhead];
        ref int index = ref MemoryMarshal.GetReference(list);
        int count = NonzeroInputs(ref x, inputs, ref index);
        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        bool backwards = alternate && Backwards((long)panels * block * Unsafe.SizeOf<T>());
        int smaller = panels - (panels % 4); // where the groups of fewer than 4 panels start: one per bit of panels % 4
        int p = backwards ? panels : 0;
        for (int done = 0; done < panels;)
        {
            int size;
            if (backwards)
            {
                // The group that ends at p: 4 panels before the smaller ones, else the lowest bit of what precedes p there.
                size = p > smaller ? (p - smaller) & -(p - smaller) : 4;
                p -= size;
            }
            else
            {
                size = panels - p >= 4 ? 4 : panels - p >= 2 ? 2 : 1;
            }

            ref T panel = ref Unsafe.Add(ref packed, p * block);
            ref T yp = ref Unsafe.Add(ref y, p * width);
            int left = units - (p * width);
            if (size == 4)
            {
                if (!SparseTile512R1P4(ref panel, block, ref index, count, ref x, ref yp, left))
                {
                    Tile512R1P4(ref panel, block, inputs, ref x, ref yp, left);
                }
            }
            else if (size == 2)
            {
                if (!SparseTile512R1P2(ref panel, block, ref index, count, ref x, ref yp, left))
                {
                    Tile512R1P2(ref panel, block, inputs, ref x, ref yp, left);
                }
            }
            else
            {
                if (!SparseTile512R1P1(ref panel, block, ref index, count, ref x, ref yp, left))
                {
                    Tile512R1P1(ref panel, block, inputs, ref x, ref yp, left);
                }
            }

            done += size;
            if (!backwards)
            {
                p += size;
            }
        }

        ActivateRow(ref y, units, activation);
    }

    /// <summary>6 row(s) x 4 panel(s) with Vector512: 24 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R6P4<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        ref T p2 = ref Unsafe.Add(ref p1, block);
        ref T p3 = ref Unsafe.Add(ref p2, block);
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        ref T x4 = ref Unsafe.Add(ref x3, inputs);
        ref T x5 = ref Unsafe.Add(ref x4, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> b10 = Vector512.LoadUnsafe(ref p1);
        Vector512<T> b20 = Vector512.LoadUnsafe(ref p2);
        Vector512<T> b30 = Vector512.LoadUnsafe(ref p3);
        Vector512<T> a000 = b00, a010 = b10, a020 = b20, a030 = b30;
        Vector512<T> a100 = b00, a110 = b10, a120 = b20, a130 = b30;
        Vector512<T> a200 = b00, a210 = b10, a220 = b20, a230 = b30;
        Vector512<T> a300 = b00, a310 = b10, a320 = b20, a330 = b30;
        Vector512<T> a400 = b00, a410 = b10, a420 = b20, a430 = b30;
        Vector512<T> a500 = b00, a510 = b10, a520 = b20, a530 = b30;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        ref T w2 = ref Unsafe.Add(ref p2, width); // the weights follow the panel's bias row
        ref T w3 = ref Unsafe.Add(ref p3, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w00 = Vector512.LoadUnsafe(ref w0, o);
            Vector512<T> w10 = Vector512.LoadUnsafe(ref w1, o);
            Vector512<T> w20 = Vector512.LoadUnsafe(ref w2, o);
            Vector512<T> w30 = Vector512.LoadUnsafe(ref w3, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a010 = MulAdd(v0, w10, a010);
            a020 = MulAdd(v0, w20, a020);
            a030 = MulAdd(v0, w30, a030);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a110 = MulAdd(v1, w10, a110);
            a120 = MulAdd(v1, w20, a120);
            a130 = MulAdd(v1, w30, a130);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            a210 = MulAdd(v2, w10, a210);
            a220 = MulAdd(v2, w20, a220);
            a230 = MulAdd(v2, w30, a230);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i));
            a300 = MulAdd(v3, w00, a300);
            a310 = MulAdd(v3, w10, a310);
            a320 = MulAdd(v3, w20, a320);
            a330 = MulAdd(v3, w30, a330);
            Vector512<T> v4 = Vector512.Create(Unsafe.Add(ref x4, i));
            a400 = MulAdd(v4, w00, a400);
            a410 = MulAdd(v4, w10, a410);
            a420 = MulAdd(v4, w20, a420);
            a430 = MulAdd(v4, w30, a430);
            Vector512<T> v5 = Vector512.Create(Unsafe.Add(ref x5, i));
            a500 = MulAdd(v5, w00, a500);
            a510 = MulAdd(v5, w10, a510);
            a520 = MulAdd(v5, w20, a520);
            a530 = MulAdd(v5, w30, a530);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        ref T y4 = ref Unsafe.Add(ref y3, units);
        ref T y5 = ref Unsafe.Add(ref y4, units);
        Store(a000, ref y0, 0, left);
        Store(a010, ref y0, width, left);
        Store(a020, ref y0, 2 * width, left);
        Store(a030, ref y0, 3 * width, left);
        Store(a100, ref y1, 0, left);
        Store(a110, ref y1, width, left);
        Store(a120, ref y1, 2 * width, left);
        Store(a130, ref y1, 3 * width, left);
        Store(a200, ref y2, 0, left);
        Store(a210, ref y2, width, left);
        Store(a220, ref y2, 2 * width, left);
        Store(a230, ref y2, 3 * width, left);
        Store(a300, ref y3, 0, left);
        Store(a310, ref y3, width, left);
        Store(a320, ref y3, 2 * width, left);
        Store(a330, ref y3, 3 * width, left);
        Store(a400, ref y4, 0, left);
        Store(a410, ref y4, width, left);
        Store(a420, ref y4, 2 * width, left);
        Store(a430, ref y4, 3 * width, left);
        Store(a500, ref y5, 0, left);
        Store(a510, ref y5, width, left);
        Store(a520, ref y5, 2 * width, left);
        Store(a530, ref y5, 3 * width, left);

        Activate(ref y, units, 6, 4 * width, left, activation);
    }

    /// <summary>5 row(s) x 4 panel(s) with Vector512: 20 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R5P4<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        ref T p2 = ref Unsafe.Add(ref p1, block);
        ref T p3 = ref Unsafe.Add(ref p2, block);
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        ref T x4 = ref Unsafe.Add(ref x3, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> b10 = Vector512.LoadUnsafe(ref p1);
        Vector512<T> b20 = Vector512.LoadUnsafe(ref p2);
        Vector512<T> b30 = Vector512.LoadUnsafe(ref p3);
        Vector512<T> a000 = b00, a010 = b10, a020 = b20, a030 = b30;
        Vector512<T> a100 = b00, a110 = b10, a120 = b20, a130 = b30;
        Vector512<T> a200 = b00, a210 = b10, a220 = b20, a230 = b30;
        Vector512<T> a300 = b00, a310 = b10, a320 = b20, a330 = b30;
        Vector512<T> a400 = b00, a410 = b10, a420 = b20, a430 = b30;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        ref T w2 = ref Unsafe.Add(ref p2, width); // the weights follow the panel's bias row
        ref T w3 = ref Unsafe.Add(ref p3, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w00 = Vector512.LoadUnsafe(ref w0, o);
            Vector512<T> w10 = Vector512.LoadUnsafe(ref w1, o);
            Vector512<T> w20 = Vector512.LoadUnsafe(ref w2, o);
            Vector512<T> w30 = Vector512.LoadUnsafe(ref w3, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a010 = MulAdd(v0, w10, a010);
            a020 = MulAdd(v0, w20, a020);
            a030 = MulAdd(v0, w30, a030);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a110 = MulAdd(v1, w10, a110);
            a120 = MulAdd(v1, w20, a120);
            a130 = MulAdd(v1, w30, a130);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            a210 = MulAdd(v2, w10, a210);
            a220 = MulAdd(v2, w20, a220);
            a230 = MulAdd(v2, w30, a230);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i));
            a300 = MulAdd(v3, w00, a300);
            a310 = MulAdd(v3, w10, a310);
            a320 = MulAdd(v3, w20, a320);
            a330 = MulAdd(v3, w30, a330);
            Vector512<T> v4 = Vector512.Create(Unsafe.Add(ref x4, i));
            a400 = MulAdd(v4, w00, a400);
            a410 = MulAdd(v4, w10, a410);
            a420 = MulAdd(v4, w20, a420);
            a430 = MulAdd(v4, w30, a430);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        ref T y4 = ref Unsafe.Add(ref y3, units);
        Store(a000, ref y0, 0, left);
        Store(a010, ref y0, width, left);
        Store(a020, ref y0, 2 * width, left);
        Store(a030, ref y0, 3 * width, left);
        Store(a100, ref y1, 0, left);
        Store(a110, ref y1, width, left);
        Store(a120, ref y1, 2 * width, left);
        Store(a130, ref y1, 3 * width, left);
        Store(a200, ref y2, 0, left);
        Store(a210, ref y2, width, left);
        Store(a220, ref y2, 2 * width, left);
        Store(a230, ref y2, 3 * width, left);
        Store(a300, ref y3, 0, left);
        Store(a310, ref y3, width, left);
        Store(a320, ref y3, 2 * width, left);
        Store(a330, ref y3, 3 * width, left);
        Store(a400, ref y4, 0, left);
        Store(a410, ref y4, width, left);
        Store(a420, ref y4, 2 * width, left);
        Store(a430, ref y4, 3 * width, left);

        Activate(ref y, units, 5, 4 * width, left, activation);
    }

    /// <summary>4 row(s) x 4 panel(s) with Vector512: 16 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R4P4<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        ref T p2 = ref Unsafe.Add(ref p1, block);
        ref T p3 = ref Unsafe.Add(ref p2, block);
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> b10 = Vector512.LoadUnsafe(ref p1);
        Vector512<T> b20 = Vector512.LoadUnsafe(ref p2);
        Vector512<T> b30 = Vector512.LoadUnsafe(ref p3);
        Vector512<T> a000 = b00, a010 = b10, a020 = b20, a030 = b30;
        Vector512<T> a100 = b00, a110 = b10, a120 = b20, a130 = b30;
        Vector512<T> a200 = b00, a210 = b10, a220 = b20, a230 = b30;
        Vector512<T> a300 = b00, a310 = b10, a320 = b20, a330 = b30;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        ref T w2 = ref Unsafe.Add(ref p2, width); // the weights follow the panel's bias row
        ref T w3 = ref Unsafe.Add(ref p3, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w00 = Vector512.LoadUnsafe(ref w0, o);
            Vector512<T> w10 = Vector512.LoadUnsafe(ref w1, o);
            Vector512<T> w20 = Vector512.LoadUnsafe(ref w2, o);
            Vector512<T> w30 = Vector512.LoadUnsafe(ref w3, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a010 = MulAdd(v0, w10, a010);
            a020 = MulAdd(v0, w20, a020);
            a030 = MulAdd(v0, w30, a030);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a110 = MulAdd(v1, w10, a110);
            a120 = MulAdd(v1, w20, a120);
            a130 = MulAdd(v1, w30, a130);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            a210 = MulAdd(v2, w10, a210);
            a220 = MulAdd(v2, w20, a220);
            a230 = MulAdd(v2, w30, a230);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i));
            a300 = MulAdd(v3, w00, a300);
            a310 = MulAdd(v3, w10, a310);
            a320 = MulAdd(v3, w20, a320);
            a330 = MulAdd(v3, w30, a330);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        Store(a000, ref y0, 0, left);
        Store(a010, ref y0, width, left);
        Store(a020, ref y0, 2 * width, left);
        Store(a030, ref y0, 3 * width, left);
        Store(a100, ref y1, 0, left);
        Store(a110, ref y1, width, left);
        Store(a120, ref y1, 2 * width, left);
        Store(a130, ref y1, 3 * width, left);
        Store(a200, ref y2, 0, left);
        Store(a210, ref y2, width, left);
        Store(a220, ref y2, 2 * width, left);
        Store(a230, ref y2, 3 * width, left);
        Store(a300, ref y3, 0, left);
        Store(a310, ref y3, width, left);
        Store(a320, ref y3, 2 * width, left);
        Store(a330, ref y3, 3 * width, left);

        Activate(ref y, units, 4, 4 * width, left, activation);
    }

    /// <summary>3 row(s) x 4 panel(s) with Vector512: 12 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R3P4<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        ref T p2 = ref Unsafe.Add(ref p1, block);
        ref T p3 = ref Unsafe.Add(ref p2, block);
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> b10 = Vector512.LoadUnsafe(ref p1);
        Vector512<T> b20 = Vector512.LoadUnsafe(ref p2);
        Vector512<T> b30 = Vector512.LoadUnsafe(ref p3);
        Vector512<T> a000 = b00, a010 = b10, a020 = b20, a030 = b30;
        Vector512<T> a100 = b00, a110 = b10, a120 = b20, a130 = b30;
        Vector512<T> a200 = b00, a210 = b10, a220 = b20, a230 = b30;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        ref T w2 = ref Unsafe.Add(ref p2, width); // the weights follow the panel's bias row
        ref T w3 = ref Unsafe.Add(ref p3, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w00 = Vector512.LoadUnsafe(ref w0, o);
            Vector512<T> w10 = Vector512.LoadUnsafe(ref w1, o);
            Vector512<T> w20 = Vector512.LoadUnsafe(ref w2, o);
            Vector512<T> w30 = Vector512.LoadUnsafe(ref w3, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a010 = MulAdd(v0, w10, a010);
            a020 = MulAdd(v0, w20, a020);
            a030 = MulAdd(v0, w30, a030);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a110 = MulAdd(v1, w10, a110);
            a120 = MulAdd(v1, w20, a120);
            a130 = MulAdd(v1, w30, a130);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            a210 = MulAdd(v2, w10, a210);
            a220 = MulAdd(v2, w20, a220);
            a230 = MulAdd(v2, w30, a230);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        Store(a000, ref y0, 0, left);
        Store(a010, ref y0, width, left);
        Store(a020, ref y0, 2 * width, left);
        Store(a030, ref y0, 3 * width, left);
        Store(a100, ref y1, 0, left);
        Store(a110, ref y1, width, left);
        Store(a120, ref y1, 2 * width, left);
        Store(a130, ref y1, 3 * width, left);
        Store(a200, ref y2, 0, left);
        Store(a210, ref y2, width, left);
        Store(a220, ref y2, 2 * width, left);
        Store(a230, ref y2, 3 * width, left);

        Activate(ref y, units, 3, 4 * width, left, activation);
    }

    /// <summary>2 row(s) x 4 panel(s) with Vector512: 8 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R2P4<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        ref T p2 = ref Unsafe.Add(ref p1, block);
        ref T p3 = ref Unsafe.Add(ref p2, block);
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> b10 = Vector512.LoadUnsafe(ref p1);
        Vector512<T> b20 = Vector512.LoadUnsafe(ref p2);
        Vector512<T> b30 = Vector512.LoadUnsafe(ref p3);
        Vector512<T> a000 = b00, a010 = b10, a020 = b20, a030 = b30;
        Vector512<T> a100 = b00, a110 = b10, a120 = b20, a130 = b30;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        ref T w2 = ref Unsafe.Add(ref p2, width); // the weights follow the panel's bias row
        ref T w3 = ref Unsafe.Add(ref p3, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w00 = Vector512.LoadUnsafe(ref w0, o);
            Vector512<T> w10 = Vector512.LoadUnsafe(ref w1, o);
            Vector512<T> w20 = Vector512.LoadUnsafe(ref w2, o);
            Vector512<T> w30 = Vector512.LoadUnsafe(ref w3, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            a010 = MulAdd(v0, w10, a010);
            a020 = MulAdd(v0, w20, a020);
            a030 = MulAdd(v0, w30, a030);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            a110 = MulAdd(v1, w10, a110);
            a120 = MulAdd(v1, w20, a120);
            a130 = MulAdd(v1, w30, a130);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        Store(a000, ref y0, 0, left);
        Store(a010, ref y0, width, left);
        Store(a020, ref y0, 2 * width, left);
        Store(a030, ref y0, 3 * width, left);
        Store(a100, ref y1, 0, left);
        Store(a110, ref y1, width, left);
        Store(a120, ref y1, 2 * width, left);
        Store(a130, ref y1, 3 * width, left);

        Activate(ref y, units, 2, 4 * width, left, activation);
    }

    /// <summary>6 row(s) x 1 panel(s) with Vector512: 6 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R6P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        ref T x4 = ref Unsafe.Add(ref x3, inputs);
        ref T x5 = ref Unsafe.Add(ref x4, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a000 = b00;
        Vector512<T> a100 = b00;
        Vector512<T> a200 = b00;
        Vector512<T> a300 = b00;
        Vector512<T> a400 = b00;
        Vector512<T> a500 = b00;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w00 = Vector512.LoadUnsafe(ref w0, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i));
            a300 = MulAdd(v3, w00, a300);
            Vector512<T> v4 = Vector512.Create(Unsafe.Add(ref x4, i));
            a400 = MulAdd(v4, w00, a400);
            Vector512<T> v5 = Vector512.Create(Unsafe.Add(ref x5, i));
            a500 = MulAdd(v5, w00, a500);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        ref T y4 = ref Unsafe.Add(ref y3, units);
        ref T y5 = ref Unsafe.Add(ref y4, units);
        Store(a000, ref y0, 0, left);
        Store(a100, ref y1, 0, left);
        Store(a200, ref y2, 0, left);
        Store(a300, ref y3, 0, left);
        Store(a400, ref y4, 0, left);
        Store(a500, ref y5, 0, left);

        Activate(ref y, units, 6, width, left, activation);
    }

    /// <summary>5 row(s) x 1 panel(s) with Vector512: 5 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R5P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        ref T x4 = ref Unsafe.Add(ref x3, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a000 = b00;
        Vector512<T> a100 = b00;
        Vector512<T> a200 = b00;
        Vector512<T> a300 = b00;
        Vector512<T> a400 = b00;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w00 = Vector512.LoadUnsafe(ref w0, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i));
            a300 = MulAdd(v3, w00, a300);
            Vector512<T> v4 = Vector512.Create(Unsafe.Add(ref x4, i));
            a400 = MulAdd(v4, w00, a400);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        ref T y4 = ref Unsafe.Add(ref y3, units);
        Store(a000, ref y0, 0, left);
        Store(a100, ref y1, 0, left);
        Store(a200, ref y2, 0, left);
        Store(a300, ref y3, 0, left);
        Store(a400, ref y4, 0, left);

        Activate(ref y, units, 5, width, left, activation);
    }

    /// <summary>4 row(s) x 1 panel(s) with Vector512: 4 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R4P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a000 = b00;
        Vector512<T> a100 = b00;
        Vector512<T> a200 = b00;
        Vector512<T> a300 = b00;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w00 = Vector512.LoadUnsafe(ref w0, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i));
            a300 = MulAdd(v3, w00, a300);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        Store(a000, ref y0, 0, left);
        Store(a100, ref y1, 0, left);
        Store(a200, ref y2, 0, left);
        Store(a300, ref y3, 0, left);

        Activate(ref y, units, 4, width, left, activation);
    }

    /// <summary>3 row(s) x 1 panel(s) with Vector512: 3 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R3P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a000 = b00;
        Vector512<T> a100 = b00;
        Vector512<T> a200 = b00;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w00 = Vector512.LoadUnsafe(ref w0, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a200 = MulAdd(v2, w00, a200);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        Store(a000, ref y0, 0, left);
        Store(a100, ref y1, 0, left);
        Store(a200, ref y2, 0, left);

        Activate(ref y, units, 3, width, left, activation);
    }

    /// <summary>2 row(s) x 1 panel(s) with Vector512: 2 accumulators, started at the bias, stored, then activated in place (Activate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R2P1<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a000 = b00;
        Vector512<T> a100 = b00;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w00 = Vector512.LoadUnsafe(ref w0, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, w00, a000);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a100 = MulAdd(v1, w00, a100);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        Store(a000, ref y0, 0, left);
        Store(a100, ref y1, 0, left);

        Activate(ref y, units, 2, width, left, activation);
    }

    /// <summary>1 row(s) x 4 panel(s) with Vector512: 4 accumulators, started at the bias, stored (Row512 activates the row afterwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R1P4<T>(ref T panel, int block, int inputs, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        ref T p2 = ref Unsafe.Add(ref p1, block);
        ref T p3 = ref Unsafe.Add(ref p2, block);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> b10 = Vector512.LoadUnsafe(ref p1);
        Vector512<T> b20 = Vector512.LoadUnsafe(ref p2);
        Vector512<T> b30 = Vector512.LoadUnsafe(ref p3);
        Vector512<T> a000 = b00, a010 = b10, a020 = b20, a030 = b30;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        ref T w2 = ref Unsafe.Add(ref p2, width); // the weights follow the panel's bias row
        ref T w3 = ref Unsafe.Add(ref p3, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, Vector512.LoadUnsafe(ref w0, o), a000);
            a010 = MulAdd(v0, Vector512.LoadUnsafe(ref w1, o), a010);
            a020 = MulAdd(v0, Vector512.LoadUnsafe(ref w2, o), a020);
            a030 = MulAdd(v0, Vector512.LoadUnsafe(ref w3, o), a030);
        }

        ref T y0 = ref y;
        Store(a000, ref y0, 0, left);
        Store(a010, ref y0, width, left);
        Store(a020, ref y0, 2 * width, left);
        Store(a030, ref y0, 3 * width, left);
    }

    /// <summary>1 row(s) x 2 panel(s) with Vector512: 2 accumulators, started at the bias, stored (Row512 activates the row afterwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R1P2<T>(ref T panel, int block, int inputs, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> b10 = Vector512.LoadUnsafe(ref p1);
        Vector512<T> a000 = b00, a010 = b10;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, Vector512.LoadUnsafe(ref w0, o), a000);
            a010 = MulAdd(v0, Vector512.LoadUnsafe(ref w1, o), a010);
        }

        ref T y0 = ref y;
        Store(a000, ref y0, 0, left);
        Store(a010, ref y0, width, left);
    }

    /// <summary>1 row(s) x 1 panel(s) with Vector512: 1 accumulators, started at the bias, stored (Row512 activates the row afterwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile512R1P1<T>(ref T panel, int block, int inputs, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a000 = b00;
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int i = 0; i < inputs; i++)
        {
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a000 = MulAdd(v0, Vector512.LoadUnsafe(ref w0, o), a000);
        }

        ref T y0 = ref y;
        Store(a000, ref y0, 0, left);
    }

    /// <summary>
    /// Tile512R1P4 over the <paramref name="count"/> inputs listed at <paramref name="index"/>: 4 accumulator(s), started at the
    /// bias, stored unless one holds a -0 (false: nothing stored, for the dense tile to run).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SparseTile512R1P4<T>(ref T panel, int block, ref int index, int count, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        ref T p2 = ref Unsafe.Add(ref p1, block);
        ref T p3 = ref Unsafe.Add(ref p2, block);
        Vector512<T> a00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a10 = Vector512.LoadUnsafe(ref p1);
        Vector512<T> a20 = Vector512.LoadUnsafe(ref p2);
        Vector512<T> a30 = Vector512.LoadUnsafe(ref p3);
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        ref T w2 = ref Unsafe.Add(ref p2, width); // the weights follow the panel's bias row
        ref T w3 = ref Unsafe.Add(ref p3, width); // the weights follow the panel's bias row
        for (int j = 0; j < count; j++)
        {
            int i = Unsafe.Add(ref index, j);
            nuint o = (nuint)i * (nuint)width, ahead = (nuint)Unsafe.Add(ref index, j + SparsePrefetchAhead) * (nuint)width;
            Prefetch(ref Unsafe.Add(ref w0, ahead));
            Prefetch(ref Unsafe.Add(ref w1, ahead));
            Prefetch(ref Unsafe.Add(ref w2, ahead));
            Prefetch(ref Unsafe.Add(ref w3, ahead));
            Vector512<T> v = Vector512.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v, Vector512.LoadUnsafe(ref w0, o), a00);
            a10 = MulAdd(v, Vector512.LoadUnsafe(ref w1, o), a10);
            a20 = MulAdd(v, Vector512.LoadUnsafe(ref w2, o), a20);
            a30 = MulAdd(v, Vector512.LoadUnsafe(ref w3, o), a30);
        }

        if (IsNegativeZero(a00) || IsNegativeZero(a10) || IsNegativeZero(a20) || IsNegativeZero(a30))
        {
            return false;
        }

        Store(a00, ref y, 0, left);
        Store(a10, ref y, width, left);
        Store(a20, ref y, 2 * width, left);
        Store(a30, ref y, 3 * width, left);
        return true;
    }

    /// <summary>
    /// Tile512R1P2 over the <paramref name="count"/> inputs listed at <paramref name="index"/>: 2 accumulator(s), started at the
    /// bias, stored unless one holds a -0 (false: nothing stored, for the dense tile to run).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SparseTile512R1P2<T>(ref T panel, int block, ref int index, int count, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T p1 = ref Unsafe.Add(ref p0, block);
        Vector512<T> a00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a10 = Vector512.LoadUnsafe(ref p1);
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        ref T w1 = ref Unsafe.Add(ref p1, width); // the weights follow the panel's bias row
        for (int j = 0; j < count; j++)
        {
            int i = Unsafe.Add(ref index, j);
            nuint o = (nuint)i * (nuint)width, ahead = (nuint)Unsafe.Add(ref index, j + SparsePrefetchAhead) * (nuint)width;
            Prefetch(ref Unsafe.Add(ref w0, ahead));
            Prefetch(ref Unsafe.Add(ref w1, ahead));
            Vector512<T> v = Vector512.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v, Vector512.LoadUnsafe(ref w0, o), a00);
            a10 = MulAdd(v, Vector512.LoadUnsafe(ref w1, o), a10);
        }

        if (IsNegativeZero(a00) || IsNegativeZero(a10))
        {
            return false;
        }

        Store(a00, ref y, 0, left);
        Store(a10, ref y, width, left);
        return true;
    }

    /// <summary>
    /// Tile512R1P1 over the <paramref name="count"/> inputs listed at <paramref name="index"/>: 1 accumulator(s), started at the
    /// bias, stored unless one holds a -0 (false: nothing stored, for the dense tile to run).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool SparseTile512R1P1<T>(ref T panel, int block, ref int index, int count, ref T x, ref T y, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        Vector512<T> a00 = Vector512.LoadUnsafe(ref p0);
        ref T w0 = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        for (int j = 0; j < count; j++)
        {
            int i = Unsafe.Add(ref index, j);
            nuint o = (nuint)i * (nuint)width, ahead = (nuint)Unsafe.Add(ref index, j + SparsePrefetchAhead) * (nuint)width;
            Prefetch(ref Unsafe.Add(ref w0, ahead));
            Vector512<T> v = Vector512.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v, Vector512.LoadUnsafe(ref w0, o), a00);
        }

        if (IsNegativeZero(a00))
        {
            return false;
        }

        Store(a00, ref y, 0, left);
        return true;
    }

    /// <summary>
    /// A short layer (<see cref="IsShort"/>) with Vector512: per panel, tiles of 6 rows, then the rows after the last whole
    /// tile in one tile of that many rows (<see cref="ShortTail512"/>); each tile's values activated in place after its
    /// store. A single row runs <see cref="ShortRow512"/>. The same two chains for every output in any tile, so the
    /// bits do not depend on the cut.
    /// </summary>
    private static void ShortForward512<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (rows == 1)
        {
            ShortRow512(ref packed, inputs, units, ref x, ref y, activation);
            return;
        }

        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;
        int tiled = rows - (rows % 6);
        for (int p = 0; p < panels; p++)
        {
            ref T panel = ref Unsafe.Add(ref packed, p * block);
            int column = p * width, left = units - column;
            for (int r = 0; r < tiled; r += 6)
            {
                ref T yr = ref Unsafe.Add(ref y, (r * units) + column);
                ShortTile512R6(ref panel, inputs, ref Unsafe.Add(ref x, r * inputs), ref yr, units, left);
                Activate(ref yr, units, 6, width, left, activation);
            }

            if (tiled < rows)
            {
                ShortTail512(ref panel, inputs, ref Unsafe.Add(ref x, tiled * inputs), ref Unsafe.Add(ref y, (tiled * units) + column), units, left, rows - tiled, activation);
            }
        }
    }

    /// <summary>
    /// 5, 4, 3, 2 or 1 rows (<paramref name="rows"/>) of a short layer over one panel with Vector512, in the tile of that many
    /// rows, then activated in place: the rows after <see cref="ShortForward512"/>'s whole tiles, in a method of its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ShortTail512<T, TActivation>(ref T panel, int inputs, ref T x, ref T y, int units, int left, int rows, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        if (rows == 1)
        {
            // One row: the tile activates its sums itself.
            ShortTile512R1(ref panel, inputs, ref x, ref y, units, left, activation);
            return;
        }

        if (rows == 5)
        {
            ShortTile512R5(ref panel, inputs, ref x, ref y, units, left);
        }
        else if (rows == 4)
        {
            ShortTile512R4(ref panel, inputs, ref x, ref y, units, left);
        }
        else if (rows == 3)
        {
            ShortTile512R3(ref panel, inputs, ref x, ref y, units, left);
        }
        else
        {
            ShortTile512R2(ref panel, inputs, ref x, ref y, units, left);
        }

        Activate(ref y, units, rows, PanelWidth<T>(), left, activation);
    }

    /// <summary>
    /// One row of a short layer (<see cref="IsShort"/>) with Vector512: <see cref="ShortTile512R1"/> over each panel (the two
    /// panels' chains are independent, so the core runs them side by side), each activating its sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortRow512<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        ShortTile512R1(ref packed, inputs, ref x, ref y, units, units, activation);
        if (units > width)
        {
            ShortTile512R1(ref Unsafe.Add(ref packed, (inputs + 1) * width), inputs, ref x, ref Unsafe.Add(ref y, width), units, units - width, activation);
        }
    }

    /// <summary>
    /// 6 row(s) of a short layer x 1 panel with Vector512: 6 accumulator(s) in two chains each (12 vectors), the
    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; their sum is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortTile512R6<T>(ref T panel, int inputs, ref T x, ref T y, int units, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        ref T x4 = ref Unsafe.Add(ref x3, inputs);
        ref T x5 = ref Unsafe.Add(ref x4, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a00 = b00, e00 = Vector512<T>.Zero;
        Vector512<T> a10 = b00, e10 = Vector512<T>.Zero;
        Vector512<T> a20 = b00, e20 = Vector512<T>.Zero;
        Vector512<T> a30 = b00, e30 = Vector512<T>.Zero;
        Vector512<T> a40 = b00, e40 = Vector512<T>.Zero;
        Vector512<T> a50 = b00, e50 = Vector512<T>.Zero;
        ref T weights = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        int i = 0;
        for (; i < inputs - 1; i += 2)
        {
            nuint o = (nuint)i * (nuint)width, q = o + (nuint)width;
            Vector512<T> w0 = Vector512.LoadUnsafe(ref weights, o), u0 = Vector512.LoadUnsafe(ref weights, q);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i)), t0 = Vector512.Create(Unsafe.Add(ref x, i + 1));
            a00 = MulAdd(v0, w0, a00);
            e00 = MulAdd(t0, u0, e00);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i)), t1 = Vector512.Create(Unsafe.Add(ref x1, i + 1));
            a10 = MulAdd(v1, w0, a10);
            e10 = MulAdd(t1, u0, e10);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i)), t2 = Vector512.Create(Unsafe.Add(ref x2, i + 1));
            a20 = MulAdd(v2, w0, a20);
            e20 = MulAdd(t2, u0, e20);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i)), t3 = Vector512.Create(Unsafe.Add(ref x3, i + 1));
            a30 = MulAdd(v3, w0, a30);
            e30 = MulAdd(t3, u0, e30);
            Vector512<T> v4 = Vector512.Create(Unsafe.Add(ref x4, i)), t4 = Vector512.Create(Unsafe.Add(ref x4, i + 1));
            a40 = MulAdd(v4, w0, a40);
            e40 = MulAdd(t4, u0, e40);
            Vector512<T> v5 = Vector512.Create(Unsafe.Add(ref x5, i)), t5 = Vector512.Create(Unsafe.Add(ref x5, i + 1));
            a50 = MulAdd(v5, w0, a50);
            e50 = MulAdd(t5, u0, e50);
        }

        if (i < inputs)
        {
            // The last input of an odd count: an even one.
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w0 = Vector512.LoadUnsafe(ref weights, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v0, w0, a00);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a10 = MulAdd(v1, w0, a10);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a20 = MulAdd(v2, w0, a20);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i));
            a30 = MulAdd(v3, w0, a30);
            Vector512<T> v4 = Vector512.Create(Unsafe.Add(ref x4, i));
            a40 = MulAdd(v4, w0, a40);
            Vector512<T> v5 = Vector512.Create(Unsafe.Add(ref x5, i));
            a50 = MulAdd(v5, w0, a50);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        ref T y4 = ref Unsafe.Add(ref y3, units);
        ref T y5 = ref Unsafe.Add(ref y4, units);
        Store(a00 + e00, ref y0, 0, left);
        Store(a10 + e10, ref y1, 0, left);
        Store(a20 + e20, ref y2, 0, left);
        Store(a30 + e30, ref y3, 0, left);
        Store(a40 + e40, ref y4, 0, left);
        Store(a50 + e50, ref y5, 0, left);
    }

    /// <summary>
    /// 5 row(s) of a short layer x 1 panel with Vector512: 5 accumulator(s) in two chains each (10 vectors), the
    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; their sum is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortTile512R5<T>(ref T panel, int inputs, ref T x, ref T y, int units, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        ref T x4 = ref Unsafe.Add(ref x3, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a00 = b00, e00 = Vector512<T>.Zero;
        Vector512<T> a10 = b00, e10 = Vector512<T>.Zero;
        Vector512<T> a20 = b00, e20 = Vector512<T>.Zero;
        Vector512<T> a30 = b00, e30 = Vector512<T>.Zero;
        Vector512<T> a40 = b00, e40 = Vector512<T>.Zero;
        ref T weights = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        int i = 0;
        for (; i < inputs - 1; i += 2)
        {
            nuint o = (nuint)i * (nuint)width, q = o + (nuint)width;
            Vector512<T> w0 = Vector512.LoadUnsafe(ref weights, o), u0 = Vector512.LoadUnsafe(ref weights, q);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i)), t0 = Vector512.Create(Unsafe.Add(ref x, i + 1));
            a00 = MulAdd(v0, w0, a00);
            e00 = MulAdd(t0, u0, e00);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i)), t1 = Vector512.Create(Unsafe.Add(ref x1, i + 1));
            a10 = MulAdd(v1, w0, a10);
            e10 = MulAdd(t1, u0, e10);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i)), t2 = Vector512.Create(Unsafe.Add(ref x2, i + 1));
            a20 = MulAdd(v2, w0, a20);
            e20 = MulAdd(t2, u0, e20);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i)), t3 = Vector512.Create(Unsafe.Add(ref x3, i + 1));
            a30 = MulAdd(v3, w0, a30);
            e30 = MulAdd(t3, u0, e30);
            Vector512<T> v4 = Vector512.Create(Unsafe.Add(ref x4, i)), t4 = Vector512.Create(Unsafe.Add(ref x4, i + 1));
            a40 = MulAdd(v4, w0, a40);
            e40 = MulAdd(t4, u0, e40);
        }

        if (i < inputs)
        {
            // The last input of an odd count: an even one.
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w0 = Vector512.LoadUnsafe(ref weights, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v0, w0, a00);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a10 = MulAdd(v1, w0, a10);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a20 = MulAdd(v2, w0, a20);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i));
            a30 = MulAdd(v3, w0, a30);
            Vector512<T> v4 = Vector512.Create(Unsafe.Add(ref x4, i));
            a40 = MulAdd(v4, w0, a40);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        ref T y4 = ref Unsafe.Add(ref y3, units);
        Store(a00 + e00, ref y0, 0, left);
        Store(a10 + e10, ref y1, 0, left);
        Store(a20 + e20, ref y2, 0, left);
        Store(a30 + e30, ref y3, 0, left);
        Store(a40 + e40, ref y4, 0, left);
    }

    /// <summary>
    /// 4 row(s) of a short layer x 1 panel with Vector512: 4 accumulator(s) in two chains each (8 vectors), the
    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; their sum is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortTile512R4<T>(ref T panel, int inputs, ref T x, ref T y, int units, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        ref T x3 = ref Unsafe.Add(ref x2, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a00 = b00, e00 = Vector512<T>.Zero;
        Vector512<T> a10 = b00, e10 = Vector512<T>.Zero;
        Vector512<T> a20 = b00, e20 = Vector512<T>.Zero;
        Vector512<T> a30 = b00, e30 = Vector512<T>.Zero;
        ref T weights = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        int i = 0;
        for (; i < inputs - 1; i += 2)
        {
            nuint o = (nuint)i * (nuint)width, q = o + (nuint)width;
            Vector512<T> w0 = Vector512.LoadUnsafe(ref weights, o), u0 = Vector512.LoadUnsafe(ref weights, q);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i)), t0 = Vector512.Create(Unsafe.Add(ref x, i + 1));
            a00 = MulAdd(v0, w0, a00);
            e00 = MulAdd(t0, u0, e00);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i)), t1 = Vector512.Create(Unsafe.Add(ref x1, i + 1));
            a10 = MulAdd(v1, w0, a10);
            e10 = MulAdd(t1, u0, e10);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i)), t2 = Vector512.Create(Unsafe.Add(ref x2, i + 1));
            a20 = MulAdd(v2, w0, a20);
            e20 = MulAdd(t2, u0, e20);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i)), t3 = Vector512.Create(Unsafe.Add(ref x3, i + 1));
            a30 = MulAdd(v3, w0, a30);
            e30 = MulAdd(t3, u0, e30);
        }

        if (i < inputs)
        {
            // The last input of an odd count: an even one.
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w0 = Vector512.LoadUnsafe(ref weights, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v0, w0, a00);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a10 = MulAdd(v1, w0, a10);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a20 = MulAdd(v2, w0, a20);
            Vector512<T> v3 = Vector512.Create(Unsafe.Add(ref x3, i));
            a30 = MulAdd(v3, w0, a30);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        ref T y3 = ref Unsafe.Add(ref y2, units);
        Store(a00 + e00, ref y0, 0, left);
        Store(a10 + e10, ref y1, 0, left);
        Store(a20 + e20, ref y2, 0, left);
        Store(a30 + e30, ref y3, 0, left);
    }

    /// <summary>
    /// 3 row(s) of a short layer x 1 panel with Vector512: 3 accumulator(s) in two chains each (6 vectors), the
    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; their sum is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortTile512R3<T>(ref T panel, int inputs, ref T x, ref T y, int units, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        ref T x2 = ref Unsafe.Add(ref x1, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a00 = b00, e00 = Vector512<T>.Zero;
        Vector512<T> a10 = b00, e10 = Vector512<T>.Zero;
        Vector512<T> a20 = b00, e20 = Vector512<T>.Zero;
        ref T weights = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        int i = 0;
        for (; i < inputs - 1; i += 2)
        {
            nuint o = (nuint)i * (nuint)width, q = o + (nuint)width;
            Vector512<T> w0 = Vector512.LoadUnsafe(ref weights, o), u0 = Vector512.LoadUnsafe(ref weights, q);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i)), t0 = Vector512.Create(Unsafe.Add(ref x, i + 1));
            a00 = MulAdd(v0, w0, a00);
            e00 = MulAdd(t0, u0, e00);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i)), t1 = Vector512.Create(Unsafe.Add(ref x1, i + 1));
            a10 = MulAdd(v1, w0, a10);
            e10 = MulAdd(t1, u0, e10);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i)), t2 = Vector512.Create(Unsafe.Add(ref x2, i + 1));
            a20 = MulAdd(v2, w0, a20);
            e20 = MulAdd(t2, u0, e20);
        }

        if (i < inputs)
        {
            // The last input of an odd count: an even one.
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w0 = Vector512.LoadUnsafe(ref weights, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v0, w0, a00);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a10 = MulAdd(v1, w0, a10);
            Vector512<T> v2 = Vector512.Create(Unsafe.Add(ref x2, i));
            a20 = MulAdd(v2, w0, a20);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        ref T y2 = ref Unsafe.Add(ref y1, units);
        Store(a00 + e00, ref y0, 0, left);
        Store(a10 + e10, ref y1, 0, left);
        Store(a20 + e20, ref y2, 0, left);
    }

    /// <summary>
    /// 2 row(s) of a short layer x 1 panel with Vector512: 2 accumulator(s) in two chains each (4 vectors), the
    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; their sum is stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortTile512R2<T>(ref T panel, int inputs, ref T x, ref T y, int units, int left)
        where T : struct
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        ref T x1 = ref Unsafe.Add(ref x, inputs);
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a00 = b00, e00 = Vector512<T>.Zero;
        Vector512<T> a10 = b00, e10 = Vector512<T>.Zero;
        ref T weights = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        int i = 0;
        for (; i < inputs - 1; i += 2)
        {
            nuint o = (nuint)i * (nuint)width, q = o + (nuint)width;
            Vector512<T> w0 = Vector512.LoadUnsafe(ref weights, o), u0 = Vector512.LoadUnsafe(ref weights, q);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i)), t0 = Vector512.Create(Unsafe.Add(ref x, i + 1));
            a00 = MulAdd(v0, w0, a00);
            e00 = MulAdd(t0, u0, e00);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i)), t1 = Vector512.Create(Unsafe.Add(ref x1, i + 1));
            a10 = MulAdd(v1, w0, a10);
            e10 = MulAdd(t1, u0, e10);
        }

        if (i < inputs)
        {
            // The last input of an odd count: an even one.
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> w0 = Vector512.LoadUnsafe(ref weights, o);
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v0, w0, a00);
            Vector512<T> v1 = Vector512.Create(Unsafe.Add(ref x1, i));
            a10 = MulAdd(v1, w0, a10);
        }

        ref T y0 = ref y;
        ref T y1 = ref Unsafe.Add(ref y0, units);
        Store(a00 + e00, ref y0, 0, left);
        Store(a10 + e10, ref y1, 0, left);
    }

    /// <summary>
    /// 1 row(s) of a short layer x 1 panel with Vector512: 1 accumulator(s) in two chains each (2 vectors), the
    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; the activation of their sum is
    /// stored (no store and reload between the sums and the activation; it works lane by lane, so the bits of a pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortTile512R1<T, TActivation>(ref T panel, int inputs, ref T x, ref T y, int units, int left, TActivation activation)
        where T : struct
        where TActivation : struct, IVectorActivation<T>
    {
        int width = PanelWidth<T>();
        int c = Vector512<T>.Count;
        ref T p0 = ref panel;
        Vector512<T> b00 = Vector512.LoadUnsafe(ref p0);
        Vector512<T> a00 = b00, e00 = Vector512<T>.Zero;
        ref T weights = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row
        int i = 0;
        for (; i < inputs - 1; i += 2)
        {
            nuint o = (nuint)i * (nuint)width, q = o + (nuint)width;
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i)), t0 = Vector512.Create(Unsafe.Add(ref x, i + 1));
            a00 = MulAdd(v0, Vector512.LoadUnsafe(ref weights, o), a00);
            e00 = MulAdd(t0, Vector512.LoadUnsafe(ref weights, q), e00);
        }

        if (i < inputs)
        {
            // The last input of an odd count: an even one.
            nuint o = (nuint)i * (nuint)width;
            Vector512<T> v0 = Vector512.Create(Unsafe.Add(ref x, i));
            a00 = MulAdd(v0, Vector512.LoadUnsafe(ref weights, o), a00);
        }

        ref T y0 = ref y;
        Store(activation.Apply(a00 + e00), ref y0, 0, left);
    }
}
