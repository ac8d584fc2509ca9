using System.Globalization;
using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Core.Types;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Maintenance;
using Floe.Iceberg.Scan;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Tests.Tables;
using Floe.Tests.Shared;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Tests.Scan;

/// <summary>
/// <see cref="TableScan.Aggregate"/> against DuckDB over the very Parquet files of the table (the oracle applies the
/// row deletes itself, as <c>not coalesce(predicate, false)</c>, since the rows a merge-on-read delete removes are
/// exactly those matching its predicate): every aggregate on int, long, float, double, date and timestamp columns with
/// nulls and NaN, unfiltered, under filters that statistics prove for whole files (day partitions), for some row
/// groups, or not at all, after v2 position deletes and v3 deletion vectors, serial and parallel; and the statistics
/// path against the decode-everything path.
/// </summary>
[TestFixture]
public sealed class TableScanAggregateTests
{
    private const long MicrosPerDay = 86_400_000_000L;

    private static readonly Schema AggSchema = new(0, new[]
    {
        new NestedField(1, "entity_id", true, PrimitiveType.Long),
        new NestedField(2, "event_time", true, PrimitiveType.TimestampTz),
        new NestedField(3, "amount", false, PrimitiveType.Double),
        new NestedField(4, "score", false, PrimitiveType.Int),
        new NestedField(5, "ratio", false, PrimitiveType.Float),
        new NestedField(6, "day", false, PrimitiveType.Date),
        new NestedField(7, "kind", false, PrimitiveType.String),
    });

    private static readonly PartitionSpec DaySpec = new(0, new[] { new PartitionField(2, 1000, "event_time_day", Transform.Day) });

    private static readonly string[] Calls =
    {
        "count(*)", "count(amount)", "count(kind)", "sum(amount)", "avg(amount)", "min(amount)", "max(amount)",
        "sum(score)", "avg(score)", "min(score)", "max(score)", "sum(entity_id)", "min(entity_id)", "max(entity_id)",
        "sum(ratio)", "min(ratio)", "max(ratio)", "min(day)", "max(day)", "min(event_time)", "max(event_time)",
    };

    private static readonly string[] Filters =
    {
        "", // every row: files answered from their manifest entries
        "event_time >= '2024-01-02T00:00:00Z' and event_time < '2024-01-04T00:00:00Z'", // whole day files: proven
        "event_time >= '2024-01-02T06:00:00Z'", // proven for later files, decoded for the first
        "score > 500",
        "entity_id < 40 or score is null",
        "event_time < '2024-01-01T00:00:00Z'", // nothing
    };

    [TestCase(2, false, 1)]
    [TestCase(2, true, 2)]
    [TestCase(3, true, 1)]
    [TestCase(3, false, 2)]
    [Category(TestTier.Sweep)]
    public void Aggregate_MatchesDuckDb_WithNullsNaNAndDeletes(int version, bool nan, int threads)
    {
        using var tables = new TestTables();
        var table = Create(tables, version);
        var rng = new Random(version * 10 + (nan ? 1 : 0));
        // Row groups close at 4,096 rows: the fast pass's 4,200 to 4,600 rows a day still give every day file a whole
        // row group and a partial one (row groups answered from the footer beside one decoded).
        var fewestRows = TestTier.Size(4200, 5000);
        var mostRows = TestTier.Size(4600, 10000);
        for (var day = 0; day < 4; day++) Append(table, RandomRows(rng, day, rng.Next(fewestRows, mostRows), nan, allNullScore: day == 3));
        table = table.Refresh();
        var deletes = new List<string>();
        CompareAll(table, deletes, threads);
        Assert.That(Aggregate(table, "", "min(entity_id),count(amount),max(event_time)", threads, true).FilesFromStatistics, Is.EqualTo(4),
            "without deletes or filter every file answers min/max/count from its manifest entry");

        // Merge-on-read deletes: position delete files (v2) or deletion vectors (v3); the files they touch fall back.
        foreach (var text in new[] { "score < 50", "entity_id = 7 and kind = 'buy'" })
        {
            new DeleteRows(table, ExpressionParser.Parse(text, table.Schema)).Execute();
            table = table.Refresh();
            deletes.Add(text);
        }
        Assert.That(new TableScan(table).PlanFiles().Tasks.Count(t => t.Deletes.Count > 0), Is.GreaterThan(0), "the test needs delete files");
        CompareAll(table, deletes, threads);
    }

