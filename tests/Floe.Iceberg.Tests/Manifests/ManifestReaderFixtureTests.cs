using Floe.Core.Errors;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Manifests;

/// <summary>Reads every manifest list and manifest of the foreign-writer fixtures and checks the recorded counts.</summary>
[TestFixture]
public sealed class ManifestReaderFixtureTests
{
    // From shared/fixtures/iceberg/README.md "Inspect results": live data files / records, position-delete
    // files / rows, equality-delete files / rows per snapshot.
    private static readonly object[] Snapshots =
    {
        new object[] { "duckdb-column-defaults", 8904642012249016277L, 1, 2L, 0, 0L, 0, 0L },
        new object[] { "duckdb-column-defaults", 1915606074736806848L, 2, 3L, 0, 0L, 0, 0L },
        new object[] { "duckdb-eqdel-partitioned", 6447922032991303611L, 4, 4L, 0, 0L, 0, 0L },
        new object[] { "duckdb-eqdel-partitioned", 4416477559988274704L, 4, 4L, 0, 0L, 1, 1L },
        new object[] { "duckdb-eqdel-partitioned", 6022113614852838397L, 4, 4L, 0, 0L, 2, 2L },
        new object[] { "duckdb-eqdel-partitioned", 883882341917253211L, 6, 6L, 0, 0L, 2, 2L },
        new object[] { "duckdb-eqdel-partitioned", 3138177759849079112L, 6, 6L, 0, 0L, 3, 3L },
        new object[] { "duckdb-eqdel-unpartitioned", 853766660775201079L, 1, 4L, 0, 0L, 0, 0L },
        new object[] { "duckdb-eqdel-unpartitioned", 1584331123492059582L, 1, 4L, 0, 0L, 2, 2L },
        new object[] { "duckdb-eqdel-unpartitioned", 842401149381792626L, 1, 4L, 0, 0L, 3, 3L },
        new object[] { "duckdb-eqdel-unpartitioned", 3340507003387467420L, 2, 6L, 0, 0L, 3, 3L },
        new object[] { "duckdb-eqdel-unpartitioned", 1916084761853986166L, 2, 6L, 0, 0L, 4, 4L },
        new object[] { "duckdb-lineitem", 7817332053627255703L, 1, 60175L, 0, 0L, 0, 0L },
        new object[] { "duckdb-lineitem", 2354745328521181395L, 1, 51793L, 0, 0L, 0, 0L },
        new object[] { "duckdb-map-stats-day", 8792170059756986233L, 1, 1L, 0, 0L, 0, 0L },
        new object[] { "duckdb-map-stats-day", 554549470069664013L, 2, 2L, 0, 0L, 0, 0L },
        new object[] { "duckdb-partition-evolution", 2541674261311761067L, 2, 2L, 0, 0L, 0, 0L },
        new object[] { "duckdb-partition-evolution", 5128628767169163501L, 6, 6L, 0, 0L, 0, 0L },
        new object[] { "duckdb-partition-timestamp", 2508913168551256223L, 2, 2L, 0, 0L, 0, 0L },
        new object[] { "duckdb-redpanda-hour-tag", 2608844449237347010L, 1, 1L, 0, 0L, 0, 0L },
        new object[] { "duckdb-v1-merch", 3549704636346557910L, 1, 3L, 0, 0L, 0, 0L },
        new object[] { "duckdb-v1-merch", 381223374871251311L, 2, 6L, 0, 0L, 0, 0L },
        new object[] { "duckdb-v1-merch", 5191822260710938731L, 2, 4L, 0, 0L, 0, 0L },
        new object[] { "icebird-athena-example", 6838723292707092922L, 1, 2L, 0, 0L, 0, 0L },
        new object[] { "icebird-java-bunnies", 4951213507629824583L, 1, 21L, 0, 0L, 0, 0L },
        new object[] { "icebird-java-bunnies", 6458828015811002920L, 1, 21L, 1, 6L, 0, 0L },
        new object[] { "icebird-java-bunnies", 9158179788527662767L, 2, 22L, 1, 6L, 1, 1L },
        new object[] { "icebird-spark-bunnies", 7505300640432048841L, 1, 21L, 0, 0L, 0, 0L },
        new object[] { "icebird-spark-bunnies", 469881615898633426L, 1, 21L, 1, 1L, 0, 0L },
        new object[] { "icebird-spark-bunnies", 2701171901096418979L, 1, 20L, 1, 1L, 0, 0L },
        new object[] { "icebird-spark-rename-column", 5276958600260276572L, 3, 4L, 0, 0L, 0, 0L },
        new object[] { "polars-v1-day", 7051579356916758811L, 2, 3L, 0, 0L, 0, 0L },
    };

