package dev.floe;

import java.nio.file.Path;

/**
 * What {@link Warehouse#backfill} computes (the CLI's {@code floe backfill} options): a definition file and the days
 * [from, to) as UTC dates ("2024-01-01"), plus optional settings set fluently.
 */
public final class BackfillRequest extends JsonRequest<BackfillRequest> {
    private BackfillRequest(Path definition, String from, String to) {
        set("definition", definition.toString()).set("from", from).set("to", to);
    }

    /** A request for the days [from, to) of a definition. */
    public static BackfillRequest of(Path definition, String from, String to) {
        return new BackfillRequest(definition, from, to);
    }

    /** Replaces the definition's source: a .csv/.parquet file or {@code ns.table}. */
    public BackfillRequest source(String source) {
        return set("source", source);
    }

    /** The code version recorded in lineage. */
    public BackfillRequest codeVersion(String version) {
        return set("code_version", version);
    }

    /** The branch committed to (created from main when missing). */
    public BackfillRequest branch(String branch) {
        return set("branch", branch);
    }

    /** Write-audit-publish: commit to the branch (default {@code wap-<name>}), never to main. */
    public BackfillRequest wap(boolean wap) {
        return set("wap", wap);
    }

    /** Commit every this many days (0 = one commit). */
    public BackfillRequest commitEvery(int days) {
        return set("commit_every", (long) days);
    }

    /** Memory budget, e.g. "2g". */
    public BackfillRequest maxMemory(String budget) {
        return set("max_memory", budget);
    }

    /** Whether an unfinished run of the same backfill is resumed (default true). */
    public BackfillRequest resume(boolean resume) {
        return set("resume", resume);
    }
}
