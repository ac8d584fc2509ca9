using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Scan;

/// <summary>
/// Projects a schema to selected columns, nested ones included, the way Iceberg readers do: selecting
/// <c>redpanda.partition</c> keeps the top-level struct <c>redpanda</c> with only the selected children, and several
/// selections under one top-level field share that one pruned column (placed where the first selection put it).
/// </summary>
internal static class NestedProjection
{
    /// <summary>The schema restricted to <paramref name="columns"/> (dotted names reach into structs).</summary>
    public static Schema Project(Schema schema, IReadOnlyList<string> columns)
    {
        var order = new List<NestedField>(columns.Count);
        var selected = new HashSet<int>();
        foreach (var c in columns)
        {
            var field = schema.GetField(c);
            selected.Add(field.Id);
            var top = TopLevelOf(schema, field.Id);
            if (!order.Exists(f => f.Id == top.Id)) order.Add(top);
        }
        var fields = new List<NestedField>(order.Count);
        foreach (var top in order) fields.Add(Prune(top, selected)!);
        return new Schema(schema.SchemaId, fields);
    }

    /// <summary>
    /// The field kept to the ids in <paramref name="selected"/>: whole when its own id is selected, a struct with only
    /// the children that lead to a selected id, or null when nothing under it is selected.
    /// </summary>
    public static NestedField? Prune(NestedField field, IReadOnlySet<int> selected)
    {
        if (selected.Contains(field.Id)) return field;
        if (!Contains(field.Type, selected)) return null;
        if (field.Type is not StructType s) return field;
        var children = new List<NestedField>(s.Fields.Count);
        foreach (var child in s.Fields)
        {
            if (Prune(child, selected) is { } kept) children.Add(kept);
        }
        return field with { Type = new StructType(children) };
    }

    /// <summary>True when <paramref name="type"/> holds a field with one of <paramref name="ids"/> at any depth.</summary>
    public static bool Contains(IcebergType type, IReadOnlySet<int> ids)
    {
        switch (type)
        {
            case StructType s:
                foreach (var f in s.Fields)
                {
                    if (ids.Contains(f.Id) || Contains(f.Type, ids)) return true;
                }
                return false;
            case ListType l:
                return ids.Contains(l.ElementId) || Contains(l.ElementType, ids);
            case MapType m:
                return ids.Contains(m.KeyId) || ids.Contains(m.ValueId) || Contains(m.KeyType, ids) || Contains(m.ValueType, ids);
            default:
                return false;
        }
    }

    /// <summary>Cuts an array read as <paramref name="read"/> down to the children of <paramref name="projected"/>.</summary>
    public static Apache.Arrow.IArrowArray PruneArray(Apache.Arrow.IArrowArray array, NestedField read, NestedField projected)
    {
        if (ReferenceEquals(read, projected) || read.Type is not StructType readStruct || projected.Type is not StructType projectedStruct ||
            array is not Apache.Arrow.StructArray structArray)
        {
            return array;
        }
        var children = new List<Apache.Arrow.IArrowArray>(projectedStruct.Fields.Count);
        foreach (var child in projectedStruct.Fields)
        {
            var index = readStruct.Fields.ToList().FindIndex(f => f.Id == child.Id);
            children.Add(PruneArray(structArray.Fields[index], readStruct.Fields[index], child));
        }
        return new Apache.Arrow.StructArray(
            Floe.Core.Arrow.ArrowSchemas.ToArrowType(projectedStruct), structArray.Length, children,
            structArray.NullBitmapBuffer, structArray.NullCount, structArray.Offset);
    }

    private static NestedField TopLevelOf(Schema schema, int id)
    {
        var single = new HashSet<int> { id };
        foreach (var f in schema.Fields)
        {
            if (f.Id == id || Contains(f.Type, single)) return f;
        }
        throw Core.Errors.Errors.InvalidArgument($"field id {id} is not in schema {schema.SchemaId}");
    }
}
