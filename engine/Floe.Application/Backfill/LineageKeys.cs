namespace Floe.Application.Backfill;

/// <summary>The snapshot-summary properties a backfill records, and that <see cref="LineageService"/> reads back.</summary>
public static class LineageKeys
{
    /// <summary>Prefix shared by every lineage property.</summary>
    public const string Prefix = "floe.";

    /// <summary>The definition's <c>name</c>.</summary>
    public const string DefinitionName = "floe.definition.name";

    /// <summary>The definition's <c>version</c>.</summary>
    public const string DefinitionVersion = "floe.definition.version";

    /// <summary>SHA-256 of the canonical definition (see <see cref="Floe.Features.Definitions.DefinitionHash"/>).</summary>
    public const string DefinitionSha256 = "floe.definition.sha256";

    /// <summary>The git commit of the repository holding the definition, or the version the caller gave.</summary>
    public const string CodeVersion = "floe.code-version";

    /// <summary><c>true</c> when that repository had uncommitted changes; absent when the version was given.</summary>
    public const string CodeDirty = "floe.code-dirty";

    /// <summary>Floe's own version.</summary>
    public const string EngineVersion = "floe.engine-version";

    /// <summary>First day of the backfill run (ISO date).</summary>
    public const string BackfillFrom = "floe.backfill.from";

    /// <summary>End of the backfill run (exclusive, ISO date).</summary>
    public const string BackfillTo = "floe.backfill.to";

    /// <summary>First day this snapshot replaced (ISO date).</summary>
    public const string CommitFrom = "floe.backfill.commit-from";

    /// <summary>End of the days this snapshot replaced (exclusive, ISO date); a resumed run starts here.</summary>
    public const string CommitTo = "floe.backfill.commit-to";

    /// <summary>The source table read, when the source is a table.</summary>
    public const string SourceTable = "floe.source.table";

    /// <summary>The source table's snapshot read.</summary>
    public const string SourceSnapshotId = "floe.source.snapshot-id";

    /// <summary>The source file(s) read, when the source is files (full paths, comma-separated).</summary>
    public const string SourceFiles = "floe.source.files";
}
