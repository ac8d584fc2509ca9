using Floe.Core.Errors;

namespace Floe.Iceberg.Maintenance;

/// <summary>How a row-level delete changes a table: the values of the Iceberg table property <c>write.delete.mode</c>.</summary>
public enum RowDeleteMode
{
    /// <summary><c>copy-on-write</c> (the default): data files holding deleted rows are rewritten without them.</summary>
    CopyOnWrite,
    /// <summary><c>merge-on-read</c>: deleted rows are marked by position delete files (v2) or deletion vectors (v3) and skipped by readers.</summary>
    MergeOnRead,
}

/// <summary>The table properties that steer row-level deletes, as Iceberg names them.</summary>
public static class RowDeleteProperties
{
    /// <summary>Table property choosing the <see cref="RowDeleteMode"/>: <c>copy-on-write</c> or <c>merge-on-read</c>.</summary>
    public const string Mode = "write.delete.mode";

    /// <summary>Table property choosing the isolation level of deletes: <c>serializable</c> (default) or <c>snapshot</c>.</summary>
    public const string IsolationLevel = "write.delete.isolation-level";

    /// <summary>The delete mode of a table with <paramref name="properties"/>; InvalidArgument naming the property for an unknown value.</summary>
    public static RowDeleteMode ModeOf(IReadOnlyDictionary<string, string> properties)
    {
        if (!properties.TryGetValue(Mode, out var value)) return RowDeleteMode.CopyOnWrite;
        return value.Trim().ToLowerInvariant() switch
        {
            "copy-on-write" => RowDeleteMode.CopyOnWrite,
            "merge-on-read" => RowDeleteMode.MergeOnRead,
            _ => throw Errors.InvalidArgument($"table property {Mode}='{value}' must be copy-on-write or merge-on-read"),
        };
    }

    /// <summary>
    /// Whether deletes run with serializable isolation (a concurrent append of rows the delete filter may match is a
    /// conflict) rather than snapshot isolation; InvalidArgument naming the property for an unknown value.
    /// </summary>
    public static bool IsSerializable(IReadOnlyDictionary<string, string> properties)
    {
        if (!properties.TryGetValue(IsolationLevel, out var value)) return true;
        return value.Trim().ToLowerInvariant() switch
        {
            "serializable" => true,
            "snapshot" => false,
            _ => throw Errors.InvalidArgument($"table property {IsolationLevel}='{value}' must be serializable or snapshot"),
        };
    }
}
