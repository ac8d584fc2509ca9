using Floe.Core.Types;

namespace Floe.Iceberg.Scan;

/// <summary>The aggregate functions a scan computes without grouping.</summary>
public enum AggregateFunction
{
    /// <summary><c>count(*)</c> (no column): matching rows; <c>count(col)</c>: matching rows where col is not null.</summary>
    Count,
    /// <summary>Sum of the non-null values (int, long, float, double); null when there are none.</summary>
    Sum,
    /// <summary>Smallest non-null value (numeric, date, time, timestamp); NaN only when every value is NaN.</summary>
    Min,
    /// <summary>Largest non-null value (numeric, date, time, timestamp); NaN sorts above every number.</summary>
    Max,
    /// <summary>Mean of the non-null values, as a double (int, long, float, double).</summary>
    Avg,
}

/// <summary>One aggregate over one top-level column (<see cref="Column"/> null: <c>count(*)</c>).</summary>
public sealed record AggregateCall(AggregateFunction Function, string? Column)
{
    /// <summary>The call as written, e.g. <c>sum(amount)</c> or <c>count(*)</c>.</summary>
    public override string ToString() => $"{Function.ToString().ToLowerInvariant()}({Column ?? "*"})";
}

/// <summary>
/// One computed aggregate. <see cref="Value"/> is null for SQL NULL (sum, min, max or avg over no non-null value);
/// otherwise a <c>long</c> for counts and integer sums (a <c>decimal</c> of type decimal(38, 0) for an integer sum
/// beyond 64 bits), a <c>double</c> for averages and floating sums, and for min
/// and max the column's own value representation (<c>int</c> for int and date days, <c>long</c> for long, time and
/// timestamp units, <c>float</c>, <c>double</c>).
/// </summary>
public sealed record AggregateValue(AggregateCall Call, PrimitiveType Type, object? Value);

/// <summary>
/// What <see cref="TableScan.Aggregate"/> computed and how: how many files and row groups were answered from
/// statistics alone and how many row groups had their values decoded.
/// </summary>
public sealed record ScanAggregates(IReadOnlyList<AggregateValue> Values, int FilesFromStatistics, int RowGroupsFromStatistics, int RowGroupsDecoded, int FilesWithDeletes);
