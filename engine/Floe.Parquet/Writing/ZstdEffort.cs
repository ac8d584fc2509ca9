namespace Floe.Parquet.Writing;

/// <summary>
/// How hard zstd works on a page: its level and, at the fast (negative) levels, the shortest match it looks for.
/// </summary>
/// <param name="Level">The zstd level.</param>
/// <param name="MinMatch">The shortest match a fast level looks for (0: <see cref="ZstdEncoder.FastMinMatch"/>); ignored at the positive levels.</param>
internal readonly record struct ZstdEffort(int Level, int MinMatch = 0)
{
    /// <summary>The ZSTD_c_minMatch to set: none (0) at the positive levels, else <see cref="MinMatch"/> or <see cref="ZstdEncoder.FastMinMatch"/>.</summary>
    public int FastMinMatch => Level >= 0 ? 0 : MinMatch != 0 ? MinMatch : ZstdEncoder.FastMinMatch;
}
