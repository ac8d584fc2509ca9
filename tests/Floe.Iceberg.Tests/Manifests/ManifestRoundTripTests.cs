using System.Diagnostics;
using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Manifests;

/// <summary>Manifests and manifest lists written by <see cref="ManifestWriter"/>/<see cref="ManifestListWriter"/> read back unchanged.</summary>
[TestFixture]
public sealed class ManifestRoundTripTests
{
    private const string SchemaJson = "{\"type\":\"struct\",\"schema-id\":3,\"fields\":[]}";
    private const string SpecJson = "[]";
    private string _dir = null!;
    private LocalFileIO _io = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-manifest-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        _io = new LocalFileIO(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    // FsCheck supplies the seed; NUnit's analyzer does not know FsCheck's attribute.
#pragma warning disable NUnit1027
    [FsCheck.NUnit.Property(MaxTest = 40)]
    public void WriteRead_RandomManifest_RoundTrips(int seed)
#pragma warning restore NUnit1027
    {
        var rnd = new Random(seed);
        var version = 1 + Math.Abs(seed % 3);
        var content = version >= 2 && rnd.Next(3) == 0 ? ManifestContent.Deletes : ManifestContent.Data;
        const long snapshotId = 42;
        var location = $"metadata/{Guid.NewGuid():N}-m0.avro";
        var expected = new List<ManifestEntry>();
        ManifestFile written;
        using (var writer = new ManifestWriter(_io, location, RandomManifestData.Spec, RandomManifestData.Schema, version, snapshotId, content, SchemaJson, SpecJson))
        {
            var count = rnd.Next(0, 60);
            for (var i = 0; i < count; i++)
            {
                var fileContent = content == ManifestContent.Data ? FileContent.Data : (rnd.Next(2) == 0 ? FileContent.PositionDeletes : FileContent.EqualityDeletes);
                var file = RandomManifestData.File(rnd, i, fileContent);
                switch (rnd.Next(4))
                {
                    case 0:
                        writer.Add(file);
                        expected.Add(new ManifestEntry(ManifestEntryStatus.Added, snapshotId, null, null, file));
                        break;
                    case 1:
                        writer.Add(file, 3);
                        expected.Add(new ManifestEntry(ManifestEntryStatus.Added, snapshotId, 3, null, file));
                        break;
                    case 2:
                        writer.AddExisting(file, 7, 2, 5);
                        expected.Add(new ManifestEntry(ManifestEntryStatus.Existing, 7, 2, 5, file));
                        break;
                    default:
                        writer.AddDeleted(file, 1, null);
                        expected.Add(new ManifestEntry(ManifestEntryStatus.Deleted, snapshotId, 1, null, file));
                        break;
                }
            }
            written = writer.Close();
        }
        Assert.That(written.ManifestLength, Is.EqualTo(_io.GetLength(location)));
        Assert.That(written.SequenceNumber, Is.EqualTo(ManifestWriter.UnassignedSequenceNumber));
        Assert.That(written.AddedFilesCount + written.ExistingFilesCount + written.DeletedFilesCount, Is.EqualTo(expected.Count));
        Assert.That(written.AddedRowsCount, Is.EqualTo(expected.Where(e => e.Status == ManifestEntryStatus.Added).Sum(e => e.DataFile.RecordCount)));
        var live = expected.Where(e => e.Status != ManifestEntryStatus.Deleted && e.SequenceNumber is not null).Select(e => e.SequenceNumber!.Value).ToList();
        Assert.That(written.MinSequenceNumber, Is.EqualTo(live.Count == 0 ? ManifestWriter.UnassignedSequenceNumber : live.Min()));
        CheckSummaries(written, expected);

        // Through a manifest list: the commit's sequence number replaces the placeholder.
        const long commitSequence = 9;
        var listLocation = $"metadata/snap-{snapshotId}-1-{Guid.NewGuid():N}.avro";
        using (var list = new ManifestListWriter(_io, listLocation, version, snapshotId, 41, commitSequence))
        {
            list.Add(written);
            Assert.That(list.Close(), Is.EqualTo(_io.GetLength(listLocation)));
        }
        var manifest = ManifestListReader.Read(_io, listLocation).Single();
        var manifestSequence = version == 1 ? 0 : commitSequence;
        Assert.That(manifest, Is.EqualTo(written with
        {
            SequenceNumber = manifestSequence,
            MinSequenceNumber = version == 1 ? 0 : written.MinSequenceNumber == -1 ? commitSequence : written.MinSequenceNumber,
            Partitions = manifest.Partitions,
        }));
        AssertSummariesEqual(manifest.Partitions!, written.Partitions!);

        var actual = ManifestReader.Read(_io, manifest, _ => RandomManifestData.Spec, RandomManifestData.Schema).ToList();
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            Assert.That(a.Status, Is.EqualTo(e.Status));
            Assert.That(a.SnapshotId, Is.EqualTo(e.SnapshotId));
            if (version == 1)
            {
                Assert.That((a.SequenceNumber, a.FileSequenceNumber), Is.EqualTo(((long?)0, (long?)0)));
            }
            else
            {
                var inherit = e.Status == ManifestEntryStatus.Added;
                Assert.That(a.SequenceNumber, Is.EqualTo(e.SequenceNumber ?? (inherit ? manifestSequence : null)));
                Assert.That(a.FileSequenceNumber, Is.EqualTo(e.FileSequenceNumber ?? (inherit ? manifestSequence : null)));
            }
            AssertFileEqual(a.DataFile, e.DataFile, version);
        }
    }