    [Test]
    public void Aggregate_StatisticsAndDecodedPaths_Agree()
    {
        using var tables = new TestTables();
        var table = Create(tables, 2);
        var rng = new Random(5);
        for (var day = 0; day < 3; day++) Append(table, RandomRows(rng, day, 12000, nan: false, allNullScore: day == 1));
        table = table.Refresh();
        foreach (var filter in Filters)
        {
            var fromStats = Aggregate(table, filter, string.Join(",", Calls), 2, useStatistics: true);
            var decoded = Aggregate(table, filter, string.Join(",", Calls), 2, useStatistics: false);
            Assert.That(decoded.FilesFromStatistics + decoded.RowGroupsFromStatistics, Is.Zero);
            for (var i = 0; i < Calls.Length; i++)
            {
                var a = fromStats.Values[i].Value;
                var b = decoded.Values[i].Value;
                if (a is double x && b is double y) Assert.That(x, Is.EqualTo(y).Within(1e-12 * Math.Max(1, Math.Abs(y))), $"{Calls[i]} where {filter}");
                else Assert.That(a, Is.EqualTo(b), $"{Calls[i]} where {filter}");
            }
        }
        var unfiltered = Aggregate(table, "", "count(*),count(score),min(score),max(event_time),min(day)", 1, true);
        Assert.That(unfiltered.FilesFromStatistics, Is.EqualTo(3), "count and min/max come from the manifests");
        Assert.That(unfiltered.RowGroupsDecoded, Is.Zero);
        var sum = Aggregate(table, "", "sum(score)", 1, true);
        Assert.That(sum.FilesFromStatistics, Is.EqualTo(1), "only the all-null file answers a sum from statistics");
        // A filter proven for the later day files and, in the day file it cuts, for the row groups after the cut: those
        // answer from the footer's statistics, only the row group holding the cut is decoded.
        var proven = Aggregate(table, "event_time >= '2024-01-02T06:00:00Z'", "count(*), max(day), count(kind)", 1, true);
        Assert.That(proven.FilesFromStatistics, Is.EqualTo(1));
        Assert.That(proven.RowGroupsFromStatistics, Is.GreaterThan(0));
        Assert.That(proven.RowGroupsDecoded, Is.EqualTo(1));
    }

    [Test]
    public void Aggregate_EmptyTableAndNoMatch_GiveZeroCountsAndNulls()
    {
        using var tables = new TestTables();
        var table = Create(tables, 2);
        var empty = Aggregate(table, "", "count(*),count(amount),sum(amount),min(event_time),avg(score)", 1, true);
        Assert.That(empty.Values.Select(v => v.Value), Is.EqualTo(new object?[] { 0L, 0L, null, null, null }));
        Append(table, RandomRows(new Random(1), 0, 500, nan: false, allNullScore: true));
        table = table.Refresh();
        var none = Aggregate(table, "entity_id < 0", "count(*),sum(score),max(amount),min(ratio)", 2, true);
        Assert.That(none.Values.Select(v => v.Value), Is.EqualTo(new object?[] { 0L, null, null, null }));
        var allNull = Aggregate(table, "", "count(score),sum(score),min(score),avg(score)", 1, true);
        Assert.That(allNull.Values.Select(v => v.Value), Is.EqualTo(new object?[] { 0L, null, null, null }));
        Assert.That(allNull.FilesFromStatistics, Is.EqualTo(1));
    }

    [Test]
    public void Aggregate_RefusesUnknownColumnsAndTypes()
    {
        using var tables = new TestTables();
        var table = Create(tables, 2);
        var scan = new TableScan(table);
        var tasks = scan.PlanFiles().Tasks;
        Assert.That(() => scan.Aggregate(tasks, new[] { new AggregateCall(AggregateFunction.Sum, "nosuch") }),
            Throws.TypeOf<Floe.Core.Errors.FloeException>().With.Message.Contains("nosuch"));
        Assert.That(() => scan.Aggregate(tasks, new[] { new AggregateCall(AggregateFunction.Sum, "kind") }),
            Throws.TypeOf<Floe.Core.Errors.FloeException>().With.Message.Contains("sum(kind)"));
        Assert.That(() => scan.Aggregate(tasks, new[] { new AggregateCall(AggregateFunction.Max, "kind") }),
            Throws.TypeOf<Floe.Core.Errors.FloeException>().With.Message.Contains("max(kind)"));
    }

