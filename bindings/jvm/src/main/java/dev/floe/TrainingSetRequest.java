package dev.floe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Warehouse#trainingSet} builds (the CLI's {@code floe training-set} options): a spine file, feature
 * groups ("GROUP[:f1,f2]" where GROUP is a definition file or a feature table) and an output file.
 */
public final class TrainingSetRequest extends JsonRequest<TrainingSetRequest> {
    private TrainingSetRequest(Path spine, List<String> features, Path output) {
        set("spine", spine.toString()).set("features", new ArrayList<Object>(features)).set("output", output.toString());
    }

    /** A request joining {@code features} onto {@code spine}, written to {@code output} (.parquet or .csv). */
    public static TrainingSetRequest of(Path spine, List<String> features, Path output) {
        return new TrainingSetRequest(spine, features, output);
    }

    /** The spine's time column (default "ts"). */
    public TrainingSetRequest spineTime(String column) {
        return set("spine_time", column);
    }

    /** Read every feature table as main showed it at this time. */
    public TrainingSetRequest asOf(String time) {
        return set("as_of", time);
    }

    /** Read this snapshot (one group only). */
    public TrainingSetRequest snapshot(long snapshotId) {
        return set("snapshot", snapshotId);
    }

    /** Read every feature table at this tag. */
    public TrainingSetRequest tag(String tag) {
        return set("tag", tag);
    }

    /** Features older than this before the spine time become null, e.g. "7d". */
    public TrainingSetRequest maxAge(String age) {
        return set("max_age", age);
    }
}
