namespace Floe.Application.Backfill;

/// <summary>What <see cref="BackfillService.Run"/> computes and where it commits.</summary>
public sealed record BackfillRequest
{
    /// <summary>The feature group definition file (.json, .yaml or .yml).</summary>
    public required string DefinitionPath { get; init; }

    /// <summary>First day written (inclusive); must be a UTC midnight.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the days written (exclusive); must be a UTC midnight after <see cref="From"/>.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Replaces the definition's source: a .csv/.parquet file or a <c>namespace.table</c>; null keeps it.</summary>
    public string? Source { get; init; }

    /// <summary>The code version recorded in lineage; null asks git about the repository holding the definition.</summary>
    public string? CodeVersion { get; init; }

    /// <summary>The branch committed to (created from main when missing); null commits to main unless <see cref="Wap"/>.</summary>
    public string? Branch { get; init; }

    /// <summary>Write-audit-publish: commit to <see cref="Branch"/>, default <c>wap-&lt;definition name&gt;</c>; never to main.</summary>
    public bool Wap { get; init; }

    /// <summary>
    /// A tag created on the run's last snapshot in the same commit as that snapshot, so no reader sees the backfill
    /// untagged; null creates none. The name must be free (checked before any work).
    /// </summary>
    public string? Tag { get; init; }

    /// <summary>Commit every this many days (each commit atomic); 0 commits the whole range at once.</summary>
    public int CommitEveryDays { get; init; }

    /// <summary>Memory budget in bytes (bounds worker threads and write buffers); 0 means half the memory available.</summary>
    public long MaxMemoryBytes { get; init; }

    /// <summary>
    /// When the head of the target branch is a commit of an unfinished run of the very same backfill (definition hash,
    /// code version, range, source snapshot), start after its last committed day instead of from <see cref="From"/>.
    /// </summary>
    public bool Resume { get; init; } = true;
}
