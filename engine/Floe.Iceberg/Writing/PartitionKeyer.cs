using System.Runtime.InteropServices;
using Apache.Arrow;
using Floe.Core.Arrow;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Schema = Floe.Core.Types.Schema;
using Floe.Iceberg.Transforms;

namespace Floe.Iceberg.Writing;

/// <summary>
/// Assigns every row of a batch a dense partition ordinal under a partition spec, and keeps the partition tuple
/// of each ordinal. Ordinals are stable across batches, so one keyer serves a whole write.
/// Temporal and bucket transforms over 64-bit columns run as batch kernels; other transforms go value by value.
/// </summary>
internal sealed class PartitionKeyer
{
    private const long NullCode = long.MinValue;
    private readonly (int Column, PrimitiveType SourceType, PartitionField Field)[] _fields;
    private readonly Dictionary<(int Prefix, long Code), int>[] _levels;
    private readonly Dictionary<object, int>[] _valueCodes;
    private readonly List<object>[] _codeValues;
    private readonly Dictionary<int, int> _ordinalOfTuple = new();
    private readonly List<PartitionData> _partitions = new();
    private long[][] _codes = System.Array.Empty<long[]>();
    private int[] _scratch = System.Array.Empty<int>();

    public PartitionKeyer(PartitionSpec spec, Schema schema)
    {
        _fields = new (int, PrimitiveType, PartitionField)[spec.Fields.Count];
        _levels = new Dictionary<(int, long), int>[spec.Fields.Count];
        _valueCodes = new Dictionary<object, int>[spec.Fields.Count];
        _codeValues = new List<object>[spec.Fields.Count];
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
            TransformFunctions.EnsureCanApply(field.Transform, type, schema.Fields[column].Name);
            _fields[i] = (column, type, field);
            _levels[i] = new Dictionary<(int, long), int>();
            _valueCodes[i] = new Dictionary<object, int>();
            _codeValues[i] = new List<object>();
        }
    }

    /// <summary>The partition tuple of each ordinal handed out so far.</summary>
    public IReadOnlyList<PartitionData> Partitions => _partitions;

    /// <summary>Fills <paramref name="ordinals"/> with each row's partition ordinal.</summary>
    public void Assign(RecordBatch batch, Span<int> ordinals)
    {
        var rows = batch.Length;
        if (_fields.Length == 0)
        {
            if (_partitions.Count == 0) _partitions.Add(PartitionData.Empty);
            ordinals.Clear();
            return;
        }
        if (_codes.Length != _fields.Length || _codes[0].Length < rows)
        {
            _codes = new long[_fields.Length][];
            for (var f = 0; f < _fields.Length; f++) _codes[f] = new long[rows];
            _scratch = new int[rows];
        }
        for (var f = 0; f < _fields.Length; f++) ComputeCodes(f, batch.Column(_fields[f].Column), _codes[f].AsSpan(0, rows));

        var previousOrdinal = -1;
        for (var row = 0; row < rows; row++)
        {
            if (previousOrdinal >= 0 && SameAsPrevious(row))
            {
                ordinals[row] = previousOrdinal;
                continue;
            }
            var id = 0;
            for (var f = 0; f < _fields.Length; f++)
            {
                var key = (id, _codes[f][row]);
                if (!_levels[f].TryGetValue(key, out var next))
                {
                    next = _levels[f].Count + 1;
                    _levels[f][key] = next;
                }
                id = next;
            }
            if (!_ordinalOfTuple.TryGetValue(id, out var ordinal))
            {
                ordinal = _partitions.Count;
                _partitions.Add(TupleOf(row));
                _ordinalOfTuple[id] = ordinal;
            }
            ordinals[row] = ordinal;
            previousOrdinal = ordinal;
        }
    }

    private bool SameAsPrevious(int row)
    {
        for (var f = 0; f < _codes.Length; f++)
        {
            if (_codes[f][row] != _codes[f][row - 1]) return false;
        }
        return true;
    }

    private PartitionData TupleOf(int row)
    {
        var values = new object?[_fields.Length];
        for (var f = 0; f < _fields.Length; f++)
        {
            var code = _codes[f][row];
            if (code == NullCode) continue;
            var (_, type, field) = _fields[f];
            values[f] = IsKernelTransform(field.Transform, type) ? (int)code : _codeValues[f][(int)code];
        }
        return new PartitionData(values);
    }

    private static bool IsKernelTransform(Transform transform, PrimitiveType type) =>
        transform.Kind is TransformKind.Year or TransformKind.Month or TransformKind.Day or TransformKind.Hour or TransformKind.Bucket &&
        type.Id is TypeId.Long or TypeId.Timestamp or TypeId.TimestampTz or TypeId.TimestampNs or TypeId.TimestampTzNs;

    private void ComputeCodes(int f, IArrowArray column, Span<long> codes)
    {
        var (_, type, field) = _fields[f];
        var data = column.Data;
        if (IsKernelTransform(field.Transform, type))
        {
            var values = MemoryMarshal.Cast<byte, long>(data.Buffers[1].Span).Slice(data.Offset, data.Length);
            var results = _scratch.AsSpan(0, data.Length);
            TransformFunctions.ApplyToLongs(field.Transform, type, values, results);
            for (var i = 0; i < results.Length; i++) codes[i] = results[i];
            if (data.NullCount > 0)
            {
                for (var i = 0; i < codes.Length; i++)
                {
                    if (column.IsNull(i)) codes[i] = NullCode;
                }
            }
            return;
        }
        var valueCodes = _valueCodes[f];
        var codeValues = _codeValues[f];
        for (var i = 0; i < codes.Length; i++)
        {
            var value = TransformFunctions.Apply(field.Transform, type, ArrowValues.Get(column, i, type));
            if (value is null)
            {
                codes[i] = NullCode;
                continue;
            }
            object key = value is byte[] bytes ? Convert.ToBase64String(bytes) : value;
            if (!valueCodes.TryGetValue(key, out var code))
            {
                code = codeValues.Count;
                codeValues.Add(value);
                valueCodes[key] = code;
            }
            codes[i] = code;
        }
    }
}
