namespace Floe.Core.Expressions.Evaluation;

/// <summary>
/// Orders strings by Unicode code point, which is the order of their UTF-8 bytes: the order Arrow string columns
/// compare in (<see cref="ArrowPredicates"/>), so a comparison gives one answer whichever side of the engine runs it.
/// Plain UTF-16 ordinal order differs in one place: a surrogate pair (U+10000 and up) sorts below U+E000–U+FFFF there.
/// </summary>
public static class CodePointOrder
{
    /// <summary>Negative, zero or positive as <paramref name="a"/> sorts before, with or after <paramref name="b"/> (null first).</summary>
    public static int Compare(string? a, string? b)
    {
        if (ReferenceEquals(a, b)) { return 0; }
        if (a is null) { return -1; }
        if (b is null) { return 1; }
        int common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) { return a.Length - b.Length; }
        return Rank(a[common]) - Rank(b[common]);
    }

    // Surrogates (D800–DFFF) move above E000–FFFF; everything else keeps its UTF-16 order. At the first difference
    // a surrogate always begins (or continues) a code point of U+10000 and up.
    private static int Rank(char c) => c >= '\uE000' ? c - 0x800 : c >= '\uD800' ? c + 0x2000 : c;
}
