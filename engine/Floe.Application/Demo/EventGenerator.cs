using System.Buffers.Text;
using System.Text;

namespace Floe.Application.Demo;

/// <summary>
/// Generates a synthetic event stream (entity_id, event_time, amount, category) as CSV: the demo's and the
/// benchmarks' input. Deterministic for a seed; entity popularity is skewed (a few hot entities), timestamps are
/// spread over <see cref="Days"/> days from <see cref="Start"/> and emitted in time order.
/// </summary>
public sealed record EventGenerator
{
    /// <summary>The table schema of the generated events, in the CLI's schema syntax.</summary>
    public const string Schema = "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string";

    /// <summary>Rows to generate.</summary>
    public long Rows { get; init; } = 1_000_000;
    /// <summary>Distinct entities.</summary>
    public int Entities { get; init; } = 10_000;
    /// <summary>Days covered.</summary>
    public int Days { get; init; } = 7;
    /// <summary>First day (UTC midnight).</summary>
    public DateTimeOffset Start { get; init; } = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    /// <summary>Random seed.</summary>
    public int Seed { get; init; } = 42;

    private static readonly string[] Categories = { "grocery", "travel", "fuel", "online", "dining", "utilities" };

    /// <summary>The most days a run may cover: every timestamp stays before year 9999.</summary>
    public const int MaxDays = 2_900_000;

    /// <summary>
    /// Writes the CSV (with header) to <paramref name="path"/>. The settings are checked before anything is created,
    /// and the file is written beside the target and moved into place, so a failed run leaves no partial file.
    /// </summary>
    /// <exception cref="Floe.Core.Errors.FloeException">InvalidArgument for a negative row count, or days or entities below 1.</exception>
    public void WriteCsv(string path)
    {
        Validate();
        var temporary = path + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            WriteCsvTo(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Refuses settings that cannot describe events: negative rows, fewer than one day or entity, too many days.</summary>
    /// <exception cref="Floe.Core.Errors.FloeException">InvalidArgument naming the setting.</exception>
    public void Validate()
    {
        if (Rows < 0) throw Floe.Core.Errors.Errors.InvalidArgument($"--rows must be 0 or more, got {Rows}");
        if (Days < 1 || Days > MaxDays) throw Floe.Core.Errors.Errors.InvalidArgument($"--days must be between 1 and {MaxDays}, got {Days}");
        if (Entities < 1) throw Floe.Core.Errors.Errors.InvalidArgument($"--entities must be 1 or more, got {Entities}");
    }

    private void WriteCsvTo(string path)
    {
        var random = new Random(Seed);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        stream.Write("entity_id,event_time,amount,category\n"u8);
        var startMicros = Start.ToUnixTimeMilliseconds() * 1000;
        var spanMicros = Days * 86_400_000_000L;
        var step = (double)spanMicros / Math.Max(1, Rows);
        Span<byte> line = stackalloc byte[128];
        var categories = Categories.Select(Encoding.UTF8.GetBytes).ToArray();
        for (long i = 0; i < Rows; i++)
        {
            // Squaring a uniform draw skews popularity towards low ids: some entities are hot, most are cold.
            var u = random.NextDouble();
            var entity = (long)(u * u * Entities);
            var micros = startMicros + (long)(i * step) + random.Next(0, 1000);
            var amount = Math.Round(random.NextDouble() * 200 + (entity % 10), 2);
            var n = 0;
            Utf8Formatter.TryFormat(entity, line, out var w); n += w;
            line[n++] = (byte)',';
            n += WriteTimestamp(micros, line[n..]);
            line[n++] = (byte)',';
            if (random.Next(100) == 0)
            {
                // Leave about 1% of amounts empty (null) so readers and features meet nulls.
            }
            else
            {
                Utf8Formatter.TryFormat(amount, line[n..], out w, new System.Buffers.StandardFormat('F', 2)); n += w;
            }
            line[n++] = (byte)',';
            var category = categories[(int)((entity + i) % categories.Length)];
            category.CopyTo(line[n..]); n += category.Length;
            line[n++] = (byte)'\n';
            stream.Write(line[..n]);
        }
    }

    private static int WriteTimestamp(long micros, Span<byte> destination)
    {
        var dt = DateTime.UnixEpoch.AddTicks(micros * 10);
        dt.TryFormat(destination, out var written, "yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }
}
