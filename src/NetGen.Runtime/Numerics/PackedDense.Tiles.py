# Writes PackedDense.Tiles.cs (python3 PackedDense.Tiles.py > PackedDense.Tiles.cs): the register tiles of
# PackedDense, one method per shape. The table W gives, per width, vectors per panel (k), the row tile of the batch
# (a rows), the smaller tiles for the rows after the last whole a-row tile (tails), the remainder below which those
# rows take one a-row tile with them (b: 1 to b - 1 rows left become a + 1 to a + b - 1 rows in two tail tiles), and
# the panel groups of the one-row tiles; cols (1 if absent) is the panels a batch tile covers, for a width whose panel
# is one vector: Vector512's 6 rows x 1 panel had 6 accumulators, too few to hide the multiply-add's latency (4 cycles,
# 2 per cycle on the AVX-512 Xeon: 8 in flight needed), 6 x 4 has 24 (29 of the 32 zmm registers with the 4 weights
# and the broadcast input; docs/performance.md, "PredictBatch on the AVX-512 Xeon").
W = {128: dict(k=4, a=3, b=2, tails=[2], groups=[2, 1]),
     256: dict(k=2, a=6, b=4, tails=[5, 4, 3, 2], groups=[4, 2, 1]),
     512: dict(k=1, a=6, b=4, tails=[5, 4, 3, 2], groups=[4, 2, 1], cols=4)}
# Short layers (PackedDense.IsShort: 8 to 63 inputs, at most 2 panels): each accumulator runs as two chains, the bias
# and the even inputs, and the odd inputs from zero, added before the store; one panel at a time. S gives the rows of
# the batch tile: 12 accumulators at 512 bits (6 rows x 1 vector x 2 chains), 8 at 256 (2 rows x 2 vectors x 2; 3 rows
# would need 17 ymm registers with the 4 weight vectors, one more than AVX2 has) and 8 at 128 (1 row x 4 vectors x 2).
S = {128: 1, 256: 2, 512: 6}
out = []
def L(s=""): out.append(s)

# The pieces every panel tile starts with (Tile and SparseTile): the panel width and lane count, one reference per
# panel of the group, each panel's bias row loaded into vectors named {name}{g}{kk}, the weight rows after it, and the
# offset of vector kk of input row o.
def panel_refs(V, groups):
    L("        int width = PanelWidth<T>();")
    L(f"        int c = {V}<T>.Count;")
    for g in range(groups):
        if g == 0:
            L("        ref T p0 = ref panel;")
        else:
            L(f"        ref T p{g} = ref Unsafe.Add(ref p{g-1}, block);")

def bias_rows(V, groups, k, name):
    for g in range(groups):
        L(f"        {V}<T> " + ", ".join(f"{name}{g}{kk} = {V}.LoadUnsafe(ref p{g}{'' if kk == 0 else ', (nuint)' + ('c' if kk == 1 else f'({kk} * c)')})" for kk in range(k)) + ";")

def weight_refs(groups):
    for g in range(groups):
        L(f"        ref T w{g} = ref Unsafe.Add(ref p{g}, width); // the weights follow the panel's bias row")

def off(kk):
    return "o" if kk == 0 else ("o + (nuint)c" if kk == 1 else f"o + (nuint)({kk} * c)")

# Where vector kk of panel g goes in an output row: g panels of width, then kk vectors of c lanes.
def store_offset(g, kk):
    return " + ".join(t for t in ([] if g == 0 else [("width" if g == 1 else f"{g} * width")]) + ([] if kk == 0 else [("c" if kk == 1 else f"{kk} * c")])) or "0"

