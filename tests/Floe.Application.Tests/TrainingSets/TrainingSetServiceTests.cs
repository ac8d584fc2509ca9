using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Floe.Application.Ingest;
using Floe.Application.Tables;
using Floe.Application.TrainingSets;
using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Tests.Shared;
using NUnit.Framework;
using static Floe.Application.Tests.TrainingSets.TrainingSetFixture;

namespace Floe.Application.Tests.TrainingSets;

[TestFixture]
public sealed class TrainingSetServiceTests
{
    private const string SpineSchema = "label_id:long,user:string,acct:long,ts:timestamptz,label_score:double,label_text:string";

    /// <summary>Two groups: a definition file over features.a (key user+acct) and the table features.b (key user, inferred).</summary>
    private static (string Definition, string Spine) Setup(TempWarehouse w, int seed, int featureRows = 600, int spineRows = 400)
    {
        var random = new Random(seed);
        w.Tables.Create("features.a", SchemaA, "day(ts)");
        w.Ingest.Ingest("features.a", w.WriteFile("a.csv", TableACsv(random, featureRows)), new IngestOptions());
        w.Tables.Create("features.b", SchemaB, "day(ts)");
        w.Ingest.Ingest("features.b", w.WriteFile("b.csv", TableBCsv(random, featureRows / 2)), new IngestOptions());
        return (w.WriteFile("a.json", DefinitionA), w.WriteFile("spine.csv", SpineCsv(random, spineRows)));
    }

    private static TrainingSetRequest Request(string spine, string output, params string[] features) => new()
    {
        SpinePath = spine,
        Features = features.Select(FeatureSelection.Parse).ToList(),
        OutputPath = output,
    };