    [Test]
    [Category(TestTier.Sweep)]
    public void WriteRead_HundredThousandEntries_Streams()
    {
        // The fast pass writes 10,000 entries: still a manifest of many 64 KB Avro blocks.
        var entries = TestTier.Size(10_000, 100_000);
        var rnd = new Random(7);
        var spec = new PartitionSpec(0, new[] { new PartitionField(2, 1000, "c1", Transform.Identity) });
        var file = RandomManifestData.File(rnd, 0, FileContent.Data) with { Partition = new PartitionData(new object?[] { 5 }), SpecId = 0 };
        var stopwatch = Stopwatch.StartNew();
        ManifestFile written;
        using (var writer = new ManifestWriter(_io, "metadata/big-m0.avro", spec, RandomManifestData.Schema, 2, 1, ManifestContent.Data, SchemaJson, SpecJson))
        {
            for (var i = 0; i < entries; i++) writer.Add(file with { FilePath = "data/" + i + ".parquet", RecordCount = i });
            written = writer.Close();
        }
        var writeTime = stopwatch.Elapsed;
        stopwatch.Restart();
        long sum = 0;
        var count = 0;
        foreach (var entry in ManifestReader.Read(_io, written with { SequenceNumber = 1 }, _ => spec, RandomManifestData.Schema))
        {
            sum += entry.DataFile.RecordCount;
            count++;
        }
        TestContext.Out.WriteLine($"{entries} entries with full metrics: write {writeTime.TotalMilliseconds:F0} ms, read {stopwatch.Elapsed.TotalMilliseconds:F0} ms, {written.ManifestLength / 1024} KiB");
        Assert.That(count, Is.EqualTo(entries));
        Assert.That(sum, Is.EqualTo((long)entries * (entries - 1) / 2));
    }

    [Test]
    public void Writer_MismatchedPartitionValue_ThrowsNamingField()
    {
        var spec = new PartitionSpec(0, new[] { new PartitionField(2, 1000, "c1_id", Transform.Identity) });
        using var writer = new ManifestWriter(_io, "metadata/x.avro", spec, RandomManifestData.Schema, 2, 1, ManifestContent.Data, SchemaJson, SpecJson);
        var file = new DataFile { FilePath = "data/a.parquet", Partition = new PartitionData(new object?[] { "not an int" }) };
        var e = Assert.Throws<FloeException>(() => writer.Add(file));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(e.Message, Does.Contain("data/a.parquet").And.Contain("c1_id"));
        writer.Add(file with { Partition = new PartitionData(new object?[] { 3 }) });
        Assert.That(writer.EntryCount, Is.EqualTo(1), "the failed entry left nothing behind");
        var manifest = writer.Close() with { SequenceNumber = 1 };
        Assert.That(ManifestReader.Read(_io, manifest, _ => spec, null).Single().DataFile.Partition[0], Is.EqualTo(3));
    }

