using System.Text;
using System.Text.Json;
using Floe.Core.Json;

namespace Floe.Application.TrainingSets;

/// <summary>
/// The Parquet footer entry that says how a training set was built, so it can be rebuilt exactly: key
/// <see cref="Key"/>, a compact JSON object with the spine's SHA-256, row count and time column, the max age, and
/// per group its name, table, snapshot id read, canonical definition SHA-256 (as backfill lineage records it), entity and time columns,
/// and each feature with its output column. It holds resolved snapshot ids only (not how they were chosen) and no
/// paths or clock times, so the same inputs give the same bytes.
/// </summary>
internal static class TrainingSetLineage
{
    /// <summary>The footer key.</summary>
    public const string Key = "floe.training_set";

    public static string Json(string spineSha256, Spine spine, string spineTime, long? maxAgeMicros, IReadOnlyList<GroupMatch> groups, IReadOnlyList<string[]> columns)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("format_version", 1);
            json.WriteStartObject("spine");
            json.WriteString("sha256", spineSha256);
            json.WriteNumber("rows", spine.Rows);
            json.WriteString("time_column", spineTime);
            json.WriteEndObject();
            json.WriteNumberOrNull("max_age_us", maxAgeMicros);
            json.WriteStartArray("groups");
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g].Group;
                json.WriteStartObject();
                json.WriteString("name", group.Name);
                json.WriteString("table", group.TableName);
                json.WriteNumberOrNull("snapshot_id", groups[g].SnapshotId);
                json.WriteString("definition_sha256", group.DefinitionSha256);
                json.WriteStartArray("entity");
                foreach (var e in group.Entity) json.WriteStringValue(e);
                json.WriteEndArray();
                json.WriteString("time_column", group.Time);
                json.WriteStartArray("features");
                for (var f = 0; f < group.Features.Count; f++)
                {
                    json.WriteStartObject();
                    json.WriteString("feature", group.Features[f]);
                    json.WriteString("column", columns[g][f]);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
