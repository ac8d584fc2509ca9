namespace Floe.Application.Ingest;

/// <summary>How ingested rows combine with the table's existing rows.</summary>
public enum IngestMode
{
    /// <summary>Add the rows (fast append).</summary>
    Append,
    /// <summary>Replace every partition present in the new rows, atomically (dynamic partition overwrite).</summary>
    OverwritePartitions,
}

/// <summary>Options of an ingest.</summary>
public sealed record IngestOptions
{
    /// <summary>Append or dynamic partition overwrite.</summary>
    public IngestMode Mode { get; init; } = IngestMode.Append;
    /// <summary>The branch to commit to (default main).</summary>
    public string Branch { get; init; } = "main";
    /// <summary>Custom snapshot summary properties (lineage such as floe.code-version).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}
