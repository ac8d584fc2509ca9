using System.Text.Json;
using Floe.Core.Json;

namespace Floe.Application.TrainingSets;

/// <summary>What a training set build produced.</summary>
/// <param name="Rows">Output rows (= spine rows).</param>
/// <param name="Groups">Each group's table, snapshot and match counts, in output order.</param>
/// <param name="Elapsed">Wall time of the build.</param>
public sealed record TrainingSetResult(long Rows, IReadOnlyList<TrainingSetGroupResult> Groups, TimeSpan Elapsed)
{
    /// <summary>Writes the result as the JSON object every face prints (<c>floe training-set --json</c>, <c>floe_training_set_build</c>).</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteNumber("rows", Rows);
        json.WriteNumber("seconds", Elapsed.TotalSeconds);
        json.WriteStartArray("groups");
        foreach (var g in Groups)
        {
            json.WriteStartObject();
            json.WriteString("group", g.Group);
            json.WriteString("table", g.Table);
            json.WriteNumberOrNull("snapshot_id", g.SnapshotId);
            json.WriteString("definition_sha256", g.DefinitionSha256);
            json.WriteStartArray("columns");
            foreach (var c in g.Columns) json.WriteStringValue(c);
            json.WriteEndArray();
            json.WriteNumber("feature_rows_read", g.FeatureRowsRead);
            json.WriteNumber("matched", g.Matched);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}

/// <summary>The lineage and outcome of one feature group in a training set.</summary>
/// <param name="Group">The group name (definition name, or the table name).</param>
/// <param name="Table">The feature table read.</param>
/// <param name="SnapshotId">The snapshot read (null for a table without snapshots).</param>
/// <param name="DefinitionSha256">SHA-256 (hex) of the canonical definition (as backfill lineage records it); null for a group given as a table.</param>
/// <param name="Columns">The output column names of the group's features.</param>
/// <param name="FeatureRowsRead">Feature rows kept for the join: read after file pruning, of an entity in the spine, within the spine's time range (and max age).</param>
/// <param name="Matched">Spine rows that got a feature row.</param>
public sealed record TrainingSetGroupResult(
    string Group, string Table, long? SnapshotId, string? DefinitionSha256, IReadOnlyList<string> Columns, long FeatureRowsRead, long Matched);