    private static void CompareAll(Table table, List<string> deletes, int threads)
    {
        var expected = OracleRows(table, deletes);
        for (var f = 0; f < Filters.Length; f++)
        {
            var filter = Filters[f];
            var result = Aggregate(table, filter, string.Join(",", Calls), threads, true);
            for (var i = 0; i < Calls.Length; i++)
            {
                // A filter no row passes has no group: SQL's aggregates of no rows, counts 0 and every other call null.
                var oracle = expected.TryGetValue(f, out var row) ? row[$"a{i}"] : Calls[i].StartsWith("count", StringComparison.Ordinal) ? 0L : null;
                AssertSame(Calls[i], filter, result.Values[i].Value, oracle);
                // Values carry the documented CLR type: int for int and date min/max, long for counts, sums and times.
                if (result.Values[i].Value is { } v) Assert.That(v.GetType(), Is.EqualTo(ExpectedClrType(Calls[i])), Calls[i]);
            }
        }
    }

    /// <summary>
    /// DuckDB's aggregates for every filter, by the filter's index, in one query: the files' rows are paired with each
    /// filter's index and grouped by it, so DuckDB reads the files once (a query a filter read them six times, about
    /// three times the CPU). The deletes are applied to every pairing as before.
    /// </summary>
    private static Dictionary<long, Dictionary<string, object?>> OracleRows(Table table, List<string> deletes)
    {
        var files = new TableScan(table).PlanFiles().Tasks.Select(t => DuckDb.Quote(new Uri(t.File.FilePath).LocalPath)).ToList();
        var cases = string.Join(" ", Filters.Select((filter, f) => $"when {f} then ({(filter.Length > 0 ? filter : "true")})"));
        var where = new List<string> { $"(case filter_index {cases} end)" };
        foreach (var d in deletes) where.Add($"not coalesce(({d}), false)");
        var sql = "select filter_index, " + string.Join(", ", Calls.Select((c, i) => $"{Oracle(c)} as a{i}"))
            + $" from read_parquet([{string.Join(", ", files)}]), range({Filters.Length}) filters(filter_index)"
            + " where " + string.Join(" and ", where) + " group by filter_index";
        return DuckDb.Query(sql).ToDictionary(row => Convert.ToInt64(row["filter_index"], CultureInfo.InvariantCulture));
    }

    /// <summary>The DuckDB expression for a call: fsum (compensated, like Floe's), and integers for times and dates.</summary>
    private static string Oracle(string call)
    {
        if (call.StartsWith("sum(amount", StringComparison.Ordinal) || call.StartsWith("sum(ratio", StringComparison.Ordinal)) return "f" + call;
        if (call.EndsWith("(event_time)", StringComparison.Ordinal)) return $"epoch_us({call})";
        if (call.EndsWith("(day)", StringComparison.Ordinal)) return $"({call} - DATE '1970-01-01')";
        if (call == "sum(score)" || call == "sum(entity_id)") return $"cast({call} as bigint)";
        return call;
    }

    private static void AssertSame(string call, string filter, object? actual, object? expected)
    {
        var what = $"{call} where '{filter}'";
        if (expected is null)
        {
            Assert.That(actual, Is.Null, what);
            return;
        }
        Assert.That(actual, Is.Not.Null, what);
        switch (actual)
        {
            case double d:
                {
                    var e = Convert.ToDouble(expected, CultureInfo.InvariantCulture);
                    if (double.IsNaN(e)) Assert.That(double.IsNaN(d), Is.True, $"{what}: {d}, DuckDB NaN");
                    else Assert.That(d, Is.EqualTo(e).Within(1e-9 * Math.Max(1, Math.Abs(e))), what);
                    break;
                }
            case float f:
                {
                    var e = Convert.ToSingle(expected, CultureInfo.InvariantCulture);
                    if (float.IsNaN(e)) Assert.That(float.IsNaN(f), Is.True, $"{what}: {f}, DuckDB NaN");
                    else Assert.That(f, Is.EqualTo(e), what);
                    break;
                }
            default:
                Assert.That(Convert.ToInt64(actual, CultureInfo.InvariantCulture), Is.EqualTo(Convert.ToInt64(expected, CultureInfo.InvariantCulture)), what);
                break;
        }
    }

    private static Type ExpectedClrType(string call) => call switch
    {
        _ when call.StartsWith("count", StringComparison.Ordinal) => typeof(long),
        "min(score)" or "max(score)" or "min(day)" or "max(day)" => typeof(int),
        "min(ratio)" or "max(ratio)" => typeof(float),
        _ when call.StartsWith("avg", StringComparison.Ordinal) || call.EndsWith("(amount)", StringComparison.Ordinal) || call == "sum(ratio)" => typeof(double),
        _ => typeof(long),
    };

