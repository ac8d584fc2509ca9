using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Core.Json;
using Floe.Iceberg.Spec.Serde;

namespace Floe.Iceberg.Transactions.Updates;

/// <summary>
/// Reads the <c>requirements</c> and <c>updates</c> of a REST <c>CommitTableRequest</c> into a
/// <see cref="TableCommit"/>. Updates Floe cannot apply yet (schema, spec and sort-order evolution, location,
/// format upgrades, statistics) are Unsupported rather than silently dropped.
/// </summary>
public static class TableCommitJson
{
    /// <summary>Reads the commit request <paramref name="body"/>; errors name <paramref name="src"/>.</summary>
    /// <exception cref="FloeException">InvalidArgument for a malformed request, Unsupported for an update Floe cannot apply.</exception>
    public static TableCommit Read(JsonElement body, int formatVersion, string src)
    {
        if (body.ValueKind != JsonValueKind.Object) throw Errors.InvalidArgument($"{src}: the commit request must be a JSON object");
        var requirements = new List<TableRequirement>();
        if (JsonRead.TryGet(body, "requirements", out var reqs) && reqs.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var r in reqs.EnumerateArray()) requirements.Add(ReadRequirement(r, src, $"requirements[{i++}]."));
        }
        var updates = new List<TableUpdate>();
        if (JsonRead.TryGet(body, "updates", out var ups) && ups.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var u in ups.EnumerateArray()) updates.Add(ReadUpdate(u, formatVersion, src, $"updates[{i++}]."));
        }
        return new TableCommit(requirements, updates);
    }

    private static TableRequirement ReadRequirement(JsonElement e, string src, string at)
    {
        try
        {
            JsonRead.ExpectObject(e, src, at.TrimEnd('.'));
            var type = JsonRead.RequiredString(e, "type", src, at);
            switch (type)
            {
                case "assert-table-uuid":
                    var text = JsonRead.RequiredString(e, "uuid", src, at);
                    if (!Guid.TryParse(text, out var uuid)) throw Errors.InvalidArgument($"{src}: {at}uuid '{text}' is not a UUID");
                    return new AssertTableUuid(uuid);
                case "assert-ref-snapshot-id":
                    var refName = JsonRead.RequiredString(e, "ref", src, at);
                    long? id = JsonRead.TryGet(e, "snapshot-id", out var v) && v.ValueKind != JsonValueKind.Null ? JsonRead.AsLong(v, src, at, "snapshot-id") : null;
                    return new AssertRefSnapshotId(refName, id);
                case "assert-create":
                    throw Errors.Unsupported($"{src}: {at}type 'assert-create' (staged table creation) is not supported; create the table with createTable");
                default:
                    if (AssertMetadataId.FieldByType.TryGetValue(type, out var field))
                    {
                        return new AssertMetadataId(type, JsonRead.RequiredLong(e, field, src, at));
                    }
                    throw Errors.InvalidArgument($"{src}: {at}type '{type}' is not a known requirement");
            }
        }
        catch (FloeException ex) when (ex.Code == FloeErrorCode.InvalidData)
        {
            throw Errors.InvalidArgument(ex.Message);
        }
    }

    private static TableUpdate ReadUpdate(JsonElement e, int formatVersion, string src, string at)
    {
        try
        {
            JsonRead.ExpectObject(e, src, at.TrimEnd('.'));
            var action = JsonRead.RequiredString(e, "action", src, at);
            switch (action)
            {
                case "add-snapshot":
                    return new AddSnapshot(SnapshotJson.ReadSnapshot(JsonRead.Required(e, "snapshot", src, at), formatVersion, src, at + "snapshot."));
                case "set-snapshot-ref":
                    return new SetSnapshotRef(JsonRead.RequiredString(e, "ref-name", src, at), SnapshotJson.ReadRef(e, src, at));
                case "remove-snapshot-ref":
                    return new RemoveSnapshotRef(JsonRead.RequiredString(e, "ref-name", src, at));
                case "remove-snapshots":
                    var ids = new List<long>();
                    var i = 0;
                    foreach (var s in JsonRead.RequiredArray(e, "snapshot-ids", src, at).EnumerateArray())
                    {
                        ids.Add(JsonRead.AsLong(s, src, JsonRead.Index(at, "snapshot-ids", i++), "snapshot-ids"));
                    }
                    return new RemoveSnapshots(ids);
                case "set-properties":
                    return new SetProperties(JsonRead.StringMap(e, "updates", src, at));
                case "remove-properties":
                    var keys = new List<string>();
                    var j = 0;
                    foreach (var k in JsonRead.RequiredArray(e, "removals", src, at).EnumerateArray())
                    {
                        keys.Add(JsonRead.AsString(k, src, JsonRead.Index(at, "removals", j++), "removals"));
                    }
                    return new RemoveProperties(keys);
                default:
                    throw Errors.Unsupported($"{src}: {at}action '{action}' is not supported by Floe's catalog yet");
            }
        }
        catch (FloeException ex) when (ex.Code == FloeErrorCode.InvalidData)
        {
            throw Errors.InvalidArgument(ex.Message);
        }
    }
}