def tile(w, rows, groups):
    k = W[w]["k"]; V = f"Vector{w}"
    name = f"Tile{w}R{rows}P{groups}"
    then = "stored, then activated in place (Activate)" if rows > 1 else "stored (Row" + str(w) + " activates the row afterwards)"
    L(f"    /// <summary>{rows} row(s) x {groups} panel(s) with {V}: {rows * groups * k} accumulators, started at the bias, {then}.</summary>")
    L("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
    if rows > 1:
        L(f"    private static void {name}<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, TActivation activation)")
        L("        where T : struct")
        L("        where TActivation : struct, IVectorActivation<T>")
    else:
        L(f"    private static void {name}<T>(ref T panel, int block, int inputs, ref T x, ref T y, int left)")
        L("        where T : struct")
    L("    {")
    panel_refs(V, groups)
    for r in range(1, rows):
        L(f"        ref T x{r} = ref Unsafe.Add(ref x{'' if r == 1 else r-1}, inputs);")
    bias_rows(V, groups, k, "b")
    accs = [(r, g, kk) for r in range(rows) for g in range(groups) for kk in range(k)]
    for r in range(rows):
        L(f"        {V}<T> " + ", ".join(f"a{r}{g}{kk} = b{g}{kk}" for g in range(groups) for kk in range(k)) + ";")
    weight_refs(groups)
    L("        for (int i = 0; i < inputs; i++)")
    L("        {")
    L("            nuint o = (nuint)i * (nuint)width;")
    if rows > 1:
        # Each weight vector serves every row of the tile: loaded once into a register.
        for g in range(groups):
            for kk in range(k):
                L(f"            {V}<T> w{g}{kk} = {V}.LoadUnsafe(ref w{g}, {off(kk)});")
    for r in range(rows):
        xr = "x" if r == 0 else f"x{r}"
        L(f"            {V}<T> v{r} = {V}.Create(Unsafe.Add(ref {xr}, i));")
        for g in range(groups):
            for kk in range(k):
                # One row: each weight vector is used once, so the load goes inside the multiply-add (a memory
                # operand), leaving the registers to the accumulators; loaded into variables first, the 8
                # weights, 8 accumulators and the broadcast input needed 17 registers and the JIT spilled one
                # to the stack on every input.
                w = f"w{g}{kk}" if rows > 1 else f"{V}.LoadUnsafe(ref w{g}, {off(kk)})"
                L(f"            a{r}{g}{kk} = MulAdd(v{r}, {w}, a{r}{g}{kk});")
    L("        }")
    L("")
    for r in range(rows):
        if r == 0:
            L("        ref T y0 = ref y;")
        else:
            L(f"        ref T y{r} = ref Unsafe.Add(ref y{r-1}, units);")
    for (r, g, kk) in accs:
        L(f"        Store(a{r}{g}{kk}, ref y{r}, {store_offset(g, kk)}, left);")
    if rows > 1:
        L("")
        L(f"        Activate(ref y, units, {rows}, {'width' if groups == 1 else f'{groups} * width'}, left, activation);")
    L("    }")
    L("")

def driver(w):
    d = W[w]; a, b, tails, cols = d["a"], d["b"], d["tails"], d.get("cols", 1)
    most = max(tails)
    L(f"    /// <summary>")
    sizes = f"{min(tails)} to {most} rows" if len(tails) > 1 else f"{most} rows"
    few = f"1 to {b - 1} rows left take" if b > 2 else "1 row left takes"
    over = "each panel" if cols == 1 else f"{cols} panels at a time ({a * cols} accumulators; the panels after the last\n    /// group of {cols} one at a time)"
    L(f"    /// The layer with Vector{w}: tiles of {a} rows over {over}, then the rows after the last whole tile in one or two")
    L(f"    /// tiles of {sizes} (<see cref=\"Tail{w}\"/>); {few} one {a}-row tile with {'them' if b > 2 else 'it'} ({', '.join(f'{a + t} = {(a + t) - ((a + t) // 2)} + {(a + t) // 2}' for t in range(1, b))}),")
    L(f"    /// so that no row of a batch goes over every panel alone (each would read the whole layer once more). A single row")
    L(f"    /// runs Row{w}. Every output is the same operations in the same order in any tile, so the bits do not depend on the cut.")
    L(f"    /// A short layer (<see cref=\"IsShort\"/>) runs <see cref=\"ShortForward{w}\"/> instead.")
    L(f"    /// </summary>")
    L(f"    internal static void Forward{w}<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, int rows, TActivation activation)")
    L("        where T : struct")
    L("        where TActivation : struct, IVectorActivation<T>")
    L("    {")
    L("        if (IsShort<T>(inputs, units))")
    L("        {")
    L(f"            ShortForward{w}(ref packed, inputs, units, ref x, ref y, rows, activation);")
    L("            return;")
    L("        }")
    L("")
    L("        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;")
    L(f"        int tail = rows % {a};")
    L(f"        if (tail < {b} && tail != 0 && rows > {a})")
    L("        {")
    L(f"            tail += {a};")
    L("        }")
    L("")
    L(f"        int tiled = rows - tail, second = tail > {most} ? tail / 2 : 0, first = tail - second;")
    L("        if (first == 1)")
    L("        {")
    L("            first = 0; // one row alone (rows == 1): Row" + str(w) + " below")
    L("        }")
    L("")
    if cols == 1:
        L("        for (int p = 0; p < panels; p++)")
        L("        {")
        L("            ref T panel = ref Unsafe.Add(ref packed, p * block);")
        L("            int column = p * width, left = units - column;")
        L(f"            for (int r = 0; r < tiled; r += {a})")
        L("            {")
        L(f"                Tile{w}R{a}P1(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, activation);")
        L("            }")
        L("")
        L("            if (first != 0)")
        L("            {")
        L(f"                Tail{w}(ref panel, block, inputs, ref Unsafe.Add(ref x, tiled * inputs), ref Unsafe.Add(ref y, (tiled * units) + column), units, left, first, activation);")
        L("            }")
        L("")
        L("            if (second != 0)")
        L("            {")
        L("                int r = tiled + first;")
        L(f"                Tail{w}(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, second, activation);")
        L("            }")
        L("        }")
        L("")
    else:
        L(f"        for (int p = 0; p < panels;)")
        L("        {")
        L(f"            // {cols} panels at a time while {cols} are left ({a} x {cols} accumulators), then one at a time.")
        L(f"            int size = panels - p >= {cols} ? {cols} : 1;")
        L("            ref T panel = ref Unsafe.Add(ref packed, p * block);")
        L("            int column = p * width, left = units - column;")
        L(f"            if (size == {cols})")
        L("            {")
        L(f"                for (int r = 0; r < tiled; r += {a})")
        L("                {")
        L(f"                    Tile{w}R{a}P{cols}(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, activation);")
        L("                }")
        L("            }")
        L("            else")
        L("            {")
        L(f"                for (int r = 0; r < tiled; r += {a})")
        L("                {")
        L(f"                    Tile{w}R{a}P1(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, activation);")
        L("                }")
        L("            }")
        L("")
        L("            if (first != 0)")
        L("            {")
        L(f"                Tail{w}(ref panel, block, inputs, ref Unsafe.Add(ref x, tiled * inputs), ref Unsafe.Add(ref y, (tiled * units) + column), units, left, first, size, activation);")
        L("            }")
        L("")
        L("            if (second != 0)")
        L("            {")
        L("                int r = tiled + first;")
        L(f"                Tail{w}(ref panel, block, inputs, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, (r * units) + column), units, left, second, size, activation);")
        L("            }")
        L("")
        L("            p += size;")
        L("        }")
        L("")
    L("        for (int r = tiled + first + second; r < rows; r++)")
    L("        {")
    L(f"            Row{w}(ref packed, inputs, units, ref Unsafe.Add(ref x, r * inputs), ref Unsafe.Add(ref y, r * units), activation, alternate: false);")
    L("        }")
    L("    }")
    L("")
    L(f"    /// <summary>")
    group = "one panel" if cols == 1 else f"<paramref name=\"size\"/> panels ({cols} or 1)"
    L(f"    /// {' or '.join(map(str, tails)) if len(tails) < 3 else ', '.join(map(str, tails[:-1])) + ' or ' + str(tails[-1])} rows (<paramref name=\"rows\"/>) over {group} with Vector{w}, in the tile of that many rows: the rows")
    L(f"    /// after Forward{w}'s whole tiles. A method of its own, so that the batch method keeps only its main tile inlined.")
    L(f"    /// </summary>")
    L("    [MethodImpl(MethodImplOptions.NoInlining)]")
    L(f"    private static void Tail{w}<T, TActivation>(ref T panel, int block, int inputs, ref T x, ref T y, int units, int left, int rows, {'' if cols == 1 else 'int size, '}TActivation activation)")
    L("        where T : struct")
    L("        where TActivation : struct, IVectorActivation<T>")
    L("    {")
    def dispatch(g, indent):
        sp = " " * indent
        if len(tails) == 1:
            L(f"{sp}Tile{w}R{tails[0]}P{g}(ref panel, block, inputs, ref x, ref y, units, left, activation);")
        for i, t in enumerate(tails if len(tails) > 1 else []):
            L(f"{sp}{'if' if i == 0 else 'else if'} (rows == {t})" if i < len(tails) - 1 else f"{sp}else")
            L(f"{sp}{{")
            L(f"{sp}    Tile{w}R{t}P{g}(ref panel, block, inputs, ref x, ref y, units, left, activation);")
            L(f"{sp}}}")
    if cols == 1:
        dispatch(1, 8)
    else:
        L(f"        if (size == {cols})")
        L("        {")
        dispatch(cols, 12)
        L("        }")
        L("        else")
        L("        {")
        dispatch(1, 12)
        L("        }")
    L("    }")
    L("")

def groups_loop(w, tile_call):
    # The one-row walk over the panels in groups (4, 2, 1 or 2, 1), forwards or (alternate) backwards; tile_call(g)
    # gives the lines that run the group of g panels at panel, into yp.
    gs = W[w]["groups"]
    big = gs[0]
    L("        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;")
    L("        bool backwards = alternate && Backwards((long)panels * block * Unsafe.SizeOf<T>());")
    L(f"        int smaller = panels - (panels % {big}); // where the groups of fewer than {big} panels start: one per bit of panels % {big}")
    L("        int p = backwards ? panels : 0;")
    L("        for (int done = 0; done < panels;)")
    L("        {")
    L("            int size;")
    L("            if (backwards)")
    L("            {")
    L(f"                // The group that ends at p: {big} panels before the smaller ones, else the lowest bit of what precedes p there.")
    L(f"                size = p > smaller ? (p - smaller) & -(p - smaller) : {big};")
    L("                p -= size;")
    L("            }")
    L("            else")
    L("            {")
    L("                size = " + " : ".join(f"panels - p >= {g} ? {g}" for g in gs[:-1]) + f" : {gs[-1]};")
    L("            }")
    L("")
    L("            ref T panel = ref Unsafe.Add(ref packed, p * block);")
    L("            ref T yp = ref Unsafe.Add(ref y, p * width);")
    L("            int left = units - (p * width);")
    for i, g in enumerate(gs):
        L(f"            {'if' if i == 0 else 'else if'} (size == {g})" if i < len(gs) - 1 else "            else")
        L("            {")
        for line in tile_call(g):
            L("                " + line)
        L("            }")
    L("")
    L("            done += size;")
    L("            if (!backwards)")
    L("            {")
    L("                p += size;")
    L("            }")
    L("        }")
    L("")
    L("        ActivateRow(ref y, units, activation);")

def row(w):
    d = W[w]
    gs = d["groups"]
    big = gs[0]
    L(f"    /// <summary>")
    L(f"    /// One row with Vector{w}: groups of {big} panels, then each smaller group ({', '.join(map(str, gs[1:]))}) at most once, the sums")
    L(f"    /// stored, then one activation pass over the row. If <paramref name=\"alternate\"/>, a large layer takes the same")
    L(f"    /// groups last to first on every other call (<see cref=\"Backwards\"/>). A method of its own with each tile compiled")
    L(f"    /// into it once, so that a one-row call runs a small method. An input row with enough zeros runs")
    L(f"    /// <see cref=\"SparseRow{w}\"/> instead (<see cref=\"SkipsZeros\"/>), which gives the same bits; a short layer")
    L(f"    /// (<see cref=\"IsShort\"/>) runs <see cref=\"ShortRow{w}\"/>.")
    L(f"    /// </summary>")
    L(f"    internal static void Row{w}<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation, bool alternate)")
    L("        where T : struct")
    L("        where TActivation : struct, IVectorActivation<T>")
    L("    {")
    L("        if (IsShort<T>(inputs, units))")
    L("        {")
    L(f"            ShortRow{w}(ref packed, inputs, units, ref x, ref y, activation);")
    L("            return;")
    L("        }")
    L("")
    L("        if (inputs >= SparseRowInputs && SkipsZeros(ref x, inputs))")
    L("        {")
    L(f"            SparseRow{w}(ref packed, inputs, units, ref x, ref y, activation, alternate);")
    L("            return;")
    L("        }")
    L("")
    groups_loop(w, lambda g: [f"Tile{w}R1P{g}(ref panel, block, inputs, ref x, ref yp, left);"])
    L("    }")
    L("")

def sparse_row(w):
    L(f"    /// <summary>")
    L(f"    /// <see cref=\"Row{w}\"/> over the inputs that are not zero: their indices listed once (<see cref=\"NonzeroInputs\"/>,")
    L(f"    /// on the stack), then the same groups of panels, each reading only the weight rows of the listed inputs. Each")
    L(f"    /// accumulator adds the same nonzero products in the same order, and a skipped product (0 times a finite weight:")
    L(f"    /// a zero) leaves a sum unchanged, except that it turns a sum of -0 into +0; so the sums are Row{w}'s bits except")
    L(f"    /// that one can be -0 where Row{w}'s is +0. A group with a -0 sum runs Row{w}'s tile over again (docs/architecture.md, \"The packed inference copy\").")
    L(f"    /// </summary>")
    L("    [SkipLocalsInit]")
    L("    [MethodImpl(MethodImplOptions.NoInlining)]")
    L(f"    private static void SparseRow{w}<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation, bool alternate)")
    L("        where T : struct")
    L("        where TActivation : struct, IVectorActivation<T>")
    L("    {")
    L("        Span<int> list = stackalloc int[SparseRowMaxInputs + SparsePrefetchAhead];")
    L("        ref int index = ref MemoryMarshal.GetReference(list);")
    L("        int count = NonzeroInputs(ref x, inputs, ref index);")
    groups_loop(w, lambda g: [
        f"if (!SparseTile{w}R1P{g}(ref panel, block, ref index, count, ref x, ref yp, left))",
        "{",
        f"    Tile{w}R1P{g}(ref panel, block, inputs, ref x, ref yp, left);",
        "}"])
    L("    }")
    L("")

def sparse_tile(w, groups):
    k = W[w]["k"]; V = f"Vector{w}"
    name = f"SparseTile{w}R1P{groups}"
    L(f"    /// <summary>")
    L(f"    /// Tile{w}R1P{groups} over the <paramref name=\"count\"/> inputs listed at <paramref name=\"index\"/>: {groups * k} accumulator(s), started at the")
    L(f"    /// bias, stored unless one holds a -0 (false: nothing stored, for the dense tile to run).")
    L(f"    /// </summary>")
    L("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
    L(f"    private static bool {name}<T>(ref T panel, int block, ref int index, int count, ref T x, ref T y, int left)")
    L("        where T : struct")
    L("    {")
    panel_refs(V, groups)
    accs = [(g, kk) for g in range(groups) for kk in range(k)]
    bias_rows(V, groups, k, "a")
    weight_refs(groups)
    L("        for (int j = 0; j < count; j++)")
    L("        {")
    L("            int i = Unsafe.Add(ref index, j);")
    L("            nuint o = (nuint)i * (nuint)width, ahead = (nuint)Unsafe.Add(ref index, j + SparsePrefetchAhead) * (nuint)width;")
    for g in range(groups):
        L(f"            Prefetch(ref Unsafe.Add(ref w{g}, ahead));")
    L(f"            {V}<T> v = {V}.Create(Unsafe.Add(ref x, i));")
    for (g, kk) in accs:
        L(f"            a{g}{kk} = MulAdd(v, {V}.LoadUnsafe(ref w{g}, {off(kk)}), a{g}{kk});")
    L("        }")
    L("")
    L("        if (" + " || ".join(f"IsNegativeZero(a{g}{kk})" for (g, kk) in accs) + ")")
    L("        {")
    L("            return false;")
    L("        }")
    L("")
    for (g, kk) in accs:
        L(f"        Store(a{g}{kk}, ref y, {store_offset(g, kk)}, left);")
    L("        return true;")
    L("    }")
    L("")

# Whether a width's one-row short tile applies the activation to its sums before it stores them (one vector a panel:
# one inlined copy of the activation per panel); with more vectors a panel the row is stored, then activated in one pass.
def activates(w, rows):
    return rows == 1 and W[w]["k"] == 1

def short_tile(w, rows):
    k = W[w]["k"]; V = f"Vector{w}"
    name = f"ShortTile{w}R{rows}"
    act = activates(w, rows)
    L(f"    /// <summary>")
    L(f"    /// {rows} row(s) of a short layer x 1 panel with {V}: {rows * k} accumulator(s) in two chains each ({2 * rows * k} vectors), the")
    if act:
        L(f"    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; the activation of their sum is")
        L(f"    /// stored (no store and reload between the sums and the activation; it works lane by lane, so the bits of a pass).")
    else:
        L(f"    /// bias and inputs 0, 2, 4, ... in order, and inputs 1, 3, 5, ... in order from zero; their sum is stored.")
    L(f"    /// </summary>")
    L("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
    if act:
        L(f"    private static void {name}<T, TActivation>(ref T panel, int inputs, ref T x, ref T y, int units, int left, TActivation activation)")
        L("        where T : struct")
        L("        where TActivation : struct, IVectorActivation<T>")
    else:
        L(f"    private static void {name}<T>(ref T panel, int inputs, ref T x, ref T y, int units, int left)")
        L("        where T : struct")
    L("    {")
    panel_refs(V, 1)
    for r in range(1, rows):
        L(f"        ref T x{r} = ref Unsafe.Add(ref x{'' if r == 1 else r-1}, inputs);")
    bias_rows(V, 1, k, "b")
    for r in range(rows):
        L(f"        {V}<T> " + ", ".join(f"a{r}{kk} = b0{kk}, e{r}{kk} = {V}<T>.Zero" for kk in range(k)) + ";")
    L("        ref T weights = ref Unsafe.Add(ref p0, width); // the weights follow the panel's bias row")
    L("        int i = 0;")
    L("        for (; i < inputs - 1; i += 2)")
    L("        {")
    L("            nuint o = (nuint)i * (nuint)width, q = o + (nuint)width;")
    def weight(kk, base):
        return f"{V}.LoadUnsafe(ref weights, {off(kk).replace('o', base, 1)})"
    # Input i of row r into the even chains: the weight vectors in registers when the tile has several rows.
    def even(r):
        for kk in range(k):
            L(f"            a{r}{kk} = MulAdd(v{r}, {f'w{kk}' if rows > 1 else weight(kk, 'o')}, a{r}{kk});")
    if rows > 1:
        # Each weight vector serves every row of the tile: loaded once into a register.
        for kk in range(k):
            L(f"            {V}<T> w{kk} = {weight(kk, 'o')}, u{kk} = {weight(kk, 'q')};")
    for r in range(rows):
        xr = "x" if r == 0 else f"x{r}"
        L(f"            {V}<T> v{r} = {V}.Create(Unsafe.Add(ref {xr}, i)), t{r} = {V}.Create(Unsafe.Add(ref {xr}, i + 1));")
        even(r)
        for kk in range(k):
            L(f"            e{r}{kk} = MulAdd(t{r}, {f'u{kk}' if rows > 1 else weight(kk, 'q')}, e{r}{kk});")
    L("        }")
    L("")
    L("        if (i < inputs)")
    L("        {")
    L("            // The last input of an odd count: an even one.")
    L("            nuint o = (nuint)i * (nuint)width;")
    if rows > 1:
        for kk in range(k):
            L(f"            {V}<T> w{kk} = {weight(kk, 'o')};")
    for r in range(rows):
        xr = "x" if r == 0 else f"x{r}"
        L(f"            {V}<T> v{r} = {V}.Create(Unsafe.Add(ref {xr}, i));")
        even(r)
    L("        }")
    L("")
    for r in range(rows):
        if r == 0:
            L("        ref T y0 = ref y;")
        else:
            L(f"        ref T y{r} = ref Unsafe.Add(ref y{r-1}, units);")
    for r in range(rows):
        for kk in range(k):
            total = f"activation.Apply(a{r}{kk} + e{r}{kk})" if act else f"a{r}{kk} + e{r}{kk}"
            L(f"        Store({total}, ref y{r}, {store_offset(0, kk)}, left);")
    L("    }")
    L("")

def short_row(w):
    act = activates(w, 1)
    extra = ", activation" if act else ""
    L(f"    /// <summary>")
    L(f"    /// One row of a short layer (<see cref=\"IsShort\"/>) with Vector{w}: <see cref=\"ShortTile{w}R1\"/> over each panel (the two")
    L(f"    /// panels' chains are independent, so the core runs them side by side){', each activating its sums' if act else ', then one activation pass over the row'}.")
    L(f"    /// </summary>")
    L("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
    L(f"    private static void ShortRow{w}<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, TActivation activation)")
    L("        where T : struct")
    L("        where TActivation : struct, IVectorActivation<T>")
    L("    {")
    L("        int width = PanelWidth<T>();")
    L(f"        ShortTile{w}R1(ref packed, inputs, ref x, ref y, units, units{extra});")
    L("        if (units > width)")
    L("        {")
    L(f"            ShortTile{w}R1(ref Unsafe.Add(ref packed, (inputs + 1) * width), inputs, ref x, ref Unsafe.Add(ref y, width), units, units - width{extra});")
    L("        }")
    if not act:
        L("")
        L("        ActivateRow(ref y, units, activation);")
    L("    }")
    L("")

def short_driver(w):
    a = S[w]
    L(f"    /// <summary>")
    if a > 1:
        rest = f"in one tile of that many rows (<see cref=\"ShortTail{w}\"/>)" if a > 2 else "(one row at most) in a one-row tile"
        L(f"    /// A short layer (<see cref=\"IsShort\"/>) with Vector{w}: per panel, tiles of {a} rows, then the rows after the last whole")
        L(f"    /// tile {rest}; each tile's values activated in place after its")
        L(f"    /// store. A single row runs <see cref=\"ShortRow{w}\"/>. The same two chains for every output in any tile, so the")
        L(f"    /// bits do not depend on the cut.")
    else:
        L(f"    /// A short layer (<see cref=\"IsShort\"/>) with Vector{w}: per panel, one row at a time, each row's values activated in")
        L(f"    /// place after its store. A single row runs <see cref=\"ShortRow{w}\"/>.")
    L(f"    /// </summary>")
    L(f"    private static void ShortForward{w}<T, TActivation>(ref T packed, int inputs, int units, ref T x, ref T y, int rows, TActivation activation)")
    L("        where T : struct")
    L("        where TActivation : struct, IVectorActivation<T>")
    L("    {")
    L("        if (rows == 1)")
    L("        {")
    L(f"            ShortRow{w}(ref packed, inputs, units, ref x, ref y, activation);")
    L("            return;")
    L("        }")
    L("")
    L("        int width = PanelWidth<T>(), block = (inputs + 1) * width, panels = (units + width - 1) / width;")
    L(f"        int tiled = rows - (rows % {a});")
    L("        for (int p = 0; p < panels; p++)")
    L("        {")
    L("            ref T panel = ref Unsafe.Add(ref packed, p * block);")
    L("            int column = p * width, left = units - column;")
    L(f"            for (int r = 0; r < tiled; r += {a})")
    L("            {")
    L("                ref T yr = ref Unsafe.Add(ref y, (r * units) + column);")
    L(f"                ShortTile{w}R{a}(ref panel, inputs, ref Unsafe.Add(ref x, r * inputs), ref yr, units, left);")
    L(f"                Activate(ref yr, units, {a}, width, left, activation);")
    L("            }")
    if a > 2:
        L("")
        L("            if (tiled < rows)")
        L("            {")
        L(f"                ShortTail{w}(ref panel, inputs, ref Unsafe.Add(ref x, tiled * inputs), ref Unsafe.Add(ref y, (tiled * units) + column), units, left, rows - tiled, activation);")
        L("            }")
    elif a == 2:
        L("")
        L("            if (tiled < rows)")
        L("            {")
        L("                // The last row of an odd count.")
        L("                ref T yr = ref Unsafe.Add(ref y, (tiled * units) + column);")
        L(f"                ShortTile{w}R1(ref panel, inputs, ref Unsafe.Add(ref x, tiled * inputs), ref yr, units, left);")
        L("                Activate(ref yr, units, 1, width, left, activation);")
        L("            }")
    L("        }")
    L("    }")
    L("")
    if a > 2:
        L(f"    /// <summary>")
        L(f"    /// {', '.join(map(str, range(a - 1, 1, -1)))} or 1 rows (<paramref name=\"rows\"/>) of a short layer over one panel with Vector{w}, in the tile of that many")
        L(f"    /// rows, then activated in place: the rows after <see cref=\"ShortForward{w}\"/>'s whole tiles, in a method of its own.")
        L(f"    /// </summary>")
        L("    [MethodImpl(MethodImplOptions.NoInlining)]")
        L(f"    private static void ShortTail{w}<T, TActivation>(ref T panel, int inputs, ref T x, ref T y, int units, int left, int rows, TActivation activation)")
        L("        where T : struct")
        L("        where TActivation : struct, IVectorActivation<T>")
        L("    {")
        sizes = list(range(a - 1, 0 if not activates(w, 1) else 1, -1))
        if activates(w, 1):
            L("        if (rows == 1)")
            L("        {")
            L("            // One row: the tile activates its sums itself.")
            L(f"            ShortTile{w}R1(ref panel, inputs, ref x, ref y, units, left, activation);")
            L("            return;")
            L("        }")
            L("")
        for i, t in enumerate(sizes):
            L(f"        {'if' if i == 0 else 'else if'} (rows == {t})" if i < len(sizes) - 1 else "        else")
            L("        {")
            L(f"            ShortTile{w}R{t}(ref panel, inputs, ref x, ref y, units, left);")
            L("        }")
        L("")
        L("        Activate(ref y, units, rows, PanelWidth<T>(), left, activation);")
        L("    }")
        L("")

L("// The register tiles of PackedDense, one method per shape and width (written out from PackedDense.Tiles.py's table:")
L("// rows x panels per width); see PackedDense.cs for the layout and docs/performance.md for the choice of shapes.")
L("using System;")
L("using System.Runtime.CompilerServices;")
L("using System.Runtime.InteropServices;")
L("using System.Runtime.Intrinsics;")
L("")
L("namespace NetGen.Numerics;")
L("")
L("public static partial class PackedDense")
L("{")
for w in (128, 256, 512):
    d = W[w]
    driver(w)
    row(w)
    sparse_row(w)
    for c in sorted({d.get("cols", 1), 1}, reverse=True):
        tile(w, d["a"], c)
        for t in d["tails"]:
            tile(w, t, c)
    for g in d["groups"]:
        tile(w, 1, g)
    for g in d["groups"]:
        sparse_tile(w, g)
    short_driver(w)
    short_row(w)
    for t in range(S[w], 0, -1):
        short_tile(w, t)
while out[-1] == "": out.pop()
L("}")
print("\n".join(out))
