using System.Globalization;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// What a ref operation points at: a named branch or tag, a snapshot id, or text that is either. Resolved against
/// the metadata of each commit attempt, so "from main" means main's head when the commit lands.
/// </summary>
public sealed class SnapshotTarget
{
    private readonly string? _ref;
    private readonly long? _snapshotId;

    private SnapshotTarget(string? reference, long? snapshotId)
    {
        _ref = reference;
        _snapshotId = snapshotId;
    }

    /// <summary>The head of main.</summary>
    public static SnapshotTarget Main { get; } = new(SnapshotRef.MainBranch, null);

    /// <summary>The snapshot a branch or tag points at.</summary>
    public static SnapshotTarget Ref(string name) =>
        new(string.IsNullOrWhiteSpace(name) ? throw Errors.InvalidArgument("ref name is empty") : name, null);

    /// <summary>A snapshot by id.</summary>
    public static SnapshotTarget Snapshot(long snapshotId) => new(null, snapshotId);

    /// <summary>
    /// Text naming a ref or a snapshot id: a ref of that name wins (refs may be all digits); otherwise text that is
    /// a whole number is a snapshot id.
    /// </summary>
    public static SnapshotTarget Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw Errors.InvalidArgument("ref or snapshot id is empty");
        text = text.Trim();
        return new(text, long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null);
    }

    /// <summary>The ref name this target names, if it names one.</summary>
    public string? RefName => _ref;

    /// <summary>The snapshot this target resolves to in <paramref name="metadata"/>; NotFound when it does not exist.</summary>
    public Snapshot Resolve(TableMetadata metadata)
    {
        if (_ref is not null && (metadata.Refs.ContainsKey(_ref) || (_ref == SnapshotRef.MainBranch && metadata.CurrentSnapshotId is not null)))
        {
            return metadata.SnapshotForRef(_ref) ??
                   throw Errors.InvalidData($"ref '{_ref}' points at a snapshot that is not in the table's metadata");
        }
        if (_snapshotId is { } id)
        {
            return metadata.SnapshotById(id) ?? throw Errors.NotFound($"snapshot {id} is not in the table's metadata and no ref is named '{id}'");
        }
        if (_ref == SnapshotRef.MainBranch) throw Errors.NotFound("the table has no snapshots yet, so main has no head");
        throw Errors.NotFound($"ref '{_ref}' does not exist (refs: {string.Join(", ", metadata.Refs.Keys.Order(StringComparer.Ordinal))})");
    }

    /// <inheritdoc />
    public override string ToString() => _ref ?? _snapshotId!.Value.ToString(CultureInfo.InvariantCulture);
}
