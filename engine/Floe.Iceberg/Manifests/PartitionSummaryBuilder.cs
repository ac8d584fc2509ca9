using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Manifests;

/// <summary>
/// Accumulates one partition field's <see cref="PartitionFieldSummary"/> over the entries of a manifest: whether a
/// null or NaN was seen, and the lower/upper bound of the other values (serialized with <see cref="Conversions"/>).
/// </summary>
internal sealed class PartitionSummaryBuilder
{
    private readonly PrimitiveType _type;
    private bool _containsNull;
    private bool _containsNan;
    private object? _min;
    private object? _max;

    /// <summary>Creates a builder for values of the partition field's result type.</summary>
    public PartitionSummaryBuilder(PrimitiveType type) => _type = type;

    /// <summary>Adds one partition value (already checked to be of the result type, or null).</summary>
    public void Add(object? value)
    {
        if (value is null)
        {
            _containsNull = true;
            return;
        }
        if (ValueOrder.IsNaN(value))
        {
            _containsNan = true;
            return;
        }
        if (_min is null || ValueOrder.Compare(_type, value, _min) < 0) _min = value;
        if (_max is null || ValueOrder.Compare(_type, value, _max) > 0) _max = value;
    }

    /// <summary>The summary; bounds are null when every value was null or NaN.</summary>
    public PartitionFieldSummary Build() => new(
        _containsNull,
        _containsNan,
        _min is null ? null : Conversions.ToBytes(_type, _min),
        _max is null ? null : Conversions.ToBytes(_type, _max));
}
