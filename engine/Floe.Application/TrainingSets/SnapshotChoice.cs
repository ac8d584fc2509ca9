using Floe.Core.Errors;
using Floe.Iceberg.Scan;

namespace Floe.Application.TrainingSets;

/// <summary>Which snapshot of each feature table a training set reads: main's current one, or one chosen by as-of time, id or tag.</summary>
internal sealed record SnapshotChoice(long? AsOfMs, long? SnapshotId, string? Tag)
{
    /// <summary>Validates a request's selectors (at most one; a snapshot id only with one group).</summary>
    public static SnapshotChoice From(TrainingSetRequest request)
    {
        var selectors = (request.AsOf is null ? 0 : 1) + (request.SnapshotId is null ? 0 : 1) + (request.Tag is null ? 0 : 1);
        if (selectors > 1) throw Errors.InvalidArgument("give at most one of --as-of, --snapshot and --tag");
        if (request.SnapshotId is not null && request.Features.Count != 1)
        {
            throw Errors.InvalidArgument("--snapshot names one table's snapshot, so it needs exactly one --features group (use --as-of or --tag with several)");
        }
        return new SnapshotChoice(request.AsOf is { } asOf ? SnapshotSelector.ParseTimestampMs(asOf) : null, request.SnapshotId, request.Tag);
    }

    /// <summary>Pins <paramref name="scan"/> to the chosen snapshot.</summary>
    public TableScan Apply(TableScan scan, string tableName)
    {
        try
        {
            if (SnapshotId is { } id) return scan.UseSnapshot(id);
            if (Tag is { } tag) return scan.UseRef(tag);
            if (AsOfMs is { } ms) return scan.AsOf(ms);
            return scan;
        }
        catch (FloeException e) when (e.Code == FloeErrorCode.NotFound)
        {
            throw Errors.NotFound($"{tableName}: {e.Message}");
        }
    }
}
