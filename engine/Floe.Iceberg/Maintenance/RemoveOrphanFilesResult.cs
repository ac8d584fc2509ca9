namespace Floe.Iceberg.Maintenance;

/// <summary>What <see cref="RemoveOrphanFiles"/> found (and, unless a dry run, deleted).</summary>
/// <param name="OrphanFiles">Files under the table location that no metadata references, older than the cut-off.</param>
/// <param name="ReferencedFiles">How many distinct files the table's metadata references.</param>
/// <param name="OlderThanMs">The cut-off: younger files were left alone whatever they are.</param>
/// <param name="DryRun">True when nothing was deleted.</param>
public sealed record RemoveOrphanFilesResult(IReadOnlyList<string> OrphanFiles, int ReferencedFiles, long OlderThanMs, bool DryRun);