    [TestCaseSource(nameof(Snapshots))]
    public void Read_FixtureSnapshot_MatchesRecordedCounts(string fixture, long snapshotId, int dataFiles, long records, int posFiles, long posRows, int eqFiles, long eqRows)
    {
        var table = FixtureTable.Load(fixture);
        var counts = new long[6];
        foreach (var schema in new[] { table.Schema, null })
        {
            Array.Clear(counts);
            foreach (var manifest in ManifestListReader.Read(table.Io, table.ManifestLists[snapshotId]))
            {
                foreach (var entry in ManifestReader.Read(table.Io, manifest, table.SpecById, schema))
                {
                    Assert.That(entry.DataFile.SpecId, Is.EqualTo(manifest.PartitionSpecId));
                    Assert.That(entry.DataFile.Partition.Count, Is.EqualTo(table.SpecById(manifest.PartitionSpecId).Fields.Count));
                    Assert.That(entry.SnapshotId, Is.Not.Null);
                    if (entry.Status == ManifestEntryStatus.Deleted) continue;
                    Assert.That(entry.SequenceNumber, Is.Not.Null, "live entries must have a data sequence number");
                    var k = (int)entry.DataFile.Content * 2;
                    counts[k]++;
                    counts[k + 1] += entry.DataFile.RecordCount;
                }
            }
            Assert.That(counts, Is.EqualTo(new long[] { dataFiles, records, posFiles, posRows, eqFiles, eqRows }), schema is null ? "without schema" : "with schema");
        }
    }

    [TestCaseSource(typeof(FixtureTable), nameof(FixtureTable.Names))]
    public void Read_EveryManifestFile_DecodesWithoutError(string fixture)
    {
        var table = FixtureTable.Load(fixture);
        var lists = 0;
        var entries = 0;
        foreach (var list in Directory.GetFiles(Path.Combine(table.Folder, "metadata"), "snap-*.avro"))
        {
            lists++;
            foreach (var manifest in ManifestListReader.Read(table.Io, list))
            {
                if (!table.Io.Exists(manifest.ManifestPath)) continue; // retry leftovers may point at missing manifests
                Assert.That(manifest.ManifestLength, Is.EqualTo(table.Io.GetLength(manifest.ManifestPath)).Or.GreaterThan(0));
                entries += ManifestReader.Read(table.Io, manifest, table.SpecById, table.Schema).Count();
            }
        }
        Assert.That(lists, Is.GreaterThan(0));
        Assert.That(entries, Is.GreaterThan(0));
    }

    [Test]
    public void Read_V1Manifests_DefaultSequenceNumbersToZero()
    {
        var table = FixtureTable.Load("duckdb-v1-merch");
        var manifests = ManifestListReader.Read(table.Io, table.ManifestLists[5191822260710938731L]);
        Assert.That(manifests.Select(m => m.SequenceNumber), Is.All.EqualTo(0L));
        Assert.That(manifests.Select(m => m.Content), Is.All.EqualTo(ManifestContent.Data));
        var entries = manifests.SelectMany(m => ManifestReader.Read(table.Io, m, table.SpecById, table.Schema)).ToList();
        Assert.That(entries.Any(e => e.Status == ManifestEntryStatus.Existing), Is.True);
        Assert.That(entries.Select(e => e.SequenceNumber), Is.All.EqualTo(0L));
    }

    [Test]
    public void Read_V2AddedEntries_InheritManifestSequenceNumber()
    {
        var table = FixtureTable.Load("icebird-java-bunnies");
        var manifests = ManifestListReader.Read(table.Io, table.ManifestLists[9158179788527662767L]);
        Assert.That(manifests.Select(m => m.SequenceNumber), Is.SupersetOf(new[] { 3L }));
        foreach (var manifest in manifests)
        {
            foreach (var entry in ManifestReader.Read(table.Io, manifest, table.SpecById, table.Schema))
            {
                if (entry.Status == ManifestEntryStatus.Added)
                {
                    Assert.That(entry.SequenceNumber, Is.EqualTo(manifest.SequenceNumber));
                    Assert.That(entry.FileSequenceNumber, Is.EqualTo(manifest.SequenceNumber));
                }
                Assert.That(entry.SequenceNumber, Is.LessThanOrEqualTo(manifest.SequenceNumber));
            }
        }
    }

