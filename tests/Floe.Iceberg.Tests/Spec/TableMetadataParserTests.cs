using NUnit.Framework;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Tests.Shared;

namespace Floe.Iceberg.Tests.Spec;

[TestFixture]
public sealed class TableMetadataParserTests
{
    private static readonly string[] ParseFiles =
    {
        "apache-iceberg/TableMetadataV1Valid.json",
        "apache-iceberg/TableMetadataV2Valid.json",
        "apache-iceberg/TableMetadataV2ValidMinimal.json",
        "apache-iceberg/TableMetadataV3ValidMinimal.json",
        "apache-iceberg/TableMetadataStatisticsFiles.json",
        "apache-iceberg/TableMetadataPartitionStatisticsFiles.json",
        "iceberg-rust/TableMetadataV1Compat.json",
        "iceberg-rust/TableMetadataV3ValidEncryption.json",
        "iceberg-rust/example_table_metadata_v2.json",
        "iceberg-rust/example_empty_table_metadata_v2.json",
        "iceberg-rust/example_table_metadata_v2_partition_evolution.json",
        "iceberg-rust/example_table_metadata_v2_deep_history.json",
        // "Rust parses, Java rejects": Floe is lenient here.
        "iceberg-rust/TableMetadataV1SchemasWithoutCurrentId.json",
        "iceberg-rust/TableMetadataV1PartitionSpecsWithoutDefaultId.json",
    };

    private static readonly object[] RejectFiles =
    {
        new object[] { "apache-iceberg/TableMetadataUnsupportedVersion.json", "format-version 42" },
        new object[] { "apache-iceberg/TableMetadataV1MissingSchemaType.json", "type" },
        new object[] { "apache-iceberg/TableMetadataV2CurrentSchemaNotFound.json", "must exist in format v2" },
        new object[] { "apache-iceberg/TableMetadataV2MissingLastPartitionId.json", "last-partition-id must exist in format v2" },
        new object[] { "apache-iceberg/TableMetadataV2MissingPartitionSpecs.json", "partition-specs must exist in format v2" },
        new object[] { "apache-iceberg/TableMetadataV2MissingSchemas.json", "schemas must exist in format v2" },
        new object[] { "apache-iceberg/TableMetadataV2MissingSortOrder.json", "sort-orders must exist in format v2" },
        new object[] { "iceberg-rust/TableMetadataV2CurrentSchemaNotFound.json", "current-schema-id 2 is not in schemas" },
        new object[] { "iceberg-rust/TableMetadataUnsupportedVersion.json", "must exist in format v3" },
        new object[] { "iceberg-rust/TableMetadataV1NoValidSchema.json", "current-schema-id" },
        new object[] { "duckdb-iceberg/timestamptz_ns.v1.metadata.json", "next-row-id must exist in format v3" },
        new object[] { "duckdb-iceberg/bad_iceberg_metadata.json", "not valid JSON" },
    };

