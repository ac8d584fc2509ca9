namespace Floe.Parquet.Writing;

/// <summary>
/// The decisions of a column's encoding trial (<see cref="ParquetWriterOptions.ByteStreamSplitSlack"/>,
/// <see cref="ParquetWriterOptions.FastZstdSlack"/>) from its samples' compressed sizes, and when the next trial comes.
/// Pure functions of the sizes and the page count, so a trial's outcome depends on the rows written only.
/// </summary>
internal static class TrialRules
{
    /// <summary>Trials on the file's non-dictionary pages 0 and <see cref="FirstTrials"/>, then every <see cref="Every"/>-th.</summary>
    public const int FirstTrials = 3;

    /// <summary>Pages between trials after the first ones.</summary>
    public const int Every = 8;

    /// <summary>
    /// How far (a fraction of the bound) each sample of a trial must be from its slack's bound, either side, for the
    /// trial to count as clear (see <see cref="NextTrial"/>).
    /// </summary>
    public const double ClearMargin = 0.03;

    /// <summary>BYTE_STREAM_SPLIT when its sample (at the configured level) is at most <paramref name="slack"/> larger than PLAIN's.</summary>
    public static bool SplitChosen(long plainSize, long splitSize, double slack) => splitSize <= plainSize * (1 + slack);

    /// <summary>
    /// The largest fast-level sample that still takes the fast level. Against the smallest sample of the trial, with the
    /// fast slack; but for split samples against the split sample's own size at the configured level, as long as it
    /// stays within the split slack of the smallest: a split page's streams cost the configured level two to three
    /// times the fast level's CPU (Huffman coding of noisy low bytes) for a few percent, where PLAIN doubles cost it
    /// about a fifth more (bench/RESULTS.md, "1M feature job's CPU, round 25").
    /// </summary>
    /// <param name="smallest">The smallest sample at the configured level (PLAIN's or split's).</param>
    /// <param name="chosenSize">The chosen encoding's sample at the configured level.</param>
    /// <param name="split">The trial chose BYTE_STREAM_SPLIT.</param>
    /// <param name="fastSlack">The fast slack.</param>
    /// <param name="splitSlack">The split slack (ignored unless <paramref name="split"/>).</param>
    public static double FastBound(long smallest, long chosenSize, bool split, double fastSlack, double splitSlack) =>
        split ? Math.Min(chosenSize * (1 + fastSlack), smallest * (1 + splitSlack)) : smallest * (1 + fastSlack);

    /// <summary>True when <paramref name="size"/> is more than <see cref="ClearMargin"/> of <paramref name="bound"/> away from it.</summary>
    public static bool Clear(double size, double bound) => size <= bound * (1 - ClearMargin) || size > bound * (1 + ClearMargin);

    /// <summary>
    /// The page count at which the next trial comes after one on page <paramref name="trialPage"/>: page
    /// <see cref="FirstTrials"/> after the first, then every <see cref="Every"/> pages; one scheduled trial is skipped
    /// when <paramref name="settled"/> (this trial came out clear of both bounds and chose as the trial before it did).
    /// </summary>
    public static long NextTrial(long trialPage, bool settled)
    {
        var next = trialPage < FirstTrials ? FirstTrials : trialPage + Every;
        return settled ? next + Every : next;
    }
}
