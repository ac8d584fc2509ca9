using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Tests.Shared;

namespace Floe.Parquet.Tests;

/// <summary>
/// Builds nested Arrow arrays from plain values (null; object?[] for a struct; List&lt;object?&gt; for a list;
/// List&lt;KeyValuePair&lt;object, object?&gt;&gt; for a map; long/int/string/bool/double leaves) and renders Arrow
/// values and plain values alike as compact JSON (maps as objects with string keys, as DuckDB's to_json does).
/// </summary>
internal static class NestedArrowData
{
    public static IArrowArray Build(IArrowType type, IReadOnlyList<object?> values)
    {
        switch (type)
        {
            case Int32Type:
                return ArrowTestData.Primitive<int>(type, values.Select(v => (int?)v).ToList());
            case Int64Type:
                return ArrowTestData.Primitive<long>(type, values.Select(v => (long?)v).ToList());
            case DoubleType:
                return ArrowTestData.Primitive<double>(type, values.Select(v => (double?)v).ToList());
            case BooleanType:
                return ArrowTestData.Booleans(values.Select(v => (bool?)v).ToList());
            case StringType:
                return ArrowTestData.Strings(values.Select(v => (string?)v).ToList());
            case StructType st:
                {
                    var children = new ArrayData[st.Fields.Count];
                    for (var k = 0; k < children.Length; k++)
                    {
                        var column = values.Select(v => v is object?[] row ? row[k] : null).ToList();
                        children[k] = Build(st.Fields[k].DataType, column).Data;
                    }
                    var (validity, nulls) = Validity(values);
                    return ArrowArrayFactory.BuildArray(new ArrayData(type, values.Count, nulls, 0, new[] { validity }, children));
                }
            case MapType mt:
                {
                    var offsets = new int[values.Count + 1];
                    var keys = new List<object?>();
                    var items = new List<object?>();
                    for (var i = 0; i < values.Count; i++)
                    {
                        if (values[i] is List<KeyValuePair<object, object?>> entries)
                        {
                            foreach (var e in entries)
                            {
                                keys.Add(e.Key);
                                items.Add(e.Value);
                            }
                        }
                        offsets[i + 1] = keys.Count;
                    }
                    var entryType = (StructType)mt.KeyValueType;
                    var entryData = new ArrayData(entryType, keys.Count, 0, 0, new[] { ArrowBuffer.Empty },
                        new[] { Build(mt.KeyField.DataType, keys).Data, Build(mt.ValueField.DataType, items).Data });
                    var (validity, nulls) = Validity(values);
                    return ArrowArrayFactory.BuildArray(new ArrayData(type, values.Count, nulls, 0, new[] { validity, Offsets(offsets) }, new[] { entryData }));
                }
            case ListType lt:
                {
                    var offsets = new int[values.Count + 1];
                    var items = new List<object?>();
                    for (var i = 0; i < values.Count; i++)
                    {
                        if (values[i] is List<object?> list) items.AddRange(list);
                        offsets[i + 1] = items.Count;
                    }
                    var (validity, nulls) = Validity(values);
                    return ArrowArrayFactory.BuildArray(new ArrayData(type, values.Count, nulls, 0, new[] { validity, Offsets(offsets) }, new[] { Build(lt.ValueDataType, items).Data }));
                }
            default:
                throw new NotSupportedException(type.Name);
        }
    }

    /// <summary>JSON of a plain value.</summary>
    public static string Json(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    /// <summary>JSON of element <paramref name="index"/> of an Arrow array.</summary>
    public static string Json(IArrowArray array, int index) => Json(ToPlain(array, index));

    /// <summary>The plain value of element <paramref name="index"/> of an Arrow array.</summary>
    public static object? ToPlain(IArrowArray array, int index)
    {
        if (array.IsNull(index)) return null;
        switch (array)
        {
            case Int32Array a: return a.GetValue(index)!.Value;
            case Int64Array a: return a.GetValue(index)!.Value;
            case DoubleArray a: return a.GetValue(index)!.Value;
            case BooleanArray a: return a.GetValue(index)!.Value;
            case StringArray a: return a.GetString(index);
            case StructArray s:
                {
                    var row = new object?[s.Fields.Count];
                    for (var k = 0; k < row.Length; k++) row[k] = ToPlain(s.Fields[k], index);
                    return row;
                }
            case MapArray m:
                {
                    var entries = new List<KeyValuePair<object, object?>>();
                    var keys = m.Keys;
                    var values = m.Values;
                    for (var j = m.ValueOffsets[index]; j < m.ValueOffsets[index + 1]; j++)
                    {
                        entries.Add(new(ToPlain(keys, j)!, ToPlain(values, j)));
                    }
                    return entries;
                }
            case ListArray l:
                {
                    var list = new List<object?>();
                    for (var j = l.ValueOffsets[index]; j < l.ValueOffsets[index + 1]; j++) list.Add(ToPlain(l.Values, j));
                    return list;
                }
            default:
                throw new NotSupportedException(array.GetType().Name);
        }
    }

    private static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case string s: sb.Append('"').Append(s).Append('"'); break;
            case object?[] row:
                sb.Append('{');
                for (var k = 0; k < row.Length; k++)
                {
                    if (k > 0) sb.Append(',');
                    sb.Append("\"f").Append(k).Append("\":");
                    Write(sb, row[k]);
                }
                sb.Append('}');
                break;
            case List<KeyValuePair<object, object?>> map:
                sb.Append('{');
                for (var k = 0; k < map.Count; k++)
                {
                    if (k > 0) sb.Append(',');
                    sb.Append('"').Append(Convert.ToString(map[k].Key, CultureInfo.InvariantCulture)).Append("\":");
                    Write(sb, map[k].Value);
                }
                sb.Append('}');
                break;
            case List<object?> list:
                sb.Append('[');
                for (var k = 0; k < list.Count; k++)
                {
                    if (k > 0) sb.Append(',');
                    Write(sb, list[k]);
                }
                sb.Append(']');
                break;
            default:
                throw new NotSupportedException(value.GetType().Name);
        }
    }

    private static (ArrowBuffer Buffer, int Nulls) Validity(IReadOnlyList<object?> values)
    {
        var bits = new byte[(values.Count + 7) / 8];
        var nulls = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not null) bits[i / 8] |= (byte)(1 << (i % 8));
            else nulls++;
        }
        return (nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(bits), nulls);
    }

    private static ArrowBuffer Offsets(int[] offsets)
    {
        var bytes = new byte[offsets.Length * 4];
        Buffer.BlockCopy(offsets, 0, bytes, 0, bytes.Length);
        return new ArrowBuffer(bytes);
    }
}
