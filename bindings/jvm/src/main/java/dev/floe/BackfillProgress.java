package dev.floe;

/**
 * Progress of a backfill, called on the thread that called {@link Warehouse#backfill} after each computed day and
 * each commit. Returning true cancels the run before its next commit ({@link CancelledException}); a runtime
 * exception thrown here cancels it too and is rethrown by {@code backfill}.
 */
@FunctionalInterface
public interface BackfillProgress {
    /** Returns true to cancel. */
    boolean onProgress(long daysDone, long daysTotal, long rows);
}
