namespace Floe.Features.Definitions;

/// <summary>Where a feature group's events come from: an Iceberg table (<c>ns.table</c>) or Parquet/CSV files.</summary>
public sealed class SourceDefinition
{
    /// <summary>Creates a source; exactly one of <paramref name="table"/> and <paramref name="files"/> is set.</summary>
    public SourceDefinition(string? table, IReadOnlyList<string> files)
    {
        Table = table;
        Files = files;
    }

    /// <summary>The Iceberg table identifier (<c>namespace.table</c>), or null for files.</summary>
    public string? Table { get; }

    /// <summary>File paths (relative paths are relative to the definition file), empty for a table.</summary>
    public IReadOnlyList<string> Files { get; }
}
