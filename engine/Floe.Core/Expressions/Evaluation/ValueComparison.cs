using Floe.Kernels.Bitmaps;

namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// <c>= != &lt; &lt;= &gt; &gt;=</c> into a Bool vector: numbers (longs and timestamps as longs, doubles when either
/// side is a double, IEEE for NaN) run as one comparison kernel per column, against a single value when one side is a
/// literal; booleans compare word by word (false &lt; true); strings by code point (their UTF-8 bytes), against the literal's bytes when one side is a string literal.
/// A row is null when either side is; value bits under null rows are clear.
/// </summary>
internal static class ValueComparison
{
    /// <summary><c>a op b</c>.</summary>
    public static ValueVector Compare(string text, ValueVector a, ValueVector b)
    {
        var op = Parse(text);
        int n = a.Length;
        var bits = new ulong[Bitmap.WordCount(n)];
        bool aNum = a.IsNumeric || a.Kind == ValueKind.Timestamp;
        bool bNum = b.IsNumeric || b.Kind == ValueKind.Timestamp;
        if (a.Kind == ValueKind.String && b.Kind == ValueKind.String)
        {
            Strings(op, a, b, default, bits);
        }
        else if (aNum && bNum && (a.Longs is null || b.Longs is null))
        {
            ComparisonOps.ToBitmap(op, ValueColumns.Doubles(a), ValueColumns.Doubles(b), bits);
        }
        else if (aNum && bNum)
        {
            ComparisonOps.ToBitmap(op, ValueColumns.Longs(a), ValueColumns.Longs(b), bits);
        }
        else if (a.Kind == ValueKind.Bool && b.Kind == ValueKind.Bool)
        {
            Booleans(op, a.Bits!, b.Bits!, bits);
            Bitmap.ClearTail(bits, n);
        }
        else
        {
            throw new ExpressionException($"cannot compare {ValueColumns.KindName(a.Kind)} with {ValueColumns.KindName(b.Kind)}");
        }
        return Result(bits, ValueColumns.AndValid(a, b), n);
    }

    /// <summary><c>a op literal</c> (or <c>literal op a</c> when <paramref name="literalLeft"/>), the literal a long or a double.</summary>
    public static ValueVector CompareLiteral(string text, ValueVector a, object literal, bool literalLeft)
    {
        var op = Parse(text);
        int n = a.Length;
        if (!(a.IsNumeric || a.Kind == ValueKind.Timestamp))
        {
            string lit = literal is long ? "int64" : "float64";
            string col = ValueColumns.KindName(a.Kind);
            throw new ExpressionException(literalLeft ? $"cannot compare {lit} with {col}" : $"cannot compare {col} with {lit}");
        }
        if (literalLeft) { op = ComparisonOps.Flip(op); }
        var bits = new ulong[Bitmap.WordCount(n)];
        if (a.Longs is not null && literal is long l) { ComparisonOps.ToBitmap(op, ValueColumns.Longs(a), l, bits); }
        else { ComparisonOps.ToBitmap(op, ValueColumns.Doubles(a), literal is long k ? k : (double)literal, bits); }
        return Result(bits, a.Valid is null ? null : a.Valid.AsSpan(0, bits.Length).ToArray(), n);
    }

    /// <summary><c>a op 'literal'</c> (or <c>'literal' op a</c> when <paramref name="literalLeft"/>): each row's bytes against the literal's, no filled column.</summary>
    public static ValueVector CompareString(string text, ValueVector a, string literal, bool literalLeft)
    {
        var op = Parse(text);
        if (a.Kind != ValueKind.String)
        {
            string col = ValueColumns.KindName(a.Kind);
            throw new ExpressionException(literalLeft ? $"cannot compare string with {col}" : $"cannot compare {col} with string");
        }
        if (literalLeft) { op = ComparisonOps.Flip(op); }
        int n = a.Length;
        var bits = new ulong[Bitmap.WordCount(n)];
        Strings(op, a, null, System.Text.Encoding.UTF8.GetBytes(literal), bits);
        return Result(bits, a.Valid is null ? null : a.Valid.AsSpan(0, bits.Length).ToArray(), n);
    }

    // Strings row against row (b) or against one literal (b null): UTF-8 byte order is code point order, and
    // equality needs no order at all. The operator is chosen once, outside the row loop.
    private static void Strings(ComparisonOp op, ValueVector a, ValueVector? b, ReadOnlySpan<byte> literal, Span<ulong> bits)
    {
        int n = a.Length;
        if (op is ComparisonOp.Eq or ComparisonOp.NotEq)
        {
            bool equal = op == ComparisonOp.Eq;
            for (int i = 0; i < n; i++)
            {
                if (a.GetUtf8(i).SequenceEqual(b is null ? literal : b.GetUtf8(i)) == equal) { bits[i >> 6] |= 1UL << (i & 63); }
            }
            return;
        }
        for (int i = 0; i < n; i++)
        {
            if (ComparisonOps.Holds(op, a.GetUtf8(i).SequenceCompareTo(b is null ? literal : b.GetUtf8(i)))) { bits[i >> 6] |= 1UL << (i & 63); }
        }
    }

    private static ValueVector Result(ulong[] bits, ulong[]? valid, int n)
    {
        if (valid is not null) { Bitmap.And(bits, valid, bits); }
        return ValueVector.FromBits(bits, valid, n);
    }

    private static ComparisonOp Parse(string op) =>
        ComparisonOps.Parse(op) ?? throw new ArgumentException($"'{op}' is not a comparison", nameof(op));

    // Booleans as bits, false < true: a word of 64 rows per step.
    private static void Booleans(ComparisonOp op, ulong[] a, ulong[] b, Span<ulong> bits)
    {
        for (int w = 0; w < bits.Length; w++)
        {
            ulong x = a[w], y = b[w];
            bits[w] = op switch
            {
                ComparisonOp.Eq => ~(x ^ y),
                ComparisonOp.NotEq => x ^ y,
                ComparisonOp.Lt => ~x & y,
                ComparisonOp.LtEq => ~x | y,
                ComparisonOp.Gt => x & ~y,
                _ => x | ~y,
            };
        }
    }
}
