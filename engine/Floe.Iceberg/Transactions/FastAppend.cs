using Floe.Iceberg.Tables;

namespace Floe.Iceberg.Transactions;

/// <summary>
/// Appends data files in a new manifest and keeps every manifest of the parent as it is: the commit reads
/// only the parent's manifest list and rewrites no manifest. Appends never conflict with other commits.
/// It is <see cref="MergeAppend"/> with merging off, so the two cannot drift apart.
/// </summary>
public sealed class FastAppend : MergeAppend
{
    /// <summary>Creates an append on <paramref name="table"/>.</summary>
    public FastAppend(Table table)
        : base(table, mayMerge: false)
    {
    }
}