    [Test]
    public void Writer_DeleteFileInDataManifest_Throws()
    {
        using var writer = new ManifestWriter(_io, "metadata/x.avro", PartitionSpec.Unpartitioned, RandomManifestData.Schema, 2, 1, ManifestContent.Data, SchemaJson, SpecJson);
        var e = Assert.Throws<FloeException>(() => writer.Add(new DataFile { FilePath = "d.parquet", Content = FileContent.PositionDeletes, Partition = PartitionData.Empty }));
        Assert.That(e!.Message, Does.Contain("d.parquet"));
    }

    [Test]
    public void Writer_Metadata_MatchesJava()
    {
        var location = "metadata/meta-m0.avro";
        using (var writer = new ManifestWriter(_io, location, RandomManifestData.Spec, RandomManifestData.Schema, 2, 1, ManifestContent.Deletes, SchemaJson, "[{\"x\":1}]"))
        {
            writer.Close();
        }
        var meta = ManifestReader.ReadMetadata(_io, location);
        Assert.That(meta["schema"], Is.EqualTo(SchemaJson));
        Assert.That(meta["schema-id"], Is.EqualTo("3"));
        Assert.That(meta["partition-spec"], Is.EqualTo("[{\"x\":1}]"));
        Assert.That(meta["partition-spec-id"], Is.EqualTo("4"));
        Assert.That(meta["format-version"], Is.EqualTo("2"));
        Assert.That(meta["content"], Is.EqualTo("deletes"));
        var reader = Floe.Iceberg.Manifests.AvroFiles.Open(_io, location);
        var schemaText = reader.GetMetadata("avro.schema")!;
        Assert.That(schemaText, Does.Contain("\"name\":\"_9c_day\"").And.Contain("\"name\":\"c13_x2Edotted_x20name_id\""), "Java's name escaping");
        Assert.That(schemaText, Does.Contain("\"logicalType\":\"date\"").And.Contain("\"logicalType\":\"map\"").And.Contain("\"adjust-to-utc\":true"));
        Assert.That(reader.GetMetadata("avro.codec"), Is.EqualTo("deflate"));
    }

    [Test]
    public void ListWriter_UnassignedManifestOfOtherSnapshot_Throws()
    {
        using var list = new ManifestListWriter(_io, "metadata/snap.avro", 2, 5, null, 3);
        var foreign = new ManifestFile { ManifestPath = "m.avro", AddedSnapshotId = 4, SequenceNumber = -1, MinSequenceNumber = -1, AddedFilesCount = 0, ExistingFilesCount = 0, DeletedFilesCount = 0, AddedRowsCount = 0, ExistingRowsCount = 0, DeletedRowsCount = 0 };
        Assert.Throws<FloeException>(() => list.Add(foreign));
        var kept = list.Add(foreign with { SequenceNumber = 2, MinSequenceNumber = 1 });
        Assert.That((kept.SequenceNumber, kept.MinSequenceNumber), Is.EqualTo((2L, 1L)), "assigned manifests keep their numbers");
    }

    [Test]
    public void ListWriter_Metadata_MatchesJava()
    {
        using (var list = new ManifestListWriter(_io, "metadata/snap.avro", 2, 5, null, 3))
        {
            list.Close();
        }
        var reader = Floe.Iceberg.Manifests.AvroFiles.Open(_io, "metadata/snap.avro");
        Assert.That(reader.GetMetadata("snapshot-id"), Is.EqualTo("5"));
        Assert.That(reader.GetMetadata("parent-snapshot-id"), Is.EqualTo("null"));
        Assert.That(reader.GetMetadata("sequence-number"), Is.EqualTo("3"));
        Assert.That(reader.GetMetadata("format-version"), Is.EqualTo("2"));
        Assert.That(ManifestListReader.Read(_io, "metadata/snap.avro"), Is.Empty);
    }

    [Test]
    public void Read_TruncatedManifest_ThrowsInvalidDataNamingFile()
    {
        var rnd = new Random(1);
        ManifestFile written;
        using (var writer = new ManifestWriter(_io, "metadata/t-m0.avro", RandomManifestData.Spec, RandomManifestData.Schema, 2, 1, ManifestContent.Data, SchemaJson, SpecJson))
        {
            for (var i = 0; i < 50; i++) writer.Add(RandomManifestData.File(rnd, i, FileContent.Data));
            written = writer.Close();
        }
        var path = Path.Combine(_dir, "metadata/t-m0.avro");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        var e = Assert.Throws<FloeException>(() => ManifestReader.Read(_io, written with { SequenceNumber = 1 }, _ => RandomManifestData.Spec, null).ToList());
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(e.Message, Does.StartWith("metadata/t-m0.avro:").And.Contain("block 0"));

        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        e = Assert.Throws<FloeException>(() => ManifestListReader.Read(_io, "metadata/t-m0.avro"));
        Assert.That(e!.Message, Does.StartWith("metadata/t-m0.avro:"));
    }

