using System.Text.Json;
using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Core.Errors;
using Floe.Iceberg.Scan;
using NUnit.Framework;

namespace Floe.Application.Tests.Scanning;

/// <summary>
/// The aggregate list every face parses, and <see cref="ScanService.Aggregate"/>'s result as the CLI and the C ABI
/// write it: CSV text and JSON, with SQL NULL, NaN, dates and timestamps, snapshot selection and filters.
/// </summary>
[TestFixture]
public sealed class AggregateServiceTests
{
    [Test]
    public void Parse_ReadsCallsInOrder()
    {
        var calls = AggregateList.Parse(" COUNT(*), sum( amount ),Min(ts),max(ts), avg(n), count(cat)");
        Assert.That(calls.Select(c => c.ToString()), Is.EqualTo(new[] { "count(*)", "sum(amount)", "min(ts)", "max(ts)", "avg(n)", "count(cat)" }));
    }

    [TestCase("", "aggregate ''")]
    [TestCase("sum(*)", "only count takes *")]
    [TestCase("median(x)", "unknown function median")]
    [TestCase("sum(x", "aggregate 'sum(x'")]
    [TestCase("count(*),", "aggregate ''")]
    [TestCase("sum()", "expected a column name")]
    public void Parse_RefusesMalformedItems(string text, string message)
    {
        var e = Assert.Throws<FloeException>(() => AggregateList.Parse(text))!;
        Assert.That(e.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(e.Message, Does.Contain(message));
    }

    [Test]
    public void Aggregate_WritesTextAndJson_NullNaNAndTimes()
    {
        using var w = new TempWarehouse();
        w.Tables.Create("db.t", "id:long not null,ts:timestamptz not null,d:date,x:double,n:int", "day(ts)");
        var csv = w.WriteFile("a.csv", "id,ts,d,x,n\n1,2024-01-01T10:00:00Z,2024-02-03,1.5,\n2,2024-01-02T11:30:00Z,,NaN,\n3,2024-01-02T12:00:00Z,2023-12-31,-2.25,\n");
        var first = w.Ingest.Ingest("db.t", csv, new IngestOptions()).SnapshotId;
        var calls = AggregateList.Parse("count(*),sum(id),min(ts),max(d),max(x),min(x),sum(n),count(n),avg(id)");

        var result = w.Scan.Aggregate("db.t", new ScanRequest(), calls);
        var text = new StringWriter();
        result.WriteText(text);
        Assert.That(text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')), Is.EqualTo(new[]
        {
            "count(*),sum(id),min(ts),max(d),max(x),min(x),sum(n),count(n),avg(id)",
            "3,6,2024-01-01T10:00:00Z,2024-02-03,NaN,-2.25,,0,2",
        }));

        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer)) result.WriteJson(json);
        var root = JsonDocument.Parse(buffer.ToArray()).RootElement;
        var values = root.GetProperty("aggregates").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("value"));
        Assert.That(values["count(*)"].GetInt64(), Is.EqualTo(3));
        Assert.That(values["max(x)"].GetString(), Is.EqualTo("NaN"));
        Assert.That(values["min(x)"].GetDouble(), Is.EqualTo(-2.25));
        Assert.That(values["sum(n)"].ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(values["max(d)"].GetString(), Is.EqualTo("2024-02-03"));
        Assert.That(root.GetProperty("snapshot_id").GetInt64(), Is.EqualTo(first));

        // A filter and time travel: the second ingest is not seen at the first snapshot.
        w.Ingest.Ingest("db.t", w.WriteFile("b.csv", "id,ts,d,x,n\n10,2024-01-03T00:00:00Z,,4,7\n"), new IngestOptions());
        var now = w.Scan.Aggregate("db.t", new ScanRequest { Filter = "id >= 2" }, AggregateList.Parse("count(*),sum(n),max(ts)"));
        Assert.That(now.Values.Select(v => v.Value), Is.EqualTo(new object?[] { 3L, 7L, now.Values[2].Value }));
        Assert.That(now.Values[2].Value, Is.EqualTo(new DateTimeOffset(2024, 1, 3, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000));
        var then = w.Scan.Aggregate("db.t", new ScanRequest { SnapshotId = first, Filter = "id >= 2" }, AggregateList.Parse("count(*),sum(n)"));
        Assert.That(then.Values.Select(v => v.Value), Is.EqualTo(new object?[] { 2L, null }));
    }

    [Test]
    public void Aggregate_UnsupportedType_NamesTheCall()
    {
        using var w = new TempWarehouse();
        w.Tables.Create("db.t", "id:long not null,cat:string", null);
        var e = Assert.Throws<FloeException>(() => w.Scan.Aggregate("db.t", new ScanRequest(), AggregateList.Parse("avg(cat)")))!;
        Assert.That(e.Code, Is.EqualTo(FloeErrorCode.Unsupported));
        Assert.That(e.Message, Does.Contain("avg(cat)"));
        Assert.That(w.Scan.Aggregate("db.t", new ScanRequest(), AggregateList.Parse("count(cat),count(*)")).Values.Select(v => v.Value), Is.EqualTo(new object?[] { 0L, 0L }));
    }
}
