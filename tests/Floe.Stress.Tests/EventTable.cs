using System.Globalization;
using System.Text;
using System.Text.Json;
using Floe.Application.Scanning;
using Floe.Formats.Output;
using Floe.Iceberg.Catalog;

namespace Floe.Stress.Tests;

/// <summary>The events table the suites write: its schema, CSV files of rows, and reading its rows in-process.</summary>
internal static class EventTable
{
    /// <summary>The <c>--schema</c> of the table.</summary>
    public const string Schema = "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string";

    /// <summary>The table's name.</summary>
    public const string Name = "stress.events";

    /// <summary>Writes <paramref name="rows"/> as a CSV file floe ingests.</summary>
    public static void WriteCsv(string path, IEnumerable<EventRow> rows)
    {
        var text = new StringBuilder("entity_id,event_time,amount,category\n");
        foreach (var row in rows) text.Append(row.ToCsvLine()).Append('\n');
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Creates the table through the CLI, partitioned by day, with properties <paramref name="properties"/>.</summary>
    public static void Create(FloeCli cli, string warehouse, params string[] properties)
    {
        var arguments = new List<string> { "table", "create", Name, "--schema", Schema, "--partition", "day(event_time)" };
        foreach (var p in properties)
        {
            arguments.Add("--property");
            arguments.Add(p);
        }
        cli.RunOk(warehouse, arguments.ToArray());
    }

    /// <summary>Keys of the rows of `floe scan --format json` output (one object per line).</summary>
    public static List<string> KeysOfJsonLines(string text)
    {
        var keys = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var time = DateTime.Parse(root.GetProperty("event_time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            var amount = root.GetProperty("amount");
            var category = root.GetProperty("category");
            keys.Add(new EventRow(
                root.GetProperty("entity_id").GetInt64(),
                (time - DateTime.UnixEpoch).Ticks / 10,
                amount.ValueKind == JsonValueKind.Null ? null : amount.GetDouble(),
                category.ValueKind == JsonValueKind.Null ? null : category.GetString()).Key);
        }
        return keys;
    }

    /// <summary>Reads the table in this process (load from the catalog, plan, read every file) and returns row keys.</summary>
    public static List<string> ReadKeys(string warehouse, long? snapshotId = null, string? catalog = null)
    {
        using var buffer = new MemoryStream();
        using (var sink = new JsonLinesSink(buffer, ownsStream: false))
        {
            new ScanService(Floe.Application.Warehouses.WarehouseFactory.Open(warehouse, catalog, create: false)).Scan(Name, new ScanRequest { SnapshotId = snapshotId }, sink);
        }
        return KeysOfJsonLines(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>Fails with the first differences when <paramref name="actual"/> is not the multiset <paramref name="expected"/>.</summary>
    public static void AssertSameRows(IEnumerable<string> expected, IEnumerable<string> actual, string context)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var k in expected) counts[k] = counts.GetValueOrDefault(k) + 1;
        var actualCount = 0;
        foreach (var k in actual)
        {
            counts[k] = counts.GetValueOrDefault(k) - 1;
            actualCount++;
        }
        var missing = counts.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} x{kv.Value}").Take(5).ToList();
        var extra = counts.Where(kv => kv.Value < 0).Select(kv => $"{kv.Key} x{-kv.Value}").Take(5).ToList();
        if (missing.Count == 0 && extra.Count == 0) return;
        var expectedCount = counts.Values.Sum() + actualCount;
        Assert.Fail($"{context}: {actualCount} rows, expected {expectedCount}; " +
                    $"lost {counts.Values.Where(v => v > 0).Sum()} (e.g. {string.Join("; ", missing)}), " +
                    $"extra/duplicated {-counts.Values.Where(v => v < 0).Sum()} (e.g. {string.Join("; ", extra)})");
    }
}
