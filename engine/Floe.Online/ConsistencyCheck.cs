using System.Globalization;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Features.Definitions;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Scan;

namespace Floe.Online;

/// <summary>
/// The seed's consistency check: samples entity keys from the feature table (seeded), reads their newest row there,
/// and compares each with the online store: same feature time and the same value for every feature (doubles within
/// 1e-9 relative), else mismatched, missing or stale.
/// </summary>
public sealed class ConsistencyCheck(Warehouse warehouse, OnlineStore store)
{
    /// <summary>Checks <paramref name="sample"/> entities (all when it is at least their number).</summary>
    public ConsistencyReport Run(FeatureGroupDefinition definition, int sample, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (sample < 1) throw Errors.InvalidArgument($"--sample must be at least 1, got {sample}");
        var table = warehouse.LoadTable(TableIdentifier.Parse(definition.OutputTable));
        if (table.Metadata.CurrentSnapshot is null) throw Errors.NotFound($"feature table '{definition.OutputTable}' is empty");
        var scan = new TableScan(table);

        // The newest row of every entity: its key parts, time and feature texts.
        var newest = new Dictionary<string, (string[] Parts, long Time, string?[] Values)>(StringComparer.Ordinal);
        foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks))
        {
            var entity = definition.Entity.Select(e => batch.Column(batch.Schema.GetFieldIndex(e))).ToArray();
            var times = (TimestampArray)batch.Column(batch.Schema.GetFieldIndex(definition.Timestamp));
            var features = definition.Features.Select(f => batch.Column(batch.Schema.GetFieldIndex(f.Name))).ToArray();
            for (int row = 0; row < batch.Length; row++)
            {
                if (!times.IsValid(row)) continue;
                var parts = entity.Select(c => OnlineKeys.Text(c, row) ?? "").ToArray();
                var key = string.Join('\u0001', parts);
                if (newest.TryGetValue(key, out var have) && have.Time > times.Values[row]) continue;
                newest[key] = (parts, times.Values[row], features.Select(c => OnlineKeys.Text(c, row)).ToArray());
            }
        }
        var keys = newest.Keys.Order(StringComparer.Ordinal).ToList();
        var random = new Random(seed);
        for (int i = keys.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (keys[i], keys[j]) = (keys[j], keys[i]);
        }
        var chosen = keys.Take(sample).Select(k => newest[k]).ToList();
        var online = store.GetMany(definition, chosen.Select(c => (IReadOnlyList<string>)c.Parts).ToList());

        int compared = 0, mismatched = 0, missing = 0, stale = 0, ahead = 0;
        long maxStale = 0;
        var maxDiff = definition.Features.ToDictionary(f => f.Name, _ => 0.0, StringComparer.Ordinal);
        for (int i = 0; i < chosen.Count; i++)
        {
            var (_, time, values) = chosen[i];
            var row = online[i];
            if (!row.Found) { missing++; continue; }
            if (row.TimeMicros < time) { stale++; maxStale = Math.Max(maxStale, time - row.TimeMicros!.Value); continue; }
            if (row.TimeMicros > time) { ahead++; continue; }
            compared++;
            bool same = true;
            for (int f = 0; f < definition.Features.Count; f++)
            {
                var name = definition.Features[f].Name;
                var expected = values[f];
                var actual = row.Values[name];
                if (expected is null || actual is null)
                {
                    same &= expected == actual;
                    continue;
                }
                if (double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var e) &&
                    double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a))
                {
                    var diff = Math.Abs(e - a);
                    maxDiff[name] = Math.Max(maxDiff[name], diff);
                    same &= diff <= 1e-9 * Math.Max(1, Math.Abs(e));
                }
                else
                {
                    same &= expected == actual;
                }
            }
            if (!same) mismatched++;
        }
        return new ConsistencyReport(chosen.Count, compared, mismatched, missing, stale, ahead, maxDiff, maxStale);
    }
}
