namespace Floe.Application.Backfill;

/// <summary>Where a running backfill stands; reported after each computed day and each commit.</summary>
/// <param name="DaysDone">Days of the range computed so far (resumed days count as done).</param>
/// <param name="DaysTotal">Days in the range.</param>
/// <param name="Rows">Feature rows written by this run so far.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="CommittedSnapshotId">The snapshot just committed, when this report follows a commit; else null.</param>
/// <param name="DaysResumed">Days an earlier run had committed, skipped by this resumed one (counted in <paramref name="DaysDone"/>).</param>
public sealed record BackfillProgress(int DaysDone, int DaysTotal, long Rows, TimeSpan Elapsed, long? CommittedSnapshotId, int DaysResumed = 0)
{
    /// <summary>Rows per second so far (0 before the first second has anything to show).</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;

    /// <summary>Time left at this run's pace so far (days it computed per second); null until it has computed a day.</summary>
    public TimeSpan? Eta => DaysDone > DaysResumed && DaysDone <= DaysTotal
        ? TimeSpan.FromSeconds(Elapsed.TotalSeconds / (DaysDone - DaysResumed) * (DaysTotal - DaysDone))
        : null;
}
