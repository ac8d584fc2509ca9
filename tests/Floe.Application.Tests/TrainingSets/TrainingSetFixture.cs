using System.Globalization;
using System.Text;
using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Application.Ingest;
using Floe.Application.Scanning;
using Floe.Formats.Output;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Writing;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Application.Tests.TrainingSets;

/// <summary>
/// Random feature tables and spines for training-set tests, and the naive reference join: for each spine row, scan
/// every feature row of the table (in the table's scan order) and keep the latest one at or before the spine time,
/// the last scanned among equal times.
/// </summary>
internal static class TrainingSetFixture
{
    public static readonly DateTime Base = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    public const string SchemaA = "user:string,acct:long,ts:timestamptz,f_double:double,f_long:long,f_str:string";
    public const string SchemaB = "user:string,ts:timestamptz,f_double:double,g_count:long";

    /// <summary>A definition whose output table is <c>features.a</c>; its features name the table's columns.</summary>
    public const string DefinitionA = """
        {
          "name": "a", "version": 1,
          "entity": ["user", "acct"], "timestamp": "ts",
          "features": [
            {"name": "f_double", "agg": "sum", "column": "amount", "window": "1d"},
            {"name": "f_long", "agg": "count", "window": "1d"},
            {"name": "f_str", "expr": "f_long"}
          ]
        }
        """;

    public static string Ts(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + "Z";

    /// <summary>Rows for table a: 6 users × 3 accounts, times on a 20-minute grid over 4 days (so ties happen), some nulls.</summary>
    public static string TableACsv(Random random, int rows, double scale = 1.0)
    {
        var csv = new StringBuilder("user,acct,ts,f_double,f_long,f_str\n");
        for (var i = 0; i < rows; i++)
        {
            var t = Base.AddMinutes(20 * random.Next(0, 4 * 72));
            var fd = random.NextDouble() < 0.1 ? "" : (Math.Round(random.NextDouble() * 1000, 3) * scale).ToString("R", CultureInfo.InvariantCulture);
            var fs = random.NextDouble() < 0.1 ? "" : "s" + random.Next(0, 1000).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"u{random.Next(0, 6)},{random.Next(0, 3)},{Ts(t)},{fd},{random.Next(-50, 50) * (int)scale},{fs}\n");
        }
        return csv.ToString();
    }

    /// <summary>Rows for table b: 6 users, times on a 30-minute grid over 4 days.</summary>
    public static string TableBCsv(Random random, int rows)
    {
        var csv = new StringBuilder("user,ts,f_double,g_count\n");
        for (var i = 0; i < rows; i++)
        {
            var t = Base.AddMinutes(30 * random.Next(0, 4 * 48));
            var fd = random.NextDouble() < 0.1 ? "" : Math.Round(random.NextDouble(), 4).ToString("R", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"u{random.Next(0, 6)},{Ts(t)},{fd},{random.Next(0, 100)}\n");
        }
        return csv.ToString();
    }

    /// <summary>
    /// A spine over 8 users (u6, u7 unknown) and 4 accounts (3 unknown), times on a 10-minute grid from a day before
    /// the features to a day after (some exactly on feature times, some with no time), and three label columns.
    /// </summary>
    public static string SpineCsv(Random random, int rows)
    {
        var csv = new StringBuilder("label_id,user,acct,ts,label_score,label_text\n");
        for (var i = 0; i < rows; i++)
        {
            var ts = random.NextDouble() < 0.03 ? "" : Ts(Base.AddMinutes(10 * random.Next(-144, 6 * 144)));
            var score = (random.Next(0, 10000) / 100.0).ToString("R", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{1000 - i},u{random.Next(0, 8)},{random.Next(0, 4)},{ts},{score},\"t,{i}\"\n");
        }
        return csv.ToString();
    }

    /// <summary>Every row of a table in scan order, as text cells by column name.</summary>
    public static List<Dictionary<string, string?>> ScanRows(TempWarehouse w, string table, ScanRequest? request = null)
    {
        var sink = new CollectingSink();
        w.Scan.Scan(table, request ?? new ScanRequest(), sink);
        return sink.Rows;
    }

    /// <summary>Reads a Parquet file as text cells by column name, in file order.</summary>
    public static List<Dictionary<string, string?>> ReadParquet(string path)
    {
        using var reader = ParquetDataReader.Open(new LocalFileIO(), Path.GetFullPath(path));
        var schema = reader.FileSchema;
        var rows = new List<Dictionary<string, string?>>();
        foreach (var (batch, _) in reader.ReadAll()) CollectingSink.Append(rows, schema, batch);
        return rows;
    }

    /// <summary>The spine CSV's rows as text cells by column name (RFC 4180 quotes of the label_text column handled).</summary>
    public static List<Dictionary<string, string?>> ReadSpine(TempWarehouse w, string path, string schemaText)
    {
        var schema = Floe.Application.Tables.SchemaText.Parse(schemaText);
        var rows = new List<Dictionary<string, string?>>();
        foreach (var batch in IngestService.ReadFile(path, schema)) CollectingSink.Append(rows, schema, batch);
        return rows;
    }

    /// <summary>
    /// The naive point-in-time reference: for every spine row, the feature row with the same key and the greatest
    /// time at or before the spine time (the last scanned among equal times), null when none or older than max age.
    /// </summary>
    public static Dictionary<string, string?>? Reference(
        Dictionary<string, string?> spineRow, IReadOnlyList<Dictionary<string, string?>> features, string[] keys, long? maxAgeMicros)
    {
        if (spineRow["ts"] is not { } spineTs) return null;
        var t = Micros(spineTs);
        Dictionary<string, string?>? best = null;
        long bestTime = 0;
        foreach (var f in features)
        {
            var same = true;
            foreach (var k in keys) same &= f[k] is not null && f[k] == spineRow[k];
            if (!same || f["ts"] is not { } fts) continue;
            var ft = Micros(fts);
            if (ft <= t && (best is null || ft >= bestTime))
            {
                best = f;
                bestTime = ft;
            }
        }
        if (best is not null && maxAgeMicros is { } age && t - bestTime > age) return null;
        return best;
    }

    public static long Micros(string iso) =>
        (DateTime.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal).Ticks - DateTime.UnixEpoch.Ticks) / 10;

    private sealed class CollectingSink : IBatchSink
    {
        private Schema? _schema;

        public List<Dictionary<string, string?>> Rows { get; } = new();

        public void Begin(Schema schema) => _schema = schema;

        public void Write(RecordBatch batch) => Append(Rows, _schema!, batch);

        public void Complete() { }

        public void Dispose() { }

        public static void Append(List<Dictionary<string, string?>> rows, Schema schema, RecordBatch batch)
        {
            for (var r = 0; r < batch.Length; r++)
            {
                var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var c = 0; c < schema.Fields.Count; c++)
                {
                    var type = (PrimitiveType)schema.Fields[c].Type;
                    var value = ArrowValues.Get(batch.Column(c), r, type);
                    row[schema.Fields[c].Name] = value is null ? null : ValueText.Format(value, type);
                }
                rows.Add(row);
            }
        }
    }
}
