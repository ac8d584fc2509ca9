using System.Security.Cryptography;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions;
using Floe.Core.Json;

namespace Floe.Application.Wap;

/// <summary>What <see cref="PublishService.Publish"/> did.</summary>
/// <param name="Table">The table.</param>
/// <param name="Branch">The staging branch published.</param>
/// <param name="SnapshotId">The snapshot main now points at.</param>
/// <param name="PreviousMainSnapshotId">Main's snapshot before.</param>
public sealed record PublishResult(string Table, string Branch, long SnapshotId, long? PreviousMainSnapshotId)
{
    /// <summary>Writes the result as the JSON object every face prints (<c>floe publish --json</c>, <c>floe_publish_run</c>).</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("table", Table);
        json.WriteString("branch", Branch);
        json.WriteNumber("snapshot_id", SnapshotId);
        json.WriteNumberOrNull("previous_main_snapshot_id", PreviousMainSnapshotId);
        json.WriteEndObject();
    }
}

/// <summary>
/// The publish of write-audit-publish: fast-forwards main to the head of a staging branch, only when an audit passed
/// for that very snapshot (its stored verdict and result file intact) and main is still an ancestor of it. Checked
/// inside the commit, so a main that moved meanwhile makes the publish refuse rather than overwrite.
/// </summary>
public sealed class PublishService
{
    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over <paramref name="warehouse"/>.</summary>
    public PublishService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>Publishes the head of <paramref name="branch"/>; throws ValidationFailed with the reason when it may not.</summary>
    public PublishResult Publish(string tableName, string branch)
    {
        var table = _warehouse.LoadTable(TableIdentifier.Parse(tableName));
        if (!table.Metadata.Refs.TryGetValue(branch, out var staged) || staged.Type != SnapshotRefType.Branch)
        {
            throw Errors.NotFound($"table '{tableName}' has no branch '{branch}'");
        }
        long target = staged.SnapshotId;
        VerifyAudit(table, tableName, branch, target);
        long? previous = null;
        MetadataCommit.Commit(table, (metadata, now) =>
        {
            if (!metadata.Refs.TryGetValue(branch, out var head) || head.SnapshotId != target)
            {
                throw Errors.ValidationFailed($"branch '{branch}' moved past the audited snapshot {target}; audit it again");
            }
            previous = metadata.CurrentSnapshotId;
            if (previous is { } main && !SnapshotAncestry.IsAncestorOf(metadata, main, metadata.SnapshotById(target)!))
            {
                throw Errors.ValidationFailed(
                    $"main moved to snapshot {main}, which is not an ancestor of the audited snapshot {target}: publishing would drop main's changes; rebase the staging branch and audit again");
            }
            return MetadataUpdates.SetRef(metadata, SnapshotRef.MainBranch, new SnapshotRef(target, SnapshotRefType.Branch), now);
        });
        return new PublishResult(table.Identifier.ToString(), branch, target, previous);
    }

    private static void VerifyAudit(Iceberg.Tables.Table table, string tableName, string branch, long snapshotId)
    {
        if (!table.Metadata.Properties.TryGetValue(AuditService.PropertyPrefix + snapshotId, out var verdict))
        {
            throw Errors.ValidationFailed($"snapshot {snapshotId} of '{tableName}' (head of '{branch}') has not been audited: run 'floe audit {tableName} --branch {branch}' first");
        }
        var parts = verdict.Split(';');
        if (parts[0] != "passed")
        {
            throw Errors.ValidationFailed($"the audit of snapshot {snapshotId} of '{tableName}' failed; main is left as it is");
        }
        var sha = parts.FirstOrDefault(p => p.StartsWith("sha256=", StringComparison.Ordinal))?["sha256=".Length..];
        var file = parts.FirstOrDefault(p => p.StartsWith("file=", StringComparison.Ordinal))?["file=".Length..];
        if (sha is null || file is null) throw Errors.ValidationFailed($"the audit record of snapshot {snapshotId} is incomplete; audit again");
        byte[] bytes;
        using (var stream = table.Io.OpenRead(file))
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha, StringComparison.Ordinal))
        {
            throw Errors.ValidationFailed($"{file}: the stored audit result does not match its recorded hash; audit again");
        }
    }
}