    private static ScanAggregates Aggregate(Table table, string filter, string calls, int threads, bool useStatistics)
    {
        var scan = new TableScan(table).WithThreads(threads);
        if (filter.Length > 0) scan = scan.Filter(ExpressionParser.Parse(filter, table.Schema));
        var parsed = calls.Split(',').Select(c =>
        {
            var item = c.Trim();
            var open = item.IndexOf('(', StringComparison.Ordinal);
            var argument = item[(open + 1)..^1];
            return new AggregateCall(Enum.Parse<AggregateFunction>(item[..open], ignoreCase: true), argument == "*" ? null : argument);
        }).ToList();
        return scan.Aggregate(scan.PlanFiles().Tasks, parsed, useStatistics);
    }

    private static Table Create(TestTables t, int version)
    {
        var properties = new Dictionary<string, string>
        {
            [RowDeleteProperties.Mode] = "merge-on-read",
            ["write.parquet.page-row-limit"] = "256",
            ["write.parquet.row-group-size-bytes"] = "1",
        };
        var id = TableIdentifier.Parse("demo.agg");
        var table = t.Warehouse.CreateTable(id, AggSchema, DaySpec, properties);
        if (version == 2) return table;
        var v3 = table.Metadata with { FormatVersion = 3, NextRowId = 0 };
        var location = TableOperations.NewMetadataLocation(v3.Location, TableOperations.VersionOf(table.MetadataLocation) + 1);
        table.Io.WriteAtomic(location, TableMetadataParser.ToUtf8Json(v3));
        t.Warehouse.Catalog.SwapMetadataLocation(id, table.MetadataLocation, location);
        return t.Warehouse.LoadTable(id);
    }

    private static readonly string[] Kinds = { "click", "view", "buy", "refund" };

    private static List<(long Entity, long Micros, double? Amount, int? Score, float? Ratio, int? Day, string? Kind)> RandomRows(Random rng, int day, int n, bool nan, bool allNullScore)
    {
        var rows = new List<(long, long, double?, int?, float?, int?, string?)>(n);
        for (var i = 0; i < n; i++)
        {
            var micros = TestTables.Day0 + day * MicrosPerDay + (long)i * (MicrosPerDay / n) + rng.Next(0, 999_999);
            double? amount = rng.Next(20) == 0 ? null : nan && rng.Next(500) == 0 ? double.NaN : (rng.Next(-100_000, 1_000_000) / 100.0);
            int? score = allNullScore || rng.Next(15) == 0 ? null : rng.Next(-1000, 1000);
            float? ratio = rng.Next(10) == 0 ? null : nan && rng.Next(300) == 0 ? float.NaN : (float)(rng.NextDouble() * 4 - 1);
            int? date = rng.Next(12) == 0 ? null : 19000 + rng.Next(0, 2000);
            string? kind = rng.Next(8) == 0 ? null : Kinds[rng.Next(Kinds.Length)];
            rows.Add((rng.Next(0, 200), micros, amount, score, ratio, date, kind));
        }
        return rows;
    }

    private static void Append(Table table, List<(long Entity, long Micros, double? Amount, int? Score, float? Ratio, int? Day, string? Kind)> rows)
    {
        var ids = new Int64Array.Builder();
        var times = new TimestampArray.Builder(new Apache.Arrow.Types.TimestampType(Apache.Arrow.Types.TimeUnit.Microsecond, "UTC"));
        var amounts = new DoubleArray.Builder();
        var scores = new Int32Array.Builder();
        var ratios = new FloatArray.Builder();
        var days = new Date32Array.Builder();
        var kinds = new StringArray.Builder();
        foreach (var (entity, micros, amount, score, ratio, day, kind) in rows)
        {
            ids.Append(entity);
            times.Append(DateTimeOffset.UnixEpoch.AddTicks(micros * 10));
            if (amount is { } a) amounts.Append(a); else amounts.AppendNull();
            if (score is { } s) scores.Append(s); else scores.AppendNull();
            if (ratio is { } r) ratios.Append(r); else ratios.AppendNull();
            if (day is { } d) days.Append(DateTime.UnixEpoch.AddDays(d)); else days.AppendNull();
            if (kind is null) kinds.AppendNull(); else kinds.Append(kind);
        }
        var batch = new RecordBatch(ArrowSchemas.ToArrow(AggSchema),
            new IArrowArray[] { ids.Build(), times.Build(), amounts.Build(), scores.Build(), ratios.Build(), days.Build(), kinds.Build() }, rows.Count);
        TestTables.Append(table, batch);
    }
}