    private static void CheckSummaries(ManifestFile written, List<ManifestEntry> entries)
    {
        var spec = RandomManifestData.Spec;
        Assert.That(written.Partitions, Has.Count.EqualTo(spec.Fields.Count));
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            var type = RandomManifestData.ResultType(spec.Fields[i]);
            var values = entries.Select(e => e.DataFile.Partition[i]).ToList();
            var summary = written.Partitions![i];
            Assert.That(summary.ContainsNull, Is.EqualTo(values.Any(v => v is null)), spec.Fields[i].Name);
            Assert.That(summary.ContainsNan, Is.EqualTo(values.Any(v => v is float.NaN or double.NaN)), spec.Fields[i].Name);
            var real = values.Where(v => v is not null && v is not float.NaN && v is not double.NaN).Select(v => v!).ToList();
            if (real.Count == 0)
            {
                Assert.That(summary.LowerBound, Is.Null);
                continue;
            }
            var lower = Conversions.FromBytes(type, summary.LowerBound!);
            var upper = Conversions.FromBytes(type, summary.UpperBound!);
            Assert.That(real.Any(v => ValueOrder.Compare(type, v, lower) == 0), Is.True, "lower bound is a value");
            Assert.That(real.All(v => ValueOrder.Compare(type, v, lower) >= 0 && ValueOrder.Compare(type, v, upper) <= 0), Is.True, spec.Fields[i].Name);
        }
    }

    private static void AssertSummariesEqual(IReadOnlyList<PartitionFieldSummary> actual, IReadOnlyList<PartitionFieldSummary> expected)
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.That((actual[i].ContainsNull, actual[i].ContainsNan), Is.EqualTo((expected[i].ContainsNull, expected[i].ContainsNan)));
            Assert.That(actual[i].LowerBound, Is.EqualTo(expected[i].LowerBound));
            Assert.That(actual[i].UpperBound, Is.EqualTo(expected[i].UpperBound));
        }
    }

    private static void AssertFileEqual(DataFile a, DataFile e, int version)
    {
        Assert.That(a.Content, Is.EqualTo(e.Content));
        Assert.That(a.FilePath, Is.EqualTo(e.FilePath));
        Assert.That(a.FileFormat, Is.EqualTo(e.FileFormat));
        Assert.That(a.SpecId, Is.EqualTo(e.SpecId));
        Assert.That(a.Partition, Is.EqualTo(e.Partition), $"{a.Partition} vs {e.Partition}");
        for (var i = 0; i < a.Partition.Count; i++)
        {
            Assert.That(a.Partition[i]?.GetType(), Is.EqualTo(e.Partition[i]?.GetType()), $"partition {i} CLR type");
        }
        Assert.That((a.RecordCount, a.FileSizeInBytes), Is.EqualTo((e.RecordCount, e.FileSizeInBytes)));
        Assert.That(a.ColumnSizes, Is.EqualTo(e.ColumnSizes));
        Assert.That(a.ValueCounts, Is.EqualTo(e.ValueCounts));
        Assert.That(a.NullValueCounts, Is.EqualTo(e.NullValueCounts));
        Assert.That(a.NanValueCounts, Is.EqualTo(e.NanValueCounts));
        Assert.That(a.LowerBounds, Is.EqualTo(e.LowerBounds));
        Assert.That(a.UpperBounds, Is.EqualTo(e.UpperBounds));
        Assert.That(a.KeyMetadata, Is.EqualTo(e.KeyMetadata));
        Assert.That(a.SplitOffsets, Is.EqualTo(e.SplitOffsets));
        Assert.That(a.SortOrderId, Is.EqualTo(e.SortOrderId));
        if (version >= 2)
        {
            Assert.That(a.EqualityIds, Is.EqualTo(e.EqualityIds));
            Assert.That(a.ReferencedDataFile, Is.EqualTo(e.ReferencedDataFile));
        }
    }
}
