using System.Globalization;
using Floe.Core.Errors;
using Floe.Iceberg.Manifests;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// An append that keeps the manifest list short, as Iceberg's default append does: the new manifest and the
/// parent's data manifests of the same spec are packed (newest first, packed from the oldest end) into bins of
/// <c>commit.manifest.target-size-bytes</c> (8 MiB). A bin holding the new manifest is merged only once it holds
/// <c>commit.manifest.min-count-to-merge</c> (100) manifests; any other bin of several manifests is merged into
/// one. Only manifests in merged bins are read and rewritten; the others are carried over as they are.
/// With <c>commit.manifest-merge.enabled=false</c> it behaves exactly like <see cref="FastAppend"/>, which is this
/// producer with merging always off.
/// </summary>
public class MergeAppend : SnapshotProducer
{
    /// <summary>Table property switching merging on or off (default true).</summary>
    public const string MergeEnabledProperty = "commit.manifest-merge.enabled";

    /// <summary>Table property: manifests a bin with the new manifest needs before it is merged (default 100).</summary>
    public const string MinCountToMergeProperty = "commit.manifest.min-count-to-merge";

    /// <summary>Table property: target size of merged manifests in bytes (default 8 MiB).</summary>
    public const string TargetSizeBytesProperty = "commit.manifest.target-size-bytes";

    private readonly List<DataFile> _files = new();
    private readonly bool _mayMerge;

    /// <summary>Creates an append on <paramref name="table"/>.</summary>
    public MergeAppend(Table table)
        : this(table, mayMerge: true)
    {
    }

    /// <summary>Creates an append on <paramref name="table"/> that merges manifests only when <paramref name="mayMerge"/> (and the table allows it).</summary>
    private protected MergeAppend(Table table, bool mayMerge)
        : base(table)
    {
        _mayMerge = mayMerge;
    }

    /// <inheritdoc />
    protected override string Operation => "append";

    /// <summary>Adds a data file (its SpecId must be a spec of the table).</summary>
    public MergeAppend AppendFile(DataFile file)
    {
        _files.Add(RequireDataFile(file, "appended"));
        return this;
    }

    private protected override IReadOnlyList<ManifestFile> Apply(TableMetadata metadata, Snapshot? parent, SnapshotSummaryBuilder summary)
    {
        var added = AddedDataManifests(metadata, _files, summary);
        var all = new List<ManifestFile>(added);
        all.AddRange(ManifestsOf(metadata, parent));
        if (!_mayMerge || !Bool(metadata, MergeEnabledProperty, true)) return all;
        var minCount = (int)Long(metadata, MinCountToMergeProperty, 100);
        var targetSize = Long(metadata, TargetSizeBytesProperty, 8L * 1024 * 1024);

        // Group data manifests by spec in order of first appearance; delete manifests pass through untouched.
        var groups = new List<(int SpecId, List<ManifestFile> Manifests)>();
        var result = new List<ManifestFile>(all.Count);
        foreach (var m in all)
        {
            if (m.Content != ManifestContent.Data)
            {
                continue;
            }
            var index = groups.FindIndex(g => g.SpecId == m.PartitionSpecId);
            if (index < 0)
            {
                groups.Add((m.PartitionSpecId, new List<ManifestFile>()));
                index = groups.Count - 1;
            }
            groups[index].Manifests.Add(m);
        }
        foreach (var (specId, manifests) in groups)
        {
            var first = manifests[0];
            foreach (var bin in PackFromEnd(manifests, targetSize))
            {
                if (bin.Count == 1 || (bin.Contains(first) && bin.Count < minCount))
                {
                    result.AddRange(bin);
                }
                else
                {
                    result.Add(Merge(metadata, metadata.SpecById(specId), bin, added));
                }
            }
        }
        foreach (var m in all)
        {
            if (m.Content != ManifestContent.Data) result.Add(m);
        }
        return result;
    }

    /// <summary>
    /// Greedy bin packing by manifest length from the oldest end, so the older bins are full and the bin with the
    /// newest manifests takes the remainder (merging it again soon costs little). Order is kept within and across bins.
    /// </summary>
    private static List<List<ManifestFile>> PackFromEnd(List<ManifestFile> manifests, long targetSize)
    {
        var bins = new List<List<ManifestFile>>();
        var current = new List<ManifestFile>();
        long size = 0;
        for (var i = manifests.Count - 1; i >= 0; i--)
        {
            var m = manifests[i];
            if (current.Count > 0 && size + m.ManifestLength > targetSize)
            {
                current.Reverse();
                bins.Add(current);
                current = new List<ManifestFile>();
                size = 0;
            }
            current.Add(m);
            size += m.ManifestLength;
        }
        if (current.Count > 0)
        {
            current.Reverse();
            bins.Add(current);
        }
        bins.Reverse();
        return bins;
    }

    /// <summary>
    /// Rewrites <paramref name="bin"/> as one manifest: this operation's files stay added, live files of earlier
    /// snapshots become existing (keeping their snapshot id and sequence numbers), files deleted earlier are dropped.
    /// </summary>
    private ManifestFile Merge(TableMetadata metadata, PartitionSpec spec, List<ManifestFile> bin, IReadOnlyList<ManifestFile> added)
    {
        var entries = new List<ManifestEntry>();
        foreach (var manifest in bin)
        {
            if (added.Contains(manifest))
            {
                foreach (var f in _files)
                {
                    if (f.SpecId == spec.SpecId) entries.Add(new ManifestEntry(ManifestEntryStatus.Added, SnapshotId, null, null, f));
                }
                continue;
            }
            foreach (var entry in ManifestReader.Read(Table.Io, manifest, metadata.SpecById, metadata.CurrentSchema))
            {
                if (entry.Status == ManifestEntryStatus.Deleted) continue;
                entries.Add(entry with { Status = ManifestEntryStatus.Existing });
            }
        }
        return WriteManifest(metadata, spec, ManifestContent.Data, entries);
    }

    private static bool Bool(TableMetadata metadata, string key, bool fallback) =>
        metadata.Properties.TryGetValue(key, out var s) && bool.TryParse(s, out var b) ? b : fallback;

    private static long Long(TableMetadata metadata, string key, long fallback) =>
        metadata.Properties.TryGetValue(key, out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
