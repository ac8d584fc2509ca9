using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transforms;

namespace Floe.Iceberg.Writing;

/// <summary>
/// Assigns every row of a batch a dense partition ordinal under a partition spec, and keeps the partition tuple
/// of each ordinal. Ordinals are stable across batches, so one keyer serves a whole write.
/// </summary>
internal sealed class PartitionKeyer
{
    private readonly PartitionSpec _spec;
    private readonly (int Column, PrimitiveType SourceType, PartitionField Field)[] _fields;
    private readonly Dictionary<PartitionData, int> _ordinals = new();
    private readonly List<PartitionData> _partitions = new();

    public PartitionKeyer(PartitionSpec spec, Schema schema)
    {
        _spec = spec;
        _fields = new (int, PrimitiveType, PartitionField)[spec.Fields.Count];
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            var field = spec.Fields[i];
            var column = -1;
            for (var c = 0; c < schema.Fields.Count; c++)
            {
                if (schema.Fields[c].Id == field.SourceId) column = c;
            }
            if (column < 0)
            {
                throw Errors.Unsupported($"partition field '{field.Name}' has source id {field.SourceId}, which is not a top-level column; writing needs top-level sources");
            }
            if (schema.Fields[column].Type is not PrimitiveType type)
            {
                throw Errors.InvalidArgument($"partition field '{field.Name}' has a nested source column");
            }
            _fields[i] = (column, type, field);
        }
    }

    /// <summary>The partition tuple of each ordinal handed out so far.</summary>
    public IReadOnlyList<PartitionData> Partitions => _partitions;

    /// <summary>Fills <paramref name="ordinals"/> with each row's partition ordinal.</summary>
    public void Assign(RecordBatch batch, Span<int> ordinals)
    {
        if (_fields.Length == 0)
        {
            if (_partitions.Count == 0)
            {
                _partitions.Add(PartitionData.Empty);
                _ordinals[PartitionData.Empty] = 0;
            }
            ordinals.Clear();
            return;
        }
        // Consecutive rows usually share a partition (data arrives roughly time-ordered), so reusing the
        // previous row's tuple when every transformed value matches avoids most dictionary lookups.
        var current = new object?[_fields.Length];
        object?[]? previous = null;
        var previousOrdinal = -1;
        for (var row = 0; row < batch.Length; row++)
        {
            for (var f = 0; f < _fields.Length; f++)
            {
                var (column, type, field) = _fields[f];
                var source = ArrowValues.Get(batch.Column(column), row, type);
                current[f] = TransformFunctions.Apply(field.Transform, type, source);
            }
            if (previous is not null && Same(previous, current))
            {
                ordinals[row] = previousOrdinal;
                continue;
            }
            var key = new PartitionData((object?[])current.Clone());
            if (!_ordinals.TryGetValue(key, out var ordinal))
            {
                ordinal = _partitions.Count;
                _partitions.Add(key);
                _ordinals[key] = ordinal;
            }
            ordinals[row] = ordinal;
            previous = (object?[])current.Clone();
            previousOrdinal = ordinal;
        }
    }

    private static bool Same(object?[] a, object?[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (!Equals(a[i], b[i])) return false;
        }
        return true;
    }
}
