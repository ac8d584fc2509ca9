using Floe.Iceberg.Manifests;
using Floe.Iceberg.Spec;
using NUnit.Framework;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Iceberg.Tests.V3;

/// <summary>Checks a v3 table's row lineage against the spec's invariants, from the files themselves.</summary>
internal static class RowLineageAssert
{
    /// <summary>
    /// For every snapshot with a first-row-id: the data manifests' first_row_ids lie in
    /// [first-row-id, first-row-id + added-rows) when assigned by it, every live data file has a first_row_id, the
    /// files' id ranges do not overlap and stay below next-row-id. Returns the live files of the current snapshot.
    /// </summary>
    public static List<DataFile> Consistent(Table table)
    {
        var m = table.Refresh().Metadata;
        Assert.That(m.FormatVersion, Is.EqualTo(3));
        Assert.That(m.NextRowId, Is.Not.Null);
        List<DataFile> current = new();
        foreach (var s in m.Snapshots)
        {
            if (s.FirstRowId is null) continue;
            Assert.That(s.AddedRows, Is.Not.Null, $"snapshot {s.SnapshotId} added-rows");
            Assert.That(s.FirstRowId + s.AddedRows, Is.LessThanOrEqualTo(m.NextRowId), $"snapshot {s.SnapshotId} beyond next-row-id");
            var ranges = new List<(long First, long End, string Path)>();
            var files = new List<DataFile>();
            foreach (var manifest in ManifestListReader.Read(table.Io, s.ManifestList))
            {
                if (manifest.Content == ManifestContent.Deletes)
                {
                    Assert.That(manifest.FirstRowId, Is.Null, "delete manifests carry no first_row_id");
                    continue;
                }
                Assert.That(manifest.FirstRowId, Is.Not.Null, $"{manifest.ManifestPath}: data manifest without first_row_id");
                foreach (var e in ManifestReader.Read(table.Io, manifest, m.SpecById, m.CurrentSchema))
                {
                    if (e.Status == ManifestEntryStatus.Deleted) continue;
                    Assert.That(e.DataFile.FirstRowId, Is.Not.Null, $"{e.DataFile.FilePath}: no first_row_id");
                    ranges.Add((e.DataFile.FirstRowId!.Value, e.DataFile.FirstRowId!.Value + e.DataFile.RecordCount, e.DataFile.FilePath));
                    files.Add(e.DataFile);
                }
            }
            ranges.Sort();
            for (var i = 1; i < ranges.Count; i++)
            {
                Assert.That(ranges[i].First, Is.GreaterThanOrEqualTo(ranges[i - 1].End), $"row ids of {ranges[i - 1].Path} and {ranges[i].Path} overlap");
            }
            if (ranges.Count > 0) Assert.That(ranges[^1].End, Is.LessThanOrEqualTo(m.NextRowId));
            if (s.SnapshotId == m.CurrentSnapshotId) current = files;
        }
        return current;
    }

    /// <summary>The first_row_id values as written in the manifest (without inheritance), by file path.</summary>
    public static Dictionary<string, long?> Persisted(Table table, ManifestFile manifest)
    {
        var result = new Dictionary<string, long?>();
        foreach (var e in ManifestReader.Read(table.Io, manifest with { FirstRowId = null }, table.Metadata.SpecById, table.Metadata.CurrentSchema))
        {
            result[e.DataFile.FilePath] = e.DataFile.FirstRowId;
        }
        return result;
    }
}
