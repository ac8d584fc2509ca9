using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Errors;
using Floe.Core.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Iceberg.Expressions;
using Floe.Iceberg.Scan;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Tests.Shared;
using Floe.Iceberg.Tests.Spec;
using Floe.Iceberg.Tests.Tables;
using NUnit.Framework;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Iceberg.Tests.Expressions;

/// <summary>
/// Filters on decimal columns: literals bind exactly at the column's scale (or are refused), rows are compared by
/// value, and files are pruned by their decimal bounds (big-endian two's-complement unscaled bytes). Oracles: a naive
/// System.Decimal evaluation of the written rows, and DuckDB over the fixture's Parquet files.
/// </summary>
[TestFixture]
public sealed class DecimalFilterTests
{
    private static readonly Schema PriceSchema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "price", false, PrimitiveType.Decimal(10, 2)),
    });

    [TestCase("price < 50", 50.00)]
    [TestCase("price < 1e2", 100.00)]
    [TestCase("price < -0.5", -0.50)]
    [TestCase("price < 12.30", 12.30)]
    [TestCase("price < 99999999.99", 99999999.99)]
    public void Parse_DecimalLiteral_BindsAtColumnScale(string text, double expected)
    {
        var p = (BoundPredicate)ExpressionParser.Parse(text, PriceSchema);
        Assert.That(p.Literal, Is.TypeOf<decimal>());
        Assert.That((decimal)p.Literal, Is.EqualTo((decimal)expected));
    }

    [TestCase("price < 50.001", "fractional")]
    [TestCase("price < 100000000", "digit")]
    [TestCase("price < 1e400", "digit")]
    [TestCase("price = 0.0000000000000000000000000000001", "fractional")]
    [TestCase("price < 'abc'", "decimal number")]
    public void Parse_DecimalLiteralThatDoesNotFit_IsRefused(string text, string why)
    {
        var ex = Assert.Throws<FloeException>(() => ExpressionParser.Parse(text, PriceSchema))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(ex.Message, Does.Contain("price").And.Contain(why));
    }

    [Test]
    public void Bind_ClrDecimalWithTooManyDigits_IsRefused()
    {
        Assert.That(() => BoundPredicate.Bind(PriceSchema, "price", Operation.Eq, 1.005m),
            Throws.TypeOf<FloeException>().With.Property(nameof(FloeException.Code)).EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(((BoundPredicate)BoundPredicate.Bind(PriceSchema, "price", Operation.Eq, 7)).Literal, Is.EqualTo(7.00m));
    }

    private static RecordBatch Prices(IReadOnlyList<(long Id, decimal? Price)> rows)
    {
        var ids = new Int64Array.Builder();
        var prices = new Decimal128Array.Builder(new Decimal128Type(10, 2));
        foreach (var (id, price) in rows)
        {
            ids.Append(id);
            if (price is { } p) prices.Append(p); else prices.AppendNull();
        }
        return new RecordBatch(ArrowSchemas.ToArrow(PriceSchema), new IArrowArray[] { ids.Build(), prices.Build() }, rows.Count);
    }

    private static readonly string[] Filters =
    {
        "price < 50", "price <= 49.99", "price > 150", "price >= -10.5", "price = 75.25", "price != 75.25",
        "price in (1.5, 75.25, 199.99)", "price not in (75.25)", "price between 20 and 30.5", "not (price < 100)",
        "price < -1000", "price > 1000000",
    };

    [Test]
    public void Scan_DecimalFilters_MatchNaiveEvaluationAndPruneByBounds()
    {
        using var tables = new TestTables();
        var table = tables.Warehouse.CreateTable(TableIdentifier.Parse("demo.prices"), PriceSchema, PartitionSpec.Unpartitioned);
        var rng = new Random(42);
        var all = new List<(long Id, decimal? Price)>();
        // Three files with disjoint price ranges (negative, low, high) so bounds can prune.
        var ranges = new[] { (-5000, -1), (0, 9999), (10000, 19999) };
        long id = 0;
        foreach (var (lo, hi) in ranges)
        {
            var rows = new List<(long, decimal?)>();
            for (var i = 0; i < 200; i++) rows.Add((id++, rng.Next(10) == 0 ? null : rng.Next(lo, hi + 1) / 100m));
            rows.Add((id++, hi / 100m));
            if (lo <= 7525 && 7525 <= hi) rows.Add((id++, 75.25m));
            TestTables.Append(table, Prices(rows));
            all.AddRange(rows);
        }
        foreach (var text in Filters)
        {
            var filter = ExpressionParser.Parse(text, PriceSchema);
            var scan = new TableScan(table).Filter(filter);
            var (tasks, metrics) = scan.PlanFiles();
            var got = new List<long>();
            foreach (var batch in scan.ReadBatches(tasks))
            {
                var ids = (Int64Array)batch.Column(0);
                for (var i = 0; i < batch.Length; i++) got.Add(ids.GetValue(i)!.Value);
            }
            got.Sort();
            var expected = all.Where(r => r.Price is { } p && Naive(text, p)).Select(r => r.Id).OrderBy(x => x).ToList();
            Assert.That(got, Is.EqualTo(expected), text);
            // Every file whose bounds cannot match is pruned: the files kept are exactly those holding a match.
            var filesWithMatch = ranges.Count(r => all.Any(x => x.Price is { } p && p * 100 >= r.Item1 && p * 100 <= r.Item2 && Naive(text, p)));
            if (!text.Contains("!=", StringComparison.Ordinal) && !text.Contains("not in", StringComparison.Ordinal))
            {
                Assert.That(tasks, Has.Count.EqualTo(filesWithMatch), text + " (files kept after pruning)");
            }
            Assert.That(metrics.TotalDataFiles, Is.EqualTo(3));
        }
    }

    private static bool Naive(string filter, decimal p) => filter switch
    {
        "price < 50" => p < 50m,
        "price <= 49.99" => p <= 49.99m,
        "price > 150" => p > 150m,
        "price >= -10.5" => p >= -10.5m,
        "price = 75.25" => p == 75.25m,
        "price != 75.25" => p != 75.25m,
        "price in (1.5, 75.25, 199.99)" => p is 1.5m or 75.25m or 199.99m,
        "price not in (75.25)" => p != 75.25m,
        "price between 20 and 30.5" => p >= 20m && p <= 30.5m,
        "not (price < 100)" => p >= 100m,
        "price < -1000" => p < -1000m,
        "price > 1000000" => p > 1000000m,
        _ => throw new ArgumentException(filter),
    };

    [TestCase("l_extendedprice < 20000")]
    [TestCase("l_extendedprice >= 50000.5")]
    [TestCase("l_discount = 0.04")]
    [TestCase("l_quantity between 10 and 20 and l_tax != 0")]
    public void Scan_LineitemFixtureDecimalFilter_MatchesDuckDb(string filter)
    {
        var root = SharedFixtures.Require(Path.Combine("iceberg", "duckdb-lineitem"));
        var dir = Path.Combine(Path.GetTempPath(), "floe-decimal-" + Guid.NewGuid().ToString("N"));
        try
        {
            var table = new Warehouse(dir).RegisterTable(TableIdentifier.Parse("fixtures.lineitem"), Path.Combine(root, "metadata", "v2.metadata.json"));
            var scan = new TableScan(table).Filter(ExpressionParser.Parse(filter, table.Schema));
            var (tasks, _) = scan.PlanFiles();
            long rows = 0;
            decimal sum = 0;
            var priceIndex = scan.ProjectedSchema.Fields.ToList().FindIndex(f => f.Name == "l_extendedprice");
            foreach (var batch in scan.ReadBatches(tasks))
            {
                rows += batch.Length;
                var prices = (Decimal128Array)batch.Column(priceIndex);
                for (var i = 0; i < batch.Length; i++) sum += prices.GetValue(i) ?? 0;
            }
            var (all, _) = new TableScan(table).PlanFiles();
            var files = string.Join(", ", all.Select(t => DuckDb.Quote(Path.Combine(root, "data", Path.GetFileName(t.File.FilePath)))));
            var duck = DuckDb.Query($"select count(*) as n, coalesce(sum(l_extendedprice), 0) as s from read_parquet([{files}]) where {filter}")[0];
            Assert.That(rows, Is.EqualTo(Convert.ToInt64(duck["n"], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(sum, Is.EqualTo(Convert.ToDecimal(duck["s"], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(rows, Is.GreaterThan(0));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
