using System.Globalization;
using Floe.Core.Errors;

namespace Floe.Application.Backfill;

/// <summary>
/// How a backfill spends its memory budget. A run computes one chunk of whole days at a time (at most 2^17 events;
/// a larger day in parts of about 2^17 events by entity range) plus each entity's events inside its longest window,
/// whatever the range's length; the
/// budget bounds what grows with settings: the engine's worker threads (each assumed to need
/// <see cref="BytesPerWorker"/> for its share of a chunk's state and outputs) and the Parquet writer's row-group
/// buffer (an eighth of the budget, at most the table's own setting). It is a plan, not a hard heap limit.
/// </summary>
public sealed record MemoryBudget(long Bytes, int Parallelism, long RowGroupBytes)
{
    /// <summary>The working set assumed per engine worker thread.</summary>
    public const long BytesPerWorker = 256L << 20;

    /// <summary>The smallest budget accepted.</summary>
    public const long MinimumBytes = 64L << 20;

    /// <summary>Plans for <paramref name="bytes"/> (0: half the memory available to the process).</summary>
    /// <exception cref="FloeException">InvalidArgument when the budget is below <see cref="MinimumBytes"/>.</exception>
    public static MemoryBudget For(long bytes, long tableRowGroupBytes)
    {
        if (bytes == 0) bytes = Math.Max(MinimumBytes, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
        if (bytes < MinimumBytes) throw Errors.InvalidArgument($"--max-memory {bytes} is below the minimum of {MinimumBytes} bytes (64m)");
        var workers = (int)Math.Clamp(bytes / BytesPerWorker, 1, Environment.ProcessorCount);
        return new MemoryBudget(bytes, workers, Math.Max(1L << 20, Math.Min(tableRowGroupBytes, bytes / 8)));
    }

    /// <summary>Parses a byte count: digits with an optional k, m, g or t suffix (powers of 1024), e.g. <c>2g</c>.</summary>
    /// <exception cref="FloeException">InvalidArgument naming the text.</exception>
    public static long ParseBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        if (t.EndsWith('b')) t = t[..^1];
        int shift = t.Length == 0 ? 0 : t[^1] switch { 'k' => 10, 'm' => 20, 'g' => 30, 't' => 40, _ => 0 };
        if (shift > 0) t = t[..^1];
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > long.MaxValue >> shift)
        {
            throw Errors.InvalidArgument($"--max-memory '{text}' is not a byte count (e.g. 2g, 512m, 1073741824)");
        }
        return n << shift;
    }
}