    [Test]
    public void Read_EqualityDeletes_CarryEqualityIds()
    {
        var table = FixtureTable.Load("icebird-java-bunnies");
        var deletes = ManifestListReader.Read(table.Io, table.ManifestLists[9158179788527662767L])
            .Where(m => m.Content == ManifestContent.Deletes)
            .SelectMany(m => ManifestReader.Read(table.Io, m, table.SpecById, table.Schema))
            .Where(e => e.DataFile.Content == FileContent.EqualityDeletes)
            .ToList();
        Assert.That(deletes, Has.Count.EqualTo(1));
        Assert.That(deletes[0].DataFile.EqualityIds, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Read_EscapedPartitionName_MatchesByFieldId()
    {
        var table = FixtureTable.Load("duckdb-redpanda-hour-tag");
        var manifest = ManifestListReader.Read(table.Io, table.ManifestLists[2608844449237347010L]).Single();
        var entry = ManifestReader.Read(table.Io, manifest, table.SpecById, table.Schema).Single();
        Assert.That(entry.DataFile.Partition.Count, Is.EqualTo(1));
        Assert.That(entry.DataFile.Partition[0], Is.TypeOf<int>().And.GreaterThan(400_000), "hours since epoch");
    }

    [Test]
    public void Read_PartitionValues_TakeResultTypes()
    {
        var table = FixtureTable.Load("icebird-spark-rename-column");
        var manifest = ManifestListReader.Read(table.Io, table.ManifestLists[5276958600260276572L]).Single();
        var partitions = ManifestReader.Read(table.Io, manifest, table.SpecById, table.Schema).Select(e => e.DataFile.Partition).ToList();
        Assert.That(partitions.Select(p => p[0]), Is.All.TypeOf<int>().And.InRange(0, 3), "bucket[4]");
        Assert.That(partitions.Select(p => p[1]), Has.Some.Null, "the date=null partition");
        Assert.That(partitions.Select(p => p[1]).OfType<int>(), Is.Not.Empty, "dates are days (int)");

        var day = FixtureTable.Load("duckdb-map-stats-day");
        var dayManifest = ManifestListReader.Read(day.Io, day.ManifestLists[8792170059756986233L]).Single();
        var value = ManifestReader.Read(day.Io, dayManifest, day.SpecById, day.Schema).Single().DataFile.Partition[0];
        Assert.That(value, Is.EqualTo((int)(new DateTime(2026, 1, 1) - DateTime.UnixEpoch).TotalDays));

        var ts = FixtureTable.Load("duckdb-partition-timestamp");
        var tsManifest = ManifestListReader.Read(ts.Io, ts.ManifestLists[2508913168551256223L]).Single();
        Assert.That(ManifestReader.Read(ts.Io, tsManifest, ts.SpecById, ts.Schema).Select(e => e.DataFile.Partition[0]), Is.All.TypeOf<long>());
    }

    [Test]
    public void Read_Bounds_DecodeWithConversions()
    {
        var table = FixtureTable.Load("duckdb-lineitem");
        var manifest = ManifestListReader.Read(table.Io, table.ManifestLists[7817332053627255703L]).Single();
        var file = ManifestReader.Read(table.Io, manifest, table.SpecById, table.Schema).Single().DataFile;
        Assert.That(file.LowerBounds, Is.Not.Null.And.Not.Empty);
        foreach (var (id, bytes) in file.LowerBounds!)
        {
            if (table.Schema!.FindField(id)?.Type is not PrimitiveType type) continue;
            var lower = Conversions.FromBytes(type, bytes);
            var upper = Conversions.FromBytes(type, file.UpperBounds![id]);
            Assert.That(lower, Is.Not.Null);
            Assert.That(upper, Is.Not.Null);
            if (lower is IComparable c && type.Id != TypeId.String) Assert.That(c.CompareTo(upper), Is.LessThanOrEqualTo(0), $"field {id}");
        }
        Assert.That(file.ValueCounts!.Values, Is.All.EqualTo(60175L));
    }

    [Test]
    public void Read_MissingManifestList_ThrowsNotFound()
    {
        var table = FixtureTable.Load("duckdb-eqdel-unpartitioned");
        var e = Assert.Throws<FloeException>(() => ManifestListReader.Read(table.Io, table.ManifestLists[7342794868382145167L]));
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.NotFound));
        Assert.That(e.Message, Does.Contain("snap-7342794868382145167"));
    }
}
