using System.Globalization;
using System.Text;
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
using Floe.Parquet;
using Floe.Tests.Shared;
using Schema = Floe.Core.Types.Schema;
using Table = Floe.Iceberg.Tables.Table;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Scan;

/// <summary>
/// <see cref="TableScan.ReadBatches"/> with late materialisation (filter columns first, the others only for pages
/// with surviving rows) returns exactly the batches of the whole-row-group path: same rows, same order, same
/// values, on random tables with several row groups of many pages each, nulls, dictionary and plain string columns,
/// and merge-on-read deletes (v2 position delete files and v3 deletion vectors) applied; serial and parallel.
/// </summary>
[TestFixture]
public sealed class TableScanLateMaterialisationTests
{
    private static readonly Schema WideSchema = new(0, new[]
    {
        new NestedField(1, "entity_id", true, PrimitiveType.Long),
        new NestedField(2, "event_time", true, PrimitiveType.TimestampTz),
        new NestedField(3, "amount", false, PrimitiveType.Double),
        new NestedField(4, "kind", false, PrimitiveType.String),
        new NestedField(5, "note", false, PrimitiveType.String),
        new NestedField(6, "score", false, PrimitiveType.Int),
    });

    private static readonly string[] Kinds = { "click", "view", "buy", "refund", "signup" };

