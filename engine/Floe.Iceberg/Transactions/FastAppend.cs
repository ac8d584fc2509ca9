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
        _files.Add(RequireDataFile(file, "appended"));
        return this;
    }

    private protected override IReadOnlyList<ManifestFile> Apply(TableMetadata metadata, Snapshot? parent, SnapshotSummaryBuilder summary)
    {
        var added = AddedDataManifests(metadata, _files, summary);
        var result = new List<ManifestFile>(added);
        result.AddRange(ManifestsOf(parent));
        return result;
    }
}
