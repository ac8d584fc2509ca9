using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Transactions;

/// <summary>Checks partition tuples against a manifest's partition field summaries (lower/upper bound, nulls).</summary>
internal static class PartitionSummaries
{
    /// <summary>False only when no tuple of <paramref name="partitions"/> can be inside the summaries' ranges.</summary>
    public static bool MayContainAny(PartitionSpec spec, Schema schema, IReadOnlyList<PartitionFieldSummary>? summaries, IReadOnlyList<PartitionData> partitions)
    {
        if (summaries is null || summaries.Count != spec.Fields.Count) return true;
        foreach (var partition in partitions)
        {
            if (MayContain(spec, schema, summaries, partition)) return true;
        }
        return false;
    }

    private static bool MayContain(PartitionSpec spec, Schema schema, IReadOnlyList<PartitionFieldSummary> summaries, PartitionData partition)
    {
        for (var i = 0; i < summaries.Count; i++)
        {
            var value = partition[i];
            var summary = summaries[i];
            if (value is null)
            {
                if (!summary.ContainsNull) return false;
                continue;
            }
            if (summary.LowerBound is null || summary.UpperBound is null) continue;
            // The summary bounds are serialized with the partition field's result type.
            if (schema.FindField(spec.Fields[i].SourceId)?.Type is not PrimitiveType source) continue;
            var type = spec.Fields[i].Transform.ResultType(source);
            var lower = Conversions.FromBytes(type, summary.LowerBound);
            var upper = Conversions.FromBytes(type, summary.UpperBound);
            if (ValueOrder.Compare(type, value, lower) < 0 || ValueOrder.Compare(type, value, upper) > 0) return false;
        }
        return true;
    }
}
