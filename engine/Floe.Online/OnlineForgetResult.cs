using System.Text.Json;

namespace Floe.Online;

/// <summary>What forgetting an entity did (or would do) to the online store.</summary>
/// <param name="Keys">The entity hashes deleted (on a dry run: that exist and would be deleted).</param>
/// <param name="Groups">The feature group versions (<c>{group}:v{version}</c>) keyed by the forgotten column.</param>
/// <param name="UnknownGroups">Group versions whose metadata does not name their entity columns (written before Floe
/// recorded them); their keys cannot be matched to a column and are left alone: rematerialize or delete them by hand.</param>
public sealed record OnlineForgetResult(IReadOnlyList<string> Keys, IReadOnlyList<string> Groups, IReadOnlyList<string> UnknownGroups)
{
    /// <summary>Human-readable lines: how many keys went (or would go), and each group left alone.</summary>
    public IEnumerable<string> TextLines(bool dryRun)
    {
        yield return $"online store: {Keys.Count} key(s) {(dryRun ? "would be deleted" : "deleted")} in {Groups.Count} group version(s)";
        foreach (var g in UnknownGroups) yield return $"online store: group {g} does not record its entity columns; its keys were left alone (rematerialize it)";
    }

    /// <summary>Machine-readable JSON: the keys, the groups and the groups left alone.</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        WriteArray(json, "keys", Keys);
        WriteArray(json, "groups", Groups);
        WriteArray(json, "unknown_groups", UnknownGroups);
        json.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values) json.WriteStringValue(v);
        json.WriteEndArray();
    }
}