    [TestCase(1, null)]
    // Case 1 without a maximum age from another seed: the deep pass.
    [TestCase(2, null, Category = TestTier.Deep)]
    [TestCase(3, "2h")]
    [TestCase(4, "1d")]
    [TestCase(5, "20m")]
    public void Build_RandomSpine_MatchesNaiveReference(int seed, string? maxAge)
    {
        using var w = new TempWarehouse();
        var (definition, spine) = Setup(w, seed);
        var output = Path.Combine(w.Directory, "out.parquet");
        long? age = maxAge is null ? null : TrainingSetRequest.ParseMaxAge(maxAge);

        var result = new TrainingSetService(w.Warehouse).Build(Request(spine, output, definition, "features.b") with { MaxAgeMicros = age });

        var rows = ReadParquet(output);
        var spineRows = ReadSpine(w, spine, SpineSchema);
        var a = ScanRows(w, "features.a");
        var b = ScanRows(w, "features.b");
        Assert.That(rows, Has.Count.EqualTo(spineRows.Count));
        Assert.That(result.Rows, Is.EqualTo(spineRows.Count));
        Assert.That(rows[0].Keys, Is.EqualTo(new[] { "label_id", "user", "acct", "ts", "label_score", "label_text", "a__f_double", "f_long", "f_str", "b__f_double", "g_count" }));
        long matchedA = 0, matchedB = 0, ties = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            foreach (var column in spineRows[i].Keys) Assert.That(rows[i][column], Is.EqualTo(spineRows[i][column]), $"row {i} spine column {column}");
            var expectA = Reference(spineRows[i], a, ["user", "acct"], age);
            var expectB = Reference(spineRows[i], b, ["user"], age);
            Assert.That(rows[i]["a__f_double"], Is.EqualTo(expectA?["f_double"]), $"row {i} a.f_double");
            Assert.That(rows[i]["f_long"], Is.EqualTo(expectA?["f_long"]), $"row {i} a.f_long");
            Assert.That(rows[i]["f_str"], Is.EqualTo(expectA?["f_str"]), $"row {i} a.f_str");
            Assert.That(rows[i]["b__f_double"], Is.EqualTo(expectB?["f_double"]), $"row {i} b.f_double");
            Assert.That(rows[i]["g_count"], Is.EqualTo(expectB?["g_count"]), $"row {i} b.g_count");
            if (expectA is not null)
            {
                matchedA++;
                if (a.Count(f => f["user"] == expectA["user"] && f["acct"] == expectA["acct"] && f["ts"] == expectA["ts"]) > 1) ties++;
            }
            if (expectB is not null) matchedB++;
        }
        Assert.That(result.Groups[0].Matched, Is.EqualTo(matchedA));
        Assert.That(result.Groups[1].Matched, Is.EqualTo(matchedB));
        // The data must exercise the interesting cases, or the comparison proves little.
        Assert.That(matchedA, Is.GreaterThan(0).And.LessThan(rows.Count));
        if (maxAge is null) Assert.That(ties, Is.GreaterThan(0), "no spine row matched a tied feature time");
    }

    /// <summary>A single long key with thousands of entities (negative and huge ones too), so the key table grows.</summary>
    [Test]
    public void Build_SingleLongKeyManyEntities_MatchesNaiveReference()
    {
        using var w = new TempWarehouse();
        var random = new Random(51);
        long Key() => random.Next(0, 3000) switch { 0 => long.MinValue + 1, 1 => long.MaxValue, var k => (k - 1500) * 7_919L };
        var features = new System.Text.StringBuilder("acct,ts,v\n");
        for (var i = 0; i < 8000; i++) features.Append(System.Globalization.CultureInfo.InvariantCulture, $"{Key()},{Ts(Base.AddMinutes(15 * random.Next(0, 400)))},{random.Next(0, 1000)}\n");
        var spineText = new System.Text.StringBuilder("acct,ts\n");
        for (var i = 0; i < 3000; i++) spineText.Append(System.Globalization.CultureInfo.InvariantCulture, $"{Key()},{Ts(Base.AddMinutes(5 * random.Next(0, 1300)))}\n");
        w.Tables.Create("features.c", "acct:long,ts:timestamptz,v:long", "day(ts)");
        w.Ingest.Ingest("features.c", w.WriteFile("c.csv", features.ToString()), new IngestOptions());
        var spine = w.WriteFile("spine.csv", spineText.ToString());
        var output = Path.Combine(w.Directory, "out.parquet");

        var result = new TrainingSetService(w.Warehouse).Build(Request(spine, output, "features.c"));

        var rows = ReadParquet(output);
        var spineRows = ReadSpine(w, spine, "acct:long,ts:timestamptz");
        var table = ScanRows(w, "features.c");
        Assert.That(rows, Has.Count.EqualTo(3000));
        // The reference sees only the rows with the spine row's key (in table order): it skips every other row anyway,
        // and 3,000 spine rows x 8,000 feature rows of key comparisons were most of this test's CPU.
        var byKey = table.Where(f => f["acct"] is not null).GroupBy(f => f["acct"]!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var matched = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var candidates = spineRows[i]["acct"] is { } key && byKey.TryGetValue(key, out var sameKey) ? sameKey : [];
            var expect = Reference(spineRows[i], candidates, ["acct"], null);
            Assert.That(rows[i]["v"], Is.EqualTo(expect?["v"]), $"row {i}");
            if (expect is not null) matched++;
        }
        Assert.That(result.Groups[0].Matched, Is.EqualTo(matched));
        Assert.That(matched, Is.GreaterThan(1000));
    }

    [Test]
    public void Build_NoFeatureAfterSpineTime_EvenOnTheSameEntityAndDay()
    {
        using var w = new TempWarehouse();
        w.Tables.Create("features.a", SchemaA, "day(ts)");
        w.Ingest.Ingest("features.a", w.WriteFile("a.csv", """
            user,acct,ts,f_double,f_long,f_str
            u1,1,2024-03-01T10:00:00Z,1.5,1,x
            u1,1,2024-03-01T12:00:00Z,2.5,2,y
            u1,1,2024-03-01T12:00:01Z,3.5,3,z
            u1,2,2024-03-01T09:00:00Z,9.5,9,other-account
            """), new IngestOptions());
        var spine = w.WriteFile("spine.csv", """
            user,acct,ts,label
            u1,1,2024-03-01T09:59:59Z,0
            u1,1,2024-03-01T10:00:00Z,1
            u1,1,2024-03-01T12:00:00Z,1
            u1,1,2024-03-03T00:00:00Z,0
            u9,1,2024-03-03T00:00:00Z,1
            """);
        var output = Path.Combine(w.Directory, "out.csv");
        new TrainingSetService(w.Warehouse).Build(Request(spine, output, "features.a:f_str,f_long"));

        Assert.That(File.ReadAllLines(output), Is.EqualTo(new[]
        {
            "user,acct,ts,label,f_str,f_long",
            "u1,1,2024-03-01T09:59:59Z,0,,",
            "u1,1,2024-03-01T10:00:00Z,1,x,1",
            "u1,1,2024-03-01T12:00:00Z,1,y,2",
            "u1,1,2024-03-03T00:00:00Z,0,z,3",
            "u9,1,2024-03-03T00:00:00Z,1,,",
        }));
    }

    [Test]
    public void Build_CsvAndParquetSpines_GiveTheSameRows()
    {
        using var w = new TempWarehouse();
        var (definition, spineCsv) = Setup(w, 11);
        var spineParquet = Path.Combine(w.Directory, "spine.parquet");
        var schema = SchemaText.Parse(SpineSchema);
        using (var sink = new Floe.Formats.Output.ParquetSink(spineParquet))
        {
            sink.Begin(schema);
            foreach (var batch in IngestService.ReadFile(spineCsv, schema)) sink.Write(batch);
            sink.Complete();
        }
        var service = new TrainingSetService(w.Warehouse);
        var fromCsv = Path.Combine(w.Directory, "csv.csv");
        var fromParquet = Path.Combine(w.Directory, "parquet.csv");
        service.Build(Request(spineCsv, fromCsv, definition, "features.b"));
        service.Build(Request(spineParquet, fromParquet, definition, "features.b"));

        var lines = File.ReadAllLines(fromCsv);
        Assert.That(lines, Has.Length.EqualTo(401));
        Assert.That(File.ReadAllLines(fromParquet), Is.EqualTo(lines));
    }

    [Test]
    public void Build_TimeTravel_RebuildsTheFirstSetByteForByte()
    {
        using var w = new TempWarehouse();
        var (definition, spine) = Setup(w, 21);
        var service = new TrainingSetService(w.Warehouse);
        var first = Path.Combine(w.Directory, "first.parquet");
        var firstResult = service.Build(Request(spine, first, definition));
        var v1 = firstResult.Groups[0].SnapshotId!.Value;
        new RefService(w.Warehouse).CreateTag("features.a", "v1");
        var v1Time = w.Tables.Load("features.a").Metadata.SnapshotById(v1)!.TimestampMs;
        // v2: the same days overwritten with values scaled by 100, a new snapshot.
        Thread.Sleep(5);
        var v2 = w.Ingest.Ingest("features.a", w.WriteFile("a2.csv", TableACsv(new Random(21), 600, scale: 100)),
            new IngestOptions { Mode = IngestMode.OverwritePartitions }).SnapshotId;
        Assert.That(v2, Is.Not.EqualTo(v1));

        var current = Path.Combine(w.Directory, "current.parquet");
        var bySnapshot = Path.Combine(w.Directory, "snapshot.parquet");
        var byTag = Path.Combine(w.Directory, "tag.parquet");
        var byTime = Path.Combine(w.Directory, "asof.parquet");
        service.Build(Request(spine, current, definition));
        service.Build(Request(spine, bySnapshot, definition) with { SnapshotId = v1 });
        service.Build(Request(spine, byTag, definition) with { Tag = "v1" });
        service.Build(Request(spine, byTime, definition) with { AsOf = DateTimeOffset.FromUnixTimeMilliseconds(v1Time).ToString("O") });

        var expected = File.ReadAllBytes(first);
        Assert.That(File.ReadAllBytes(current), Is.Not.EqualTo(expected), "the overwrite changed nothing");
        Assert.That(File.ReadAllBytes(bySnapshot), Is.EqualTo(expected));
        Assert.That(File.ReadAllBytes(byTag), Is.EqualTo(expected));
        Assert.That(File.ReadAllBytes(byTime), Is.EqualTo(expected));
    }

    [Test]
    public void Build_Parquet_RecordsTablesSnapshotsAndDefinitionHashInTheFooter()
    {
        using var w = new TempWarehouse();
        var (definition, spine) = Setup(w, 31);
        var output = Path.Combine(w.Directory, "out.parquet");
        var result = new TrainingSetService(w.Warehouse).Build(Request(spine, output, definition, "features.b:g_count") with { MaxAgeMicros = 3_600_000_000 });

        using var reader = ParquetDataReader.Open(new LocalFileIO(), output);
        var lineage = JsonNode.Parse(reader.KeyValueMetadata[TrainingSetLineage.Key])!;
        Assert.That((string?)lineage["spine"]!["sha256"], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(spine)))));
        Assert.That((long)lineage["max_age_us"]!, Is.EqualTo(3_600_000_000));
        var groups = lineage["groups"]!.AsArray();
        Assert.That((string?)groups[0]!["table"], Is.EqualTo("features.a"));
        Assert.That((long)groups[0]!["snapshot_id"]!, Is.EqualTo(w.Tables.Load("features.a").Metadata.CurrentSnapshotId));
        Assert.That((string?)groups[0]!["definition_sha256"], Is.EqualTo(Floe.Application.Features.DefinitionFiles.Sha256(definition)));
        // The same definition reformatted (as YAML) is the same definition: the canonical hash does not change.
        var yaml = w.WriteFile("a.yaml", "name: a\nversion: 1\nentity: [user, acct]\ntimestamp: ts\nfeatures:\n  - {name: f_double, agg: sum, column: amount, window: 1d}\n  - {name: f_long, agg: count, window: 1d}\n  - {name: f_str, expr: f_long}\n");
        var again = new TrainingSetService(w.Warehouse).Build(Request(spine, Path.Combine(w.Directory, "yaml.parquet"), yaml, "features.b:g_count") with { MaxAgeMicros = 3_600_000_000 });
        Assert.That(again.Groups[0].DefinitionSha256, Is.EqualTo(result.Groups[0].DefinitionSha256));
        Assert.That(File.ReadAllBytes(Path.Combine(w.Directory, "yaml.parquet")), Is.EqualTo(File.ReadAllBytes(output)));
        Assert.That((string?)groups[1]!["table"], Is.EqualTo("features.b"));
        Assert.That((long)groups[1]!["snapshot_id"]!, Is.EqualTo(w.Tables.Load("features.b").Metadata.CurrentSnapshotId));
        Assert.That(groups[1]!["definition_sha256"], Is.Null);
        Assert.That((string?)groups[1]!["features"]![0]!["column"], Is.EqualTo("g_count"));
        Assert.That(result.Groups[1].Columns, Is.EqualTo(new[] { "g_count" }));
    }

    [Test]
    public void Build_EntityProperty_OverridesSharedColumns()
    {
        using var w = new TempWarehouse();
        // The table shares user and acct with the spine, but says only user is the key: acct is then a feature.
        w.Tables.Create("features.c", "user:string,acct:long,ts:timestamptz,v:double", "day(ts)",
            new Dictionary<string, string> { ["floe.entity"] = "user" });
        w.Ingest.Ingest("features.c", w.WriteFile("c.csv", "user,acct,ts,v\nu1,7,2024-03-01T00:00:00Z,1.25\n"), new IngestOptions());
        var spine = w.WriteFile("spine.csv", "user,acct,ts\nu1,1,2024-03-02T00:00:00Z\n");
        var output = Path.Combine(w.Directory, "out.csv");
        new TrainingSetService(w.Warehouse).Build(Request(spine, output, "features.c"));

        Assert.That(File.ReadAllLines(output), Is.EqualTo(new[] { "user,acct,ts,c__acct,v", "u1,1,2024-03-02T00:00:00Z,7,1.25" }));
    }

    [Test]
    public void Build_BadRequests_FailWithClearErrors()
    {
        using var w = new TempWarehouse();
        var (definition, spine) = Setup(w, 41, featureRows: 20, spineRows: 5);
        var service = new TrainingSetService(w.Warehouse);
        var output = Path.Combine(w.Directory, "out.parquet");

        var e = Assert.Throws<FloeException>(() => service.Build(Request(spine, output, definition, "features.b") with { SnapshotId = 1 }));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        e = Assert.Throws<FloeException>(() => service.Build(Request(spine, output, "features.nope")));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.NotFound));
        e = Assert.Throws<FloeException>(() => service.Build(Request(spine, output, "features.b:nope")));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.NotFound));
        e = Assert.Throws<FloeException>(() => service.Build(Request(spine, output, definition) with { SpineTime = "when" }));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(e.Message, Does.Contain("when"));
        e = Assert.Throws<FloeException>(() => service.Build(Request(spine, output, definition) with { Tag = "missing" }));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.NotFound));
        Assert.That(File.Exists(output), Is.False);
    }
}
