namespace Floe.Iceberg.Expressions;

/// <summary>What is known per partition field, as a struct so the shared walk is specialised per source (no delegates).</summary>
internal interface IPartitionFacts
{
    /// <summary>How many partition fields the source describes.</summary>
    int Count { get; }

    /// <summary>Whether partition field <paramref name="position"/> may satisfy <paramref name="predicate"/>.</summary>
    bool MayMatch(BoundPredicate predicate, int position);
}
