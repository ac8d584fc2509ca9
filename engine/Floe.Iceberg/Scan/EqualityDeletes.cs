using Floe.Core.Arrow;
using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Writing;
using Apache.Arrow;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Iceberg.Scan;

/// <summary>Equality delete keys that apply to one data file, checked against its rows.</summary>
internal sealed class EqualityDeletes
{
    private readonly Schema _readSchema;
    private readonly List<(int[] Columns, NestedField[] Fields, HashSet<string> Keys)> _groups = new();

    public EqualityDeletes(Schema readSchema) => _readSchema = readSchema;

    public void Add(IReadOnlyList<int> ids, HashSet<string> keys)
    {
        var columns = new int[ids.Count];
        var fields = new NestedField[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            columns[i] = -1;
            for (var c = 0; c < _readSchema.Fields.Count; c++)
            {
                if (_readSchema.Fields[c].Id == ids[i]) columns[i] = c;
            }
            if (columns[i] < 0) throw Errors.Unsupported($"equality delete on field id {ids[i]}, which is not a top-level column");
            fields[i] = _readSchema.Fields[columns[i]];
        }
        _groups.Add((columns, fields, keys));
    }

    public void Apply(RecordBatch batch, Span<bool> keep)
    {
        foreach (var (columns, fields, keys) in _groups)
        {
            var arrays = columns.Select(batch.Column).ToArray();
            for (var row = 0; row < keep.Length; row++)
            {
                if (keep[row] && keys.Contains(Key(arrays, fields, row))) keep[row] = false;
            }
        }
    }

    /// <summary>A row's key over the equality columns: type-aware text joined by a separator no value contains unescaped.</summary>
    public static string Key(IReadOnlyList<IArrowArray> columns, IReadOnlyList<NestedField> fields, int row)
    {
        var parts = new string[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var value = fields[i].Type is PrimitiveType type ? ArrowValues.Get(columns[i], row, type) : null;
            parts[i] = value switch
            {
                null => "\u0000null",
                byte[] b => Convert.ToBase64String(b),
                IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                _ => value.ToString()!.Replace("\u0001", "\u0001\u0001", StringComparison.Ordinal),
            };
        }
        return string.Join('\u0001', parts);
    }
}