    [TestCase(2, 31, false)]
    [TestCase(3, 32, false)]
    [TestCase(2, 33, true)]
    [TestCase(3, 34, true)]
    // Pages of 100 and 37 rows: selection bitmaps written from pages that start mid-word.
    [TestCase(2, 35, false, 100)]
    [TestCase(3, 36, false, 37)]
    [Category(TestTier.Sweep)]
    public void ReadBatches_Late_EqualsWholeRowGroupRead(int version, int seed, bool smallDictionaries, int pageRows = 256)
    {
        using var tables = new TestTables();
        var table = Create(tables, version, smallDictionaries, pageRows);
        var rng = new Random(seed);
        // Row groups close at 4,096 rows here: 4,500 to 8,000 rows give each file a whole row group and a partial one.
        // The fast pass writes two files of 4,500 to 5,000 rows: still several files, each a whole row group of many
        // pages and a partial one, and reads them fewer times (below).
        var fileCount = TestTier.Size(2, 3);
        var mostRows = TestTier.Size(5000, 8000);
        for (var file = 0; file < fileCount; file++) Append(table, RandomRows(rng, rng.Next(4500, mostRows)));
        table = table.Refresh();
        var task = new TableScan(table).PlanFiles().Tasks[0];
        using (var reader = ParquetDataReader.Open(table.Io, task.File.FilePath, table.Schema))
        {
            Assert.That(reader.RowGroupCount, Is.GreaterThan(1), "the test needs several row groups per file");
            Assert.That(reader.PageIndex(0, 3)!.Count, Is.GreaterThan(8), "the test needs many pages per row group");
        }
        // Before any delete, counts go through CountRows' own path: dictionary predicates must count what a read returns.
        // Every filter shape serial and on two threads, once each (18 filters; 25 random draws missed some pairs). The
        // fast pass counts every shape once, serial and on two threads by turns.
        for (var k = 0; k < TestTier.Size(FilterShapes, 2 * FilterShapes); k++)
        {
            var threads = TestTier.Full ? 1 + k / FilterShapes : 1 + k % 2;
            var filter = ExpressionParser.Parse(RandomFilter(rng, k % FilterShapes), table.Schema);
            var scan = new TableScan(table).Filter(filter).WithThreads(threads);
            var decoded = new TableScan(table).Filter(filter).WithThreads(threads);
            decoded.DictionaryCounts = false;
            var expected = RowsRead(table, filter);
            Assert.That(scan.CountRows(scan.PlanFiles().Tasks), Is.EqualTo(expected), $"count {filter}");
            Assert.That(decoded.CountRows(decoded.PlanFiles().Tasks), Is.EqualTo(expected), $"decoded count {filter}");
        }
        // Dictionary-predicate filters read late against DuckDB over the same files (an independent reader). DuckDB
        // answers all five in one pass: the files' rows are paired with each filter's index and grouped by it (a query a
        // filter read the files five times); a filter no row passes has no group, and its count and sums are 0.
        var files = string.Join(", ", new TableScan(table).PlanFiles().Tasks.Select(t => DuckDb.Quote(new Uri(t.File.FilePath).LocalPath)));
        var texts = new[] { $"amount > {rng.Next(0, 1000)}", $"amount > {rng.Next(970, 1000)}", $"kind = '{Kinds[rng.Next(Kinds.Length)]}'", "kind is null", "amount is null" };
        var cases = string.Join(" ", texts.Select((text, f) => $"when {f} then ({text})"));
        var duck = DuckDb.Query("select filter_index, count(*) as n, cast(coalesce(sum(entity_id), 0) as bigint) as e, count(note) as c, "
            + $"cast(coalesce(sum(score), 0) as bigint) as s from read_parquet([{files}]), range({texts.Length}) filters(filter_index) "
            + $"where (case filter_index {cases} end) group by filter_index")
            .ToDictionary(row => Convert.ToInt64(row["filter_index"], CultureInfo.InvariantCulture));
        for (var f = 0; f < texts.Length; f++)
        {
            var text = texts[f];
            var scan = new TableScan(table).Filter(ExpressionParser.Parse(text, table.Schema)).Select(new[] { "entity_id", "note", "score" });
            scan.LateMaterialisation = true;
            long rows = 0, entities = 0, notes = 0, scores = 0;
            foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks))
            {
                var ids = (Int64Array)batch.Column(0);
                var note = (StringArray)batch.Column(1);
                var score = (Int32Array)batch.Column(2);
                for (var i = 0; i < batch.Length; i++)
                {
                    rows++;
                    entities += ids.GetValue(i)!.Value;
                    notes += note.IsNull(i) ? 0 : 1;
                    scores += score.GetValue(i) ?? 0;
                }
            }
            var found = duck.TryGetValue(f, out var row);
            long Oracle(string column) => found ? Convert.ToInt64(row![column], CultureInfo.InvariantCulture) : 0;
            Assert.That(rows, Is.EqualTo(Oracle("n")), $"DuckDB rows {text}");
            Assert.That(entities, Is.EqualTo(Oracle("e")), $"DuckDB sum(entity_id) {text}");
            Assert.That(notes, Is.EqualTo(Oracle("c")), $"DuckDB count(note) {text}");
            Assert.That(scores, Is.EqualTo(Oracle("s")), $"DuckDB sum(score) {text}");
        }
        // Merge-on-read deletes: position delete files (v2) or deletion vectors (v3) that the selection must respect.
        for (var d = 0; d < 3; d++)
        {
            var text = d switch
            {
                0 => $"amount < {rng.Next(5, 40)}",
                1 => $"kind = '{Kinds[rng.Next(Kinds.Length)]}' and entity_id < {rng.Next(50, 300)}",
                _ => $"score > {rng.Next(900, 990)}",
            };
            new DeleteRows(table, ExpressionParser.Parse(text, table.Schema)).Execute();
            table = table.Refresh();
        }
        Assert.That(new TableScan(table).PlanFiles().Tasks.Any(t => t.Deletes.Count > 0), Is.True, "the test needs delete files");
        var compared = 0;
        // Every filter shape with every projection, once each: 27 filters, where 40 random draws of both met about 21 of
        // the 27 pairs. A shape meets its projections at alternating parities of k, so both reference thread counts.
        // The fast pass reads every shape once, the projections by turns (each projection with three shapes).
        for (var k = 0; k < TestTier.Size(FilterShapes, 3 * FilterShapes); k++)
        {
            var filter = ExpressionParser.Parse(RandomFilter(rng, k % FilterShapes), table.Schema);
            string[]? columns = (TestTier.Full ? k / FilterShapes : k % 3) switch
            {
                0 => null,
                1 => new[] { "note", "entity_id" },
                _ => new[] { "amount", "kind", "note", "score" },
            };
            // The whole-row-group read is the reference, read serially for half the filters and on two threads for
            // the other half; the late path must equal it both serial and parallel (three reads a filter, not four).
            var plainThreads = 1 + k % 2;
            var plain = Image(table, filter, columns, plainThreads, late: false);
            foreach (var threads in new[] { 1, 2 })
            {
                var late = Image(table, filter, columns, threads, late: true);
                if (!late.SameAs(plain))
                {
                    // Only on a difference: every row as text, so NUnit's message shows the first rows that differ.
                    var what = $"{filter} ({threads} threads late, {plainThreads} whole-row-group)";
                    Same.Sequence(Scan(table, filter, columns, threads, late: true), Scan(table, filter, columns, plainThreads, late: false), what);
                    Assert.Fail($"{what}: the rows differ in a value's bits that their text does not show");
                }
                compared += plain.Rows;
            }
        }
        Assert.That(compared, Is.GreaterThan(1000), "the filters must select rows");
    }

    /// <summary>With <paramref name="smallDictionaries"/>, dictionaries overflow and the wide columns fall back to PLAIN pages.</summary>
    private static Table Create(TestTables t, int version, bool smallDictionaries, int pageRows = 256)
    {
        var properties = new Dictionary<string, string>
        {
            [RowDeleteProperties.Mode] = "merge-on-read",
            ["write.parquet.page-row-limit"] = pageRows.ToString(CultureInfo.InvariantCulture),
            ["write.parquet.row-group-size-bytes"] = "1",
        };
        if (smallDictionaries) properties["write.parquet.dict-size-bytes"] = "512";
        var id = TableIdentifier.Parse("demo.wide");
        var table = t.Warehouse.CreateTable(id, WideSchema, PartitionSpec.Unpartitioned, properties);
        if (version == 2) return table;
        var v3 = table.Metadata with { FormatVersion = 3, NextRowId = 0 };
        var location = TableOperations.NewMetadataLocation(v3.Location, TableOperations.VersionOf(table.MetadataLocation) + 1);
        table.Io.WriteAtomic(location, TableMetadataParser.ToUtf8Json(v3));
        t.Warehouse.Catalog.SwapMetadataLocation(id, table.MetadataLocation, location);
        return t.Warehouse.LoadTable(id);
    }

    /// <summary>How many filter shapes <see cref="RandomFilter"/> draws from.</summary>
    private const int FilterShapes = 9;

    /// <summary>A filter of the given shape (0 to <see cref="FilterShapes"/> - 1) with random constants.</summary>
    private static string RandomFilter(Random rng, int shape)
    {
        var amount = rng.Next(0, 1000).ToString(CultureInfo.InvariantCulture);
        var time = DateTimeOffset.UnixEpoch.AddTicks((TestTables.Day0 + rng.NextInt64(8_000) * 1_000_000L) * 10).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var kind = Kinds[rng.Next(Kinds.Length)];
        return shape switch
        {
            0 => $"amount > {amount}",
            1 => $"kind = '{kind}'",
            2 => $"event_time < '{time}'",
            3 => $"entity_id = {rng.Next(0, 400)}",
            4 => $"amount > 990 and kind != '{kind}'",
            5 => $"note = 'n{rng.Next(0, 20000)}' or entity_id > {rng.Next(0, 400)}",
            6 => $"amount is null and score < {rng.Next(0, 1000)}",
            7 => $"event_time >= '{time}' and amount <= {amount}",
            _ => $"kind is null or score = {rng.Next(0, 1000)}",
        };
    }

    /// <summary>How many rows a serial whole-row-group read returns (what <see cref="Scan"/> would, without the text).</summary>
    private static long RowsRead(Table table, Expression filter)
    {
        var scan = new TableScan(table).Filter(filter).WithThreads(1);
        scan.LateMaterialisation = false;
        long rows = 0;
        foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks)) rows += batch.Length;
        return rows;
    }

    /// <summary>Every cell of a scan, in scan order, as a <see cref="RowImage"/>.</summary>
    private static RowImage Image(Table table, Expression filter, string[]? columns, int threads, bool late)
    {
        var scan = new TableScan(table).Filter(filter).WithThreads(threads);
        if (columns is not null) scan = scan.Select(columns);
        scan.LateMaterialisation = late;
        var image = new RowImage();
        foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks)) image.Add(batch);
        return image;
    }

    /// <summary>Every row as text, in scan order (the order is part of what must match).</summary>
    private static List<string> Scan(Table table, Expression filter, string[]? columns, int threads, bool late)
    {
        var scan = new TableScan(table).Filter(filter).WithThreads(threads);
        if (columns is not null) scan = scan.Select(columns);
        scan.LateMaterialisation = late;
        var rows = new List<string>();
        var text = new StringBuilder();
        foreach (var batch in scan.ReadBatches(scan.PlanFiles().Tasks))
        {
            for (var i = 0; i < batch.Length; i++)
            {
                text.Clear();
                for (var c = 0; c < batch.ColumnCount; c++)
                {
                    Append(text, batch.Column(c), i);
                    text.Append('|');
                }
                rows.Add(text.ToString());
            }
        }
        return rows;
    }

    /// <summary>One cell's text, formatted straight into the row's builder (no string a cell).</summary>
    private static void Append(StringBuilder text, IArrowArray array, int i)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (array.IsNull(i))
        {
            text.Append("null");
            return;
        }
        switch (array)
        {
            case Int64Array a:
                text.Append(invariant, $"{a.Values[i]}");
                break;
            case Int32Array a:
                text.Append(invariant, $"{a.Values[i]}");
                break;
            case DoubleArray a:
                text.Append(invariant, $"{a.Values[i]:R}");
                break;
            case TimestampArray a:
                text.Append(invariant, $"{a.Values[i]}");
                break;
            case StringArray a:
                text.Append(a.GetString(i));
                break;
            default:
                throw new AssertionException($"unexpected column type {array.Data.DataType.Name}");
        }
    }

    private static List<(long Entity, long Micros, double? Amount, string? Kind, string? Note, int? Score)> RandomRows(Random rng, int n)
    {
        var rows = new List<(long, long, double?, string?, string?, int?)>(n);
        for (var i = 0; i < n; i++)
        {
            // Entities and times ascend in runs (pages get narrow ranges, so selections cluster), amounts are random.
            var entity = i % 3000 < 1500 ? i / 40 : rng.Next(0, 400);
            var micros = TestTables.Day0 + i * 1_000_000L + rng.Next(0, 999_999);
            double? amount = rng.Next(25) == 0 ? null : rng.Next(0, 100_000) / 100.0;
            string? kind = rng.Next(30) == 0 ? null : Kinds[rng.Next(Kinds.Length)];
            string? note = rng.Next(10) == 0 ? null : "n" + rng.Next(0, 20000).ToString(CultureInfo.InvariantCulture);
            int? score = rng.Next(20) == 0 ? null : rng.Next(0, 1000);
            rows.Add((entity, micros, amount, kind, note, score));
        }
        return rows;
    }

    private static void Append(Table table, List<(long Entity, long Micros, double? Amount, string? Kind, string? Note, int? Score)> rows)
    {
        var ids = new Int64Array.Builder();
        var times = new TimestampArray.Builder(new Apache.Arrow.Types.TimestampType(Apache.Arrow.Types.TimeUnit.Microsecond, "UTC"));
        var amounts = new DoubleArray.Builder();
        var kinds = new StringArray.Builder();
        var notes = new StringArray.Builder();
        var scores = new Int32Array.Builder();
        foreach (var (entity, micros, amount, kind, note, score) in rows)
        {
            ids.Append(entity);
            times.Append(DateTimeOffset.UnixEpoch.AddTicks(micros * 10));
            if (amount is { } a) amounts.Append(a); else amounts.AppendNull();
            if (kind is null) kinds.AppendNull(); else kinds.Append(kind);
            if (note is null) notes.AppendNull(); else notes.Append(note);
            if (score is { } s) scores.Append(s); else scores.AppendNull();
        }
        var batch = new RecordBatch(ArrowSchemas.ToArrow(WideSchema), new IArrowArray[] { ids.Build(), times.Build(), amounts.Build(), kinds.Build(), notes.Build(), scores.Build() }, rows.Count);
        TestTables.Append(table, batch);
    }
}
