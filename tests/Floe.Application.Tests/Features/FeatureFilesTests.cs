using NUnit.Framework;
using Floe.Features;
using System.Globalization;
using System.Text;
using Floe.Core.Errors;
using Floe.Application.Features;
using Floe.Features.Computation;
using Floe.Formats.Events;
using Floe.Features.Sources;
using Floe.Features.Tests.Support;

namespace Floe.Application.Tests.Features;

public sealed class FeatureFilesTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-features-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    private const string Definition = """
        {
          "name": "user_txn", "version": 1,
          "entity": ["entity_id"], "timestamp": "event_time",
          "source": {"files": ["events.csv"]},
          "filter": "amount > 0",
          "features": [
            {"name": "txn_count_1h",   "agg": "count", "window": "1h"},
            {"name": "amount_sum_7d",  "agg": "sum",  "column": "amount", "window": "7d"},
            {"name": "amount_mean_1d", "agg": "mean", "column": "amount", "window": "1d"},
            {"name": "amount_max_1d",  "agg": "max",  "column": "amount", "window": "1d"},
            {"name": "txn_count_7d",   "agg": "count", "window": "7d"},
            {"name": "merchants_2d",   "agg": "last_n", "n": 2, "column": "merchant", "window": "2d"},
            {"name": "avg_ticket_7d",  "expr": "amount_sum_7d / txn_count_7d"},
            {"name": "share_of_7d",    "expr": "amount / amount_sum_7d"}
          ]
        }
        """;

    private static string WriteCsv(string path, TestEvents ev)
    {
        var sb = new StringBuilder("entity_id,event_time,amount,qty,merchant\n");
        for (int i = 0; i < ev.Length; i++)
        {
            var t = DateTime.UnixEpoch.AddTicks(ev.Time[i] * 10);
            sb.Append(ev.Entity[i]).Append(',')
              .Append(t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append(',')
              .Append(ev.Amount[i] is { } a && double.IsFinite(a) ? a.ToString("R", CultureInfo.InvariantCulture) : "").Append(',')
              .Append(ev.Qty[i]?.ToString(CultureInfo.InvariantCulture) ?? "").Append(',')
              .Append(ev.Merchant[i] ?? "").Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    [TestCase("out.parquet")]
    [TestCase("out.csv")]
    public void Compute_CsvSourceWithLookback_MatchesFullHistoryComputation(string output)
    {
        var ev = TestEvents.Random(21, 3000, 40, 20L * 86_400_000_000L, specials: false);
        string defPath = WriteEventsAndDefinition(ev);
        var epoch = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        var from = epoch.AddDays(10);
        var to = epoch.AddDays(13).AddHours(5);

        var result = FeatureFiles.Compute(defPath, from, to, null, Path.Combine(_dir, output), parallelism: 2);

        // Reference: the whole history in memory, then keep the rows in [from, to).
        var source = CsvEventSource.Load([Path.Combine(_dir, "events.csv")]);
        var group = FeatureGroup.Compile(Floe.Application.Features.DefinitionFiles.Parse(defPath), source.Schema);
        var all = group.Compute(source.Read("event_time", null, DateTimeOffset.MaxValue), 1);
        var expected = new List<object?[]>();
        for (int r = 0; r < all.Length; r++)
        {
            long t = (long)ResultComparer.Cell(all.Column(1), r)!;
            if (t >= (from - DateTimeOffset.UnixEpoch).Ticks / 10 && t < (to - DateTimeOffset.UnixEpoch).Ticks / 10)
            {
                expected.Add(Enumerable.Range(0, all.ColumnCount).Select(c => ResultComparer.Cell(all.Column(c), r)).ToArray());
            }
        }
        Assert.That(result.RowsWritten, Is.EqualTo(expected.Count));
        Assert.That(result.Partitions, Is.EqualTo(4));
        Assert.That(result.ReadFrom, Is.EqualTo(from.AddDays(-7)));
        Assert.That(result.EventsRead, Is.LessThan(ev.Length));

        if (output.EndsWith(".parquet", StringComparison.Ordinal))
        {
            var back = ParquetEventSource.Load([Path.Combine(_dir, output)]);
            var batch = back.Read("event_time", null, DateTimeOffset.MaxValue).Single();
            var actual = new List<object?[]>();
            for (int r = 0; r < batch.Length; r++)
            {
                actual.Add(Enumerable.Range(0, batch.ColumnCount).Select(c => ResultComparer.Cell(batch.Column(c), r)).ToArray());
            }
            // Output is day-partitioned, input order within a day; compare as sorted sets of rows (list column as text).
            static string Key(object?[] row) => string.Join("|", row.Select(ResultComparer.Show));
            var exp = expected.Select(r => Key(r.Select(v => v is System.Collections.IList l ? "[" + string.Join(";", l.Cast<object?>()) + "]" : v).ToArray())).Order(StringComparer.Ordinal).ToList();
            var act = actual.Select(Key).Order(StringComparer.Ordinal).ToList();
            Assert.That(act, Is.EqualTo(exp));
            AssertDayThenEntityClustered(actual);
        }
        else
        {
            var lines = File.ReadAllLines(Path.Combine(_dir, output));
            Assert.That(lines[0], Is.EqualTo("entity_id,event_time,txn_count_1h,amount_sum_7d,amount_mean_1d,amount_max_1d,txn_count_7d,merchants_2d,avg_ticket_7d,share_of_7d"));
            Assert.That(lines, Has.Length.EqualTo(expected.Count + 1));
        }
    }

    /// <summary>
    /// The Parquet output's integer columns (keys, event times, counts) are DELTA_BINARY_PACKED and its pages zstd:
    /// DuckDB, an independent reader, must see exactly the rows Floe reads back, nulls and all.
    /// </summary>
    // The events as the definition's source (events.csv), and the definition beside them.
    private string WriteEventsAndDefinition(TestEvents ev)
    {
        WriteCsv(Path.Combine(_dir, "events.csv"), ev);
        string defPath = Path.Combine(_dir, "def.json");
        File.WriteAllText(defPath, Definition);
        return defPath;
    }

    [Test]
    public void Compute_ParquetOutput_DeltaEncodedZstd_DuckDbReadsTheSameRows()
    {
        var ev = TestEvents.Random(5, 4000, 30, 10L * 86_400_000_000L, specials: false);
        WriteCsv(Path.Combine(_dir, "events.csv"), ev);
        string defPath = Path.Combine(_dir, "def.json");
        File.WriteAllText(defPath, """
            {"name": "d", "version": 1, "entity": "entity_id", "timestamp": "event_time",
             "features": [{"name": "n_1h", "agg": "count", "window": "1h"},
                          {"name": "qty_sum_1d", "agg": "sum", "column": "qty", "window": "1d"},
                          {"name": "amount_max_1d", "agg": "max", "column": "amount", "window": "1d"}]}
            """);
        string output = Path.Combine(_dir, "out.parquet");
        var epoch = DateTimeOffset.UnixEpoch.AddTicks(TestEvents.Epoch * 10);
        FeatureFiles.Compute(defPath, epoch, epoch.AddDays(10), Path.Combine(_dir, "events.csv"), output, parallelism: 2);

        var floe = new List<string>();
        var batch = ParquetEventSource.Load([output]).Read("event_time", null, DateTimeOffset.MaxValue).Single();
        for (int r = 0; r < batch.Length; r++)
        {
            floe.Add(string.Join("|", Enumerable.Range(0, batch.ColumnCount).Select(c => ResultComparer.Show(ResultComparer.Cell(batch.Column(c), r)))));
        }
        using var conn = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT path_in_schema, encodings, compression FROM parquet_metadata('{output}') WHERE row_group_id = 0 ORDER BY column_id";
        var encodings = new Dictionary<string, (string Encodings, string Codec)>();
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read()) encodings[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }
        Assert.Multiple(() =>
        {
            foreach (var column in new[] { "entity_id", "event_time", "n_1h" }) Assert.That(encodings[column].Encodings, Does.Contain("DELTA_BINARY_PACKED"), column);
            Assert.That(encodings.Values.Select(e => e.Codec).Distinct(), Is.EqualTo(new[] { "ZSTD" }));
        });
        cmd.CommandText = $"SELECT entity_id, epoch_us(event_time), n_1h, qty_sum_1d, amount_max_1d FROM read_parquet('{output}')";
        var duck = new List<string>();
        using (var reader = cmd.ExecuteReader())
        {
            while (reader.Read())
            {
                duck.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(c => ResultComparer.Show(reader.IsDBNull(c) ? null : reader.GetValue(c)))));
            }
        }
        Assert.That(duck, Has.Count.EqualTo(ev.Length));
        Assert.That(duck.Order(StringComparer.Ordinal), Is.EqualTo(floe.Order(StringComparer.Ordinal)));
    }

    /// <summary>
    /// A rolling maximum repeats each entity's largest value for a run of rows, with one distinct value per entity:
    /// 12,000 entities in a day's row group are 96 KiB of distinct doubles. Such a column must stay dictionary encoded
    /// (it shrank the 7-day bench file's maxima by a quarter), not fall back to PLAIN as a noisy column does.
    /// </summary>
    [Test]
    public void Compute_ParquetOutput_RepetitiveMaximaOfManyEntitiesStayDictionaryEncoded()
    {
        const int entities = 12_000, perEntity = 8;
        var csv = new StringBuilder("entity_id,event_time,amount\n");
        var rng = new Random(7);
        for (var e = 0; e < entities; e++)
        {
            for (var i = 0; i < perEntity; i++)
            {
                // The first event holds the entity's maximum, so every later row of the day repeats it.
                var amount = i == 0 ? e + 0.25 : rng.Next(0, e + 1) * 0.5 / (e + 1);
                csv.Append(CultureInfo.InvariantCulture, $"{e},2024-01-01T{i:00}:{e % 60:00}:00Z,{amount.ToString("R", CultureInfo.InvariantCulture)}\n");
            }
        }
        File.WriteAllText(Path.Combine(_dir, "events.csv"), csv.ToString());
        string defPath = Path.Combine(_dir, "def.json");
        File.WriteAllText(defPath, """
            {"name": "d", "version": 1, "entity": "entity_id", "timestamp": "event_time",
             "features": [{"name": "amount_max_1d", "agg": "max", "column": "amount", "window": "1d"}]}
            """);
        string output = Path.Combine(_dir, "out.parquet");
        var from = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        FeatureFiles.Compute(defPath, from, from.AddDays(1), Path.Combine(_dir, "events.csv"), output, parallelism: 2);

        using var conn = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT count(*), bool_and(encodings LIKE '%RLE_DICTIONARY%') FROM parquet_metadata('{output}') WHERE path_in_schema = 'amount_max_1d'";
        using (var reader = cmd.ExecuteReader())
        {
            Assert.That(reader.Read(), Is.True);
            Assert.That(reader.GetInt64(0), Is.EqualTo(1), "one row group");
            Assert.That(reader.GetBoolean(1), Is.True, "the maxima are dictionary encoded");
        }
        cmd.CommandText = $"SELECT count(*), count(DISTINCT amount_max_1d), count(*) FILTER (WHERE amount_max_1d = entity_id + 0.25) FROM read_parquet('{output}')";
        using (var reader = cmd.ExecuteReader())
        {
            Assert.That(reader.Read(), Is.True);
            Assert.That(reader.GetInt64(0), Is.EqualTo(entities * perEntity));
            Assert.That(reader.GetInt64(1), Is.EqualTo(entities));
            Assert.That(reader.GetInt64(2), Is.EqualTo(entities * perEntity));
        }
    }

    /// <summary>
    /// History spanning centuries in one batch (days are then numbered through a sorted index, not by offset): the
    /// lifetime count sees the old events, the one-day sum only the new ones.
    /// </summary>
    [Test]
    public void Compute_UnboundedHistorySpanningCenturies_CountsEveryEvent()
    {
        File.WriteAllText(Path.Combine(_dir, "events.csv"), """
            entity_id,event_time,amount
            1,1990-01-01T00:00:00Z,10
            2,1990-01-02T00:00:00Z,3
            1,2250-06-01T00:00:00Z,5
            1,2250-06-01T01:00:00Z,7
            2,2250-06-01T02:00:00Z,4
            """);
        string defPath = Path.Combine(_dir, "life.json");
        File.WriteAllText(defPath, """
            {"name": "life", "version": 1, "entity": "entity_id", "timestamp": "event_time",
             "features": [{"name": "n_all", "agg": "count", "window": "unbounded"},
                          {"name": "sum_1d", "agg": "sum", "column": "amount", "window": "1d"}]}
            """);
        var from = new DateTimeOffset(2250, 6, 1, 0, 0, 0, TimeSpan.Zero);

        var result = FeatureFiles.Compute(defPath, from, from.AddDays(1), Path.Combine(_dir, "events.csv"), Path.Combine(_dir, "out.csv"), parallelism: 1);

        Assert.That(result.RowsWritten, Is.EqualTo(3));
        Assert.That(File.ReadAllLines(Path.Combine(_dir, "out.csv")).Skip(1).Select(l => string.Join(",", l.Split(',').Skip(2))), Is.EqualTo(new[] { "2,5", "3,12", "2,4" }));
    }

    /// <summary>Rows come day by day; inside a day each entity's rows are contiguous and in time order.</summary>
    private static void AssertDayThenEntityClustered(List<object?[]> rows)
    {
        const long day = 86_400_000_000L;
        var seenToday = new HashSet<long>();
        for (int r = 0; r < rows.Count; r++)
        {
            long entity = (long)rows[r][0]!, time = (long)rows[r][1]!;
            if (r == 0 || time / day != (long)rows[r - 1][1]! / day)
            {
                Assert.That(r == 0 || time / day > (long)rows[r - 1][1]! / day, $"row {r}: days out of order");
                seenToday.Clear();
            }
            else if (entity == (long)rows[r - 1][0]!)
            {
                Assert.That(time, Is.GreaterThanOrEqualTo((long)rows[r - 1][1]!), $"row {r}: time order inside entity {entity}");
                continue;
            }
            Assert.That(seenToday.Add(entity), Is.True, $"row {r}: entity {entity} is split inside its day");
        }
    }

    [Test]
    public void Compute_NoEventsInRange_WritesEmptyFileWithSchema()
    {
        var ev = TestEvents.Random(2, 50, 3, 86_400_000_000L, specials: false);
        string defPath = WriteEventsAndDefinition(ev);
        var result = FeatureFiles.Compute(defPath, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 3, 0, 0, 0, TimeSpan.Zero), null, Path.Combine(_dir, "o.csv"));
        Assert.That(result.RowsWritten, Is.Zero);
        Assert.That(File.ReadAllLines(Path.Combine(_dir, "o.csv")), Has.Length.EqualTo(1));
    }

    [Test]
    public void Compute_OverAnEarlierLongerOutput_LeavesExactlyTheNewRows()
    {
        // The output opens (truncating what was there) on a worker while the source is read.
        var ev = TestEvents.Random(3, 400, 7, 3 * 86_400_000_000L, specials: false);
        string defPath = WriteEventsAndDefinition(ev);
        var from = DateTimeOffset.FromUnixTimeMilliseconds(TestEvents.Epoch / 1000);
        var to = from.AddDays(3);
        FeatureFiles.Compute(defPath, from, to, null, Path.Combine(_dir, "fresh.csv"));
        string reused = Path.Combine(_dir, "reused.csv");
        File.WriteAllText(reused, string.Concat(Enumerable.Repeat("left over from an earlier run\n", 20_000)));
        var result = FeatureFiles.Compute(defPath, from, to, null, reused);
        Assert.That(result.RowsWritten, Is.GreaterThan(0));
        Assert.That(File.ReadAllText(reused), Is.EqualTo(File.ReadAllText(Path.Combine(_dir, "fresh.csv"))));
    }

    [Test]
    public void Compute_OutputThatCannotBeCreated_ThrowsIoNamingIt()
    {
        var ev = TestEvents.Random(2, 50, 3, 86_400_000_000L, specials: false);
        string defPath = WriteEventsAndDefinition(ev);
        // A file where the output's folder should be.
        File.WriteAllText(Path.Combine(_dir, "blocked"), "");
        string output = Path.Combine(_dir, "blocked", "o.parquet");
        var e = Assert.Throws<FloeException>(() => FeatureFiles.Compute(defPath, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), null, output));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.Io));
        Assert.That(e.Message, Does.Contain(output));
    }

    [Test]
    public void Compute_OutputOfAnotherExtension_ThrowsInvalidArgument()
    {
        var ev = TestEvents.Random(2, 50, 3, 86_400_000_000L, specials: false);
        string defPath = WriteEventsAndDefinition(ev);
        var e = Assert.Throws<FloeException>(() => FeatureFiles.Compute(defPath, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), null, Path.Combine(_dir, "o.txt")));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(e.Message, Does.Contain("must end in .parquet or .csv"));
        Assert.That(File.Exists(Path.Combine(_dir, "o.txt")), Is.False);
    }

    [Test]
    public void Validate_BadWindow_ReturnsPathNamedError()
    {
        string defPath = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(defPath, "name: g\nversion: 1\nentity: e\ntimestamp: t\nfeatures:\n  - {name: a, agg: count, window: 7x}\n");
        var result = FeatureFiles.Validate(defPath);
        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors, Is.EqualTo(new[] { "features[0].window: '7x' is not a duration" }));
    }

    [Test]
    public void Compute_TableSourceWithoutResolver_ThrowsUnsupported()
    {
        string defPath = Path.Combine(_dir, "def.json");
        File.WriteAllText(defPath, Definition.Replace("{\"files\": [\"events.csv\"]}", "{\"table\": \"demo.events\"}", StringComparison.Ordinal));
        var e = Assert.Throws<FloeException>(() => FeatureFiles.Compute(defPath, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), null, Path.Combine(_dir, "o.csv")));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.Unsupported));
    }

    [Test]
    public void Compute_MissingColumn_ThrowsNamingIt()
    {
        var ev = TestEvents.Random(2, 20, 3, 86_400_000_000L, specials: false);
        WriteCsv(Path.Combine(_dir, "events.csv"), ev);
        string defPath = Path.Combine(_dir, "def.json");
        File.WriteAllText(defPath, Definition.Replace("\"column\": \"amount\", \"window\": \"7d\"", "\"column\": \"amout\", \"window\": \"7d\"", StringComparison.Ordinal));
        var e = Assert.Throws<FloeException>(() => FeatureFiles.Compute(defPath, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), null, Path.Combine(_dir, "o.csv")));
        Assert.That(e!.Message, Does.Contain("features[1].column: unknown column or feature 'amout'"));
    }

    [Test]
    public void CsvLoad_BadValue_ThrowsNamingFileLineAndColumn()
    {
        // Types are inferred from the first 8 MiB chunk; a value after it that does not fit is an error naming the line.
        string path = Path.Combine(_dir, "bad.csv");
        const int rows = 330_000;
        // The file's bytes are made directly: through a StringBuilder and UTF-16 this took as long as the load.
        ReadOnlySpan<byte> header = "entity_id,event_time,amount\n"u8, row = "1,2024-01-01T00:00:00Z,1.5\n"u8, last = "2,2024-01-01T00:00:00Z,abc\n"u8;
        var bytes = new byte[header.Length + rows * row.Length + last.Length];
        header.CopyTo(bytes);
        for (int i = 0; i < rows; i++) { row.CopyTo(bytes.AsSpan(header.Length + i * row.Length)); }
        last.CopyTo(bytes.AsSpan(bytes.Length - last.Length));
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<FloeException>(() => CsvEventSource.Load([path]));
        Assert.That(e!.Message, Does.Contain($"bad.csv: line {rows + 2}, column 'amount': 'abc' is not a valid"));
    }

    [Test]
    public void CsvLoad_InvalidUtf8_ThrowsNamingLineAndColumn()
    {
        string path = Path.Combine(_dir, "utf8.csv");
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("entity_id,event_time,merchant\n1,2024-01-01T00:00:00Z,ok\n2,2024-01-01T00:00:00Z,"));
        bytes.AddRange([0xff, 0xfe, 0xc3]);
        bytes.Add((byte)'\n');
        File.WriteAllBytes(path, [.. bytes]);
        var e = Assert.Throws<FloeException>(() => CsvEventSource.Load([path]));
        Assert.That(e!.Message, Does.Contain("utf8.csv: line 3, column 'merchant'").And.Contain("not valid UTF-8"));
    }

    [Test]
    public void CsvLoad_InfersTypesFromTheValues()
    {
        string path = Path.Combine(_dir, "types.csv");
        File.WriteAllText(path, "i,d,t,b,s,e\n1,2,2024-01-01T00:00:00Z,true,x,\n-3,2.5,2024-01-02 10:00:00,false,7,\n,,,,,\n");
        var source = CsvEventSource.Load([path]);
        var types = source.Schema.FieldsList.Select(f => f.DataType.TypeId).ToArray();
        Assert.That(types, Is.EqualTo(new[]
        {
            Apache.Arrow.Types.ArrowTypeId.Int64, Apache.Arrow.Types.ArrowTypeId.Double, Apache.Arrow.Types.ArrowTypeId.Timestamp,
            Apache.Arrow.Types.ArrowTypeId.Boolean, Apache.Arrow.Types.ArrowTypeId.String, Apache.Arrow.Types.ArrowTypeId.String,
        }));
        Assert.That(source.RowCount, Is.EqualTo(3));
    }
}