    private static IEnumerable<TestCaseData> TableFixtureFiles()
    {
        // Enumerated lazily so a missing fixtures folder yields one ignorable case instead of a discovery failure.
        var root = SharedFixtures.Root;
        if (root is null || !Directory.Exists(Path.Combine(root, "iceberg")))
        {
            yield return new TestCaseData("<missing>").SetName("Parse_TableFixture_FixturesMissing");
            yield break;
        }
        foreach (var file in Directory.GetFiles(Path.Combine(root, "iceberg"), "*.metadata.json", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            yield return new TestCaseData(Path.GetRelativePath(root, file));
        }
    }

    [TestCaseSource(nameof(ParseFiles))]
    public void Parse_ValidMetadataFixture_ParsesAndRoundTrips(string relative)
    {
        var path = SharedFixtures.Require(Path.Combine("iceberg-metadata-json", relative));
        var m = TableMetadataParser.Parse(File.ReadAllText(path), Path.GetFileName(path));

        Assert.That(m.CurrentSchema.SchemaId, Is.EqualTo(m.CurrentSchemaId));
        Assert.That(m.DefaultSpec.SpecId, Is.EqualTo(m.DefaultSpecId));
        if (m.CurrentSnapshotId is { } current)
        {
            Assert.That(m.Refs[SnapshotRef.MainBranch].SnapshotId, Is.EqualTo(current));
        }
        MetadataAssert.AreEqual(m, TableMetadataParser.Parse(TableMetadataParser.ToJson(m), "roundtrip"));
    }

    [TestCaseSource(nameof(RejectFiles))]
    public void Parse_InvalidMetadataFixture_ThrowsNamingFileAndField(string relative, string fragment)
    {
        var path = SharedFixtures.Require(Path.Combine("iceberg-metadata-json", relative));
        var name = Path.GetFileName(path);
        var ex = Assert.Throws<FloeException>(() => TableMetadataParser.Parse(File.ReadAllText(path), name));
        Assert.That(ex!.Message, Does.StartWith(name + ":"));
        Assert.That(ex.Message, Does.Contain(fragment));
    }

    [TestCaseSource(nameof(TableFixtureFiles))]
    public void ToUtf8Json_TableFixtureMetadata_RoundTripsTwiceThroughCachedSnapshotsAndUtf8Parse(string relative)
    {
        var path = SharedFixtures.Require(relative);
        var m = TableMetadataParser.Parse(File.ReadAllText(path), relative);
        var first = TableMetadataParser.ToUtf8Json(m);
        var second = TableMetadataParser.ToUtf8Json(m);
        Assert.That(second, Is.EqualTo(first), "cached snapshot fragments give the same bytes");
        var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(first).ToArray();
        MetadataAssert.AreEqual(m, TableMetadataParser.Parse(withBom, "compact"));
        MetadataAssert.AreEqual(m, TableMetadataParser.Parse(System.Text.Encoding.UTF8.GetString(first), "compact-string"));
    }

    [Test]
    public void Parse_Utf8InvalidJson_ThrowsNamingSource()
    {
        var ex = Assert.Throws<FloeException>(() => TableMetadataParser.Parse("{\"format-version\": "u8.ToArray(), "broken.metadata.json"));
        Assert.That(ex!.Message, Does.StartWith("broken.metadata.json:"));
    }

    [TestCaseSource(nameof(TableFixtureFiles))]
    public void Parse_TableFixtureMetadata_ParsesAndRoundTrips(string relative)
    {
        var path = SharedFixtures.Require(relative);
        var m = TableMetadataParser.Parse(File.ReadAllText(path), relative);
        Assert.That(m.Schemas, Is.Not.Empty);
        if (m.CurrentSnapshotId is { } id)
        {
            Assert.That(m.CurrentSnapshot!.SnapshotId, Is.EqualTo(id));
        }
        MetadataAssert.AreEqual(m, TableMetadataParser.Parse(TableMetadataParser.ToJson(m), "roundtrip"));
    }

    [Test]
    public void Parse_V2ValidWithoutRefs_CreatesImplicitMain()
    {
        var path = SharedFixtures.Require("iceberg-metadata-json/apache-iceberg/TableMetadataV2Valid.json");
        var m = TableMetadataParser.Parse(File.ReadAllText(path), "v2");
        Assert.That(m.CurrentSnapshotId, Is.EqualTo(3055729675574597004L));
        Assert.That(m.Refs[SnapshotRef.MainBranch], Is.EqualTo(new SnapshotRef(3055729675574597004L, SnapshotRefType.Branch)));
        Assert.That(m.Schemas[1].IdentifierFieldIds, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(m.Snapshots[1].ParentSnapshotId, Is.EqualTo(3051729675574597004L));
        Assert.That(m.SortOrders[0].Fields[1].Transform, Is.EqualTo(Transform.Bucket(4)));
    }

    [Test]
    public void Parse_V1Legacy_BuildsSchemasAndSpecs()
    {
        var path = SharedFixtures.Require("iceberg-metadata-json/apache-iceberg/TableMetadataV1Valid.json");
        var m = TableMetadataParser.Parse(File.ReadAllText(path), "v1");
        Assert.Multiple(() =>
        {
            Assert.That(m.Schemas, Has.Count.EqualTo(1));
            Assert.That(m.CurrentSchema.Fields.Select(f => f.Name), Is.EqualTo(new[] { "x", "y", "z" }));
            Assert.That(m.DefaultSpec.Fields.Single(), Is.EqualTo(new PartitionField(1, 1000, "x", Transform.Identity)));
            Assert.That(m.LastPartitionId, Is.EqualTo(1000));
            Assert.That(m.CurrentSnapshotId, Is.Null, "current-snapshot-id -1 means none");
            Assert.That(m.Refs, Is.Empty);
            Assert.That(m.SortOrders.Single(), Is.EqualTo(SortOrder.Unsorted));
        });
    }

    [Test]
    public void Parse_V1PartitionSpecsWithoutDefault_PicksHighestSpecId()
    {
        var path = SharedFixtures.Require("iceberg-metadata-json/iceberg-rust/TableMetadataV1PartitionSpecsWithoutDefaultId.json");
        var m = TableMetadataParser.Parse(File.ReadAllText(path), "x");
        Assert.That(m.DefaultSpecId, Is.EqualTo(2));
    }

    [Test]
    public void Parse_TagOnlyRefs_AddsMainAndKeepsTag()
    {
        var path = SharedFixtures.Require("iceberg-metadata-json/iceberg-rust/example_table_metadata_v2.json");
        var m = TableMetadataParser.Parse(File.ReadAllText(path), "x");
        Assert.That(m.Refs["test"].Type, Is.EqualTo(SnapshotRefType.Tag));
        Assert.That(m.Refs[SnapshotRef.MainBranch].SnapshotId, Is.EqualTo(m.CurrentSnapshotId));
    }

    [Test]
    public void Parse_UnknownKeysAndNullCurrentSnapshot_AreIgnored()
    {
        var json = TableMetadataParser.ToJson(RandomMetadata.Minimal(2)).Replace("\"format-version\"", "\"x-unknown\": {\"a\": [1]}, \"format-version\"");
        var m = TableMetadataParser.Parse(json, "m.json");
        Assert.That(m.CurrentSnapshotId, Is.Null);
    }

    [Test]
    public void Parse_MissingLocation_NamesFieldAndSource()
    {
        var json = TableMetadataParser.ToJson(RandomMetadata.Minimal(2)).Replace("\"location\"", "\"loc\"");
        var ex = Assert.Throws<FloeException>(() => TableMetadataParser.Parse(json, "v7.metadata.json"));
        Assert.That(ex!.Message, Is.EqualTo("v7.metadata.json: location is missing"));
    }

    [Test]
    public void Parse_WrongFieldType_NamesPath()
    {
        var json = TableMetadataParser.ToJson(RandomMetadata.Minimal(2)).Replace("\"last-column-id\": 3", "\"last-column-id\": \"3\"");
        var ex = Assert.Throws<FloeException>(() => TableMetadataParser.Parse(json, "a.json"));
        Assert.That(ex!.Message, Does.Contain("last-column-id must be a 32-bit integer"));
    }

    [Test]
    public void Parse_MainRefDisagreesWithCurrent_Rejects()
    {
        // The first seed whose metadata has a current snapshot (fixed, so the case runs identically every time).
        var m = Enumerable.Range(0, 200).Select(seed => RandomMetadata.Generate(new Random(seed), 2)).First(c => c.CurrentSnapshotId is not null && c.Snapshots.Count > 0);
        var bad = m with { Refs = new Dictionary<string, SnapshotRef> { ["main"] = new(m.Snapshots[0].SnapshotId + 999, SnapshotRefType.Branch) } };
        var ex = Assert.Throws<FloeException>(() => TableMetadataParser.Parse(TableMetadataParser.ToJson(bad), "r.json"));
        Assert.That(ex!.Message, Does.StartWith("r.json: "));
    }

    [Test]
    public void ToJson_V2_WritesRequiredFields()
    {
        var json = TableMetadataParser.ToJson(RandomMetadata.Generate(new Random(11), 2));
        foreach (var key in new[]
                 {
                     "format-version", "table-uuid", "location", "last-sequence-number", "last-updated-ms", "last-column-id",
                     "schemas", "current-schema-id", "partition-specs", "default-spec-id", "last-partition-id", "properties",
                     "current-snapshot-id", "snapshots", "snapshot-log", "metadata-log", "sort-orders", "default-sort-order-id", "refs",
                 })
        {
            Assert.That(json, Does.Contain("\"" + key + "\""), key);
        }
        Assert.That(json, Does.Not.Contain("\"next-row-id\""));
    }

    [Test]
    public void ToJson_V3EmptyTable_WritesNullCurrentSnapshotAndNextRowId()
    {
        var json = TableMetadataParser.ToJson(RandomMetadata.Minimal(3));
        Assert.That(json, Does.Contain("\"current-snapshot-id\": null"));
        Assert.That(json, Does.Contain("\"next-row-id\": 0"));
    }

    [Test]
    public void ParseToJson_RandomMetadata_RoundTrips([Range(0, 199)] int seed)
    {
        var rng = new Random(seed);
        var m = RandomMetadata.Generate(rng, 1 + seed % 3);
        var json = TableMetadataParser.ToJson(m, indented: seed % 2 == 0);
        MetadataAssert.AreEqual(m, TableMetadataParser.Parse(json, "random.json"));
    }
}
