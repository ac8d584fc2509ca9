using Floe.Core.Errors;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Appends data files in a new manifest and keeps every manifest of the parent as it is: the commit reads
/// only the parent's manifest list and rewrites no manifest. Appends never conflict with other commits.
/// </summary>
public sealed class FastAppend : SnapshotProducer
{
    private readonly List<DataFile> _files = new();
    private IReadOnlyList<ManifestFile>? _newManifests;

    /// <summary>Creates an append on <paramref name="table"/>.</summary>
    public FastAppend(Table table)
        : base(table)
    {
    }

    /// <inheritdoc />
    protected override string Operation => "append";

    /// <summary>Adds a data file (its SpecId must be a spec of the table).</summary>
    public FastAppend AppendFile(DataFile file)
    {
        if (file.Content != FileContent.Data) throw Errors.InvalidArgument($"{file.FilePath}: only data files can be appended");
        _files.Add(file);
        return this;
    }

    private protected override IReadOnlyList<ManifestFile> Apply(TableMetadata metadata, Snapshot? parent, SnapshotSummaryBuilder summary)
    {
        _newManifests ??= _files
            .GroupBy(f => f.SpecId)
            .Select(g => WriteManifest(metadata, metadata.SpecById(g.Key), ManifestContent.Data,
                g.Select(f => new ManifestEntry(ManifestEntryStatus.Added, SnapshotId, null, null, f))))
            .ToList();
        foreach (var f in _files) summary.Added(f);
        var result = new List<ManifestFile>(_newManifests);
        result.AddRange(ManifestsOf(parent));
        return result;
    }
}
