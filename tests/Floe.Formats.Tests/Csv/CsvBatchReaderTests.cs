using System.Globalization;
using System.Text;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Formats.Csv;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Formats.Tests.Csv;

[TestFixture]
public sealed class CsvBatchReaderTests
{
    private static readonly Schema EventSchema = new(0, new[]
    {
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "ts", false, PrimitiveType.TimestampTz),
        new NestedField(3, "amount", false, PrimitiveType.Double),
        new NestedField(4, "name", false, PrimitiveType.String),
        new NestedField(5, "day", false, PrimitiveType.Date),
        new NestedField(6, "ok", false, PrimitiveType.Boolean),
    });

    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-csv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private sealed record Row(long Id, long? Ts, double? Amount, string? Name, int? Day, bool? Ok);

    private static List<Row> RandomRows(int count, int seed)
    {
        var random = new Random(seed);
        string[] names = { "plain", "with, comma", "with \"quote\"", "line\nbreak", "crlf\r\ninside", "ünïcödé", " spaced " };
        var rows = new List<Row>(count);
        for (var i = 0; i < count; i++)
        {
            rows.Add(new Row(
                random.NextInt64(-1_000_000_000_000, 1_000_000_000_000),
                random.Next(10) == 0 ? null : random.NextInt64(0, 4_000_000_000_000_000) / 1000 * 1000 + random.Next(1000),
                random.Next(10) == 0 ? null : Math.Round((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(0, 12)), random.Next(0, 7)),
                random.Next(10) == 0 ? null : names[random.Next(names.Length)] + random.Next(100),
                random.Next(10) == 0 ? null : random.Next(-20000, 40000),
                random.Next(10) == 0 ? null : random.Next(2) == 0));
        }
        return rows;
    }

    private static string Quote(string s) =>
        s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 || s.StartsWith(' ') ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private string WriteCsv(IEnumerable<Row> rows, string newline, bool reorderHeader = false)
    {
        var sb = new StringBuilder();
        sb.Append(reorderHeader ? "name,id,ts,amount,day,ok" : "id,ts,amount,name,day,ok").Append(newline);
        foreach (var r in rows)
        {
            var ts = r.Ts is { } t ? DateTime.UnixEpoch.AddTicks(t * 10).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture) : "";
            var amount = r.Amount?.ToString("R", CultureInfo.InvariantCulture) ?? "";
            var name = r.Name is null ? "" : Quote(r.Name);
            var day = r.Day is { } d ? DateOnly.FromDayNumber(719162 + d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";
            var ok = r.Ok is { } b ? (b ? "true" : "false") : "";
            var fields = reorderHeader
                ? new[] { name, r.Id.ToString(CultureInfo.InvariantCulture), ts, amount, day, ok }
                : new[] { r.Id.ToString(CultureInfo.InvariantCulture), ts, amount, name, day, ok };
            sb.Append(string.Join(',', fields)).Append(newline);
        }
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
        return path;
    }

    private static List<Row> ReadAll(IEnumerable<RecordBatch> batches)
    {
        var rows = new List<Row>();
        foreach (var b in batches)
        {
            var id = (Int64Array)b.Column(0);
            var ts = (TimestampArray)b.Column(1);
            var amount = (DoubleArray)b.Column(2);
            var name = (StringArray)b.Column(3);
            var day = (Date32Array)b.Column(4);
            var ok = (BooleanArray)b.Column(5);
            for (var i = 0; i < b.Length; i++)
            {
                rows.Add(new Row(id.GetValue(i)!.Value, ts.IsNull(i) ? null : ts.Values[i], amount.GetValue(i), name.GetString(i),
                    day.IsNull(i) ? null : day.Values[i], ok.GetValue(i)));
            }
        }
        return rows;
    }

    private static IEnumerable<TestCaseData> Layouts()
    {
        foreach (var newline in new[] { "\n", "\r\n" })
        {
            foreach (var (parallelism, chunk, batch) in new[] { (1, 1 << 20, 1 << 20), (4, 97, 7), (2, 4096, 1000), (3, 1, 1) })
            {
                yield return new TestCaseData(newline, parallelism, chunk, batch)
                    .SetName($"Read_RandomRows_RoundTrip({(newline == "\n" ? "LF" : "CRLF")},p{parallelism},chunk{chunk},batch{batch})");
            }
        }
    }

    [TestCaseSource(nameof(Layouts))]
    public void Read_RandomRows_RoundTrip(string newline, int parallelism, int chunkBytes, int batchRows)
    {
        var expected = RandomRows(2000, 7);
        var path = WriteCsv(expected, newline);

        var batches = CsvBatchReader.ReadChunks(path, EventSchema, batchRows, parallelism, chunkBytes).ToList();

        Assert.That(batches.All(b => b.Length <= batchRows), Is.True);
        Assert.That(ReadAll(batches), Is.EqualTo(expected));
    }

    [Test]
    public void Read_HeaderInAnotherOrder_MapsByName()
    {
        var expected = RandomRows(300, 3);
        var path = WriteCsv(expected, "\n", reorderHeader: true);

        Assert.That(ReadAll(CsvBatchReader.Read(path, EventSchema)), Is.EqualTo(expected));
    }

    [Test]
    public void Read_NoTrailingNewline_ReadsLastRow()
    {
        var path = Path.Combine(_dir, "t.csv");
        File.WriteAllText(path, "id,ts,amount,name,day,ok\n1,,,a,,\n2,,2.5,\"b\",,true");

        var rows = ReadAll(CsvBatchReader.Read(path, EventSchema));

        Assert.That(rows, Is.EqualTo(new[] { new Row(1, null, null, "a", null, null), new Row(2, null, 2.5, "b", null, true) }));
    }

    [TestCase(1, 1 << 20)]
    [TestCase(2, 64)]
    public void Read_BadValueAfterQuotedNewlines_NamesFileLineAndColumn(int parallelism, int chunkBytes)
    {
        var path = Path.Combine(_dir, "bad.csv");
        var sb = new StringBuilder("id,ts,amount,name,day,ok\n");
        for (var i = 0; i < 50; i++) sb.Append(CultureInfo.InvariantCulture, $"{i},,1.5,\"two\nlines\",,\n");
        sb.Append("99,,abc,x,,\n");
        File.WriteAllText(path, sb.ToString());

        var error = Assert.Throws<FloeException>(() => CsvBatchReader.ReadChunks(path, EventSchema, 1000, parallelism, chunkBytes).ToList());

        // Header is line 1; each of the 50 rows spans two lines, so the bad row starts on line 102.
        Assert.That(error!.Message, Does.Contain("bad.csv").And.Contain("line 102, column 'amount': 'abc' is not a valid double"));
    }

    [TestCase("id,ts,amount,name,day,ok\n1,,,a,,\n,,,b,,\n", "line 3, column 'id': value is required but empty")]
    [TestCase("id,ts,amount,name,day,ok\n1,,,a,,\n2,,,b,\n", "line 3: expected 6 fields, found 5")]
    [TestCase("id,ts,amount,name,day,ok\n1,,,a,,,\n", "line 2: expected 6 fields, found 7")]
    [TestCase("id,ts,amount,name,day,ok\n1,yesterday,,a,,\n", "line 2, column 'ts': 'yesterday' is not a valid timestamptz")]
    [TestCase("id,ts,amount,name,day,ok\n1,,,\"a\"b,,\n", "line 2: malformed CSV row")]
    [TestCase("id,ts,amount,name,day,ok\n1,,,\"unterminated,,\n", "line 2: malformed CSV row")]
    [TestCase("id,ts,amount,day,ok\n1,,,,\n", "column 'name' of the table schema is missing from the header")]
    [TestCase("id,ts,amount,name,day,ok,extra\n1,,,a,,,\n", "header column 'extra' is not in the table schema")]
    [TestCase("", "line 1: the file has no header row")]
    public void Read_BadContent_ThrowsNamingLineAndColumn(string content, string expected)
    {
        var path = Path.Combine(_dir, "bad.csv");
        File.WriteAllText(path, content);

        var error = Assert.Throws<FloeException>(() => CsvBatchReader.Read(path, EventSchema).ToList());

        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(error.Message, Does.Contain("bad.csv").And.Contain(expected));
    }

    [Test]
    public void Read_MissingFile_ThrowsNotFound()
    {
        var error = Assert.Throws<FloeException>(() => CsvBatchReader.Read(Path.Combine(_dir, "none.csv"), EventSchema));
        Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.NotFound));
    }

    [Test]
    public void Read_AbandonedEarly_DoesNotThrow()
    {
        var path = WriteCsv(RandomRows(3000, 11), "\n");

        var first = CsvBatchReader.ReadChunks(path, EventSchema, 10, 4, 256).Take(3).ToList();

        Assert.That(first, Has.Count.EqualTo(3));
    }

    [Test]
    public void Read_ParsesAtMostTwoMiBOfTextPerChunk()
    {
        // Every chunk in flight (one per processor, plus the one being consumed) holds its text, its cell offsets
        // and its parsed arrays; 2 MiB chunks keep that a few MiB where 8 MiB ones doubled the CSV ingest's peak.
        const string line = "1000000,2024-01-01T00:00:00Z,1.25,name,2024-01-01,true\n";
        const int rows = 200_000;
        var path = Path.Combine(_dir, "fixed.csv");
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            writer.Write("id,ts,amount,name,day,ok\n");
            for (var i = 0; i < rows; i++) writer.Write(line);
        }

        var batches = CsvBatchReader.Read(path, EventSchema, parallelism: 2).Select(b => b.Length).ToList();

        Assert.That(batches.Sum(), Is.EqualTo(rows));
        Assert.That(batches.Max() * (long)line.Length, Is.LessThanOrEqualTo(2L << 20));
    }
}
