using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Arrow;
using Floe.Core.Types;
using IcebergListType = Floe.Core.Types.ListType;
using IcebergMapType = Floe.Core.Types.MapType;
using IcebergStructType = Floe.Core.Types.StructType;

namespace Floe.Parquet.Reading;

/// <summary>
/// Rebuilds Arrow arrays (struct, list, map, primitive) from leaf definition/repetition levels. Each node is given
/// its "slots": for every leaf below it, the level-entry index where each instance of the node starts
/// (null = entry i for slot i). Any leaf below a node carries the node's presence and repetition, so the node's
/// first leaf decides validity and list lengths.
/// </summary>
internal sealed class ColumnAssembler
{
    private readonly IReadOnlyDictionary<int, LeafColumn> _leaves;
    private readonly bool _byId;

    public ColumnAssembler(IReadOnlyDictionary<int, LeafColumn> leaves, bool matchById)
    {
        _leaves = leaves;
        _byId = matchById;
    }

    /// <summary>Finds the file node of an Iceberg field among a group's children (by id, or by name for files without ids).</summary>
    public FileSchemaNode? Match(FileSchemaNode parent, NestedField field) =>
        _byId ? parent.ChildById(field.Id) : parent.ChildByName(field.Name);

    /// <summary>Slots of a top-level node: one per row, at the entries with repetition level 0.</summary>
    public Dictionary<int, int[]?> TopLevelSlots(FileSchemaNode node, int rows)
    {
        var slots = new Dictionary<int, int[]?>();
        foreach (var (index, leaf) in _leaves)
        {
            if (!IsUnder(leaf.Node, node)) continue;
            if (leaf.Rep is null)
            {
                slots[index] = null;
                continue;
            }
            var starts = new int[rows];
            var n = 0;
            for (var e = 0; e < leaf.LevelCount; e++)
            {
                if (leaf.Rep[e] == 0)
                {
                    if (n == rows) throw Errors.InvalidData($"column '{leaf.Node.Name}' has more records than the row group's {rows} rows");
                    starts[n++] = e;
                }
            }
            if (n != rows) throw Errors.InvalidData($"column '{leaf.Node.Name}' has {n} records, the row group has {rows}");
            slots[index] = starts;
        }
        return slots;
    }

    public IArrowArray Build(NestedField field, FileSchemaNode node, Dictionary<int, int[]?> slots, int length)
    {
        switch (field.Type)
        {
            case PrimitiveType p:
                if (!node.IsLeaf) throw Errors.InvalidData($"field '{field.Name}' (id {field.Id}) is {p} in the table but a group in the file");
                return ArrowArrays.FromLeaf(_leaves[node.LeafIndex], p, slots[node.LeafIndex], length);
            case IcebergStructType s:
                return BuildStruct(field, s, node, slots, length);
            case IcebergListType l:
                return BuildList(field, l, node, slots, length);
            case IcebergMapType m:
                return BuildMap(field, m, node, slots, length);
            default:
                throw Errors.Unsupported($"field '{field.Name}': type {field.Type}");
        }
    }

    /// <summary>The array for a field the file lacks: its initial default, else nulls.</summary>
    public static IArrowArray Missing(NestedField field, int length) =>
        ArrowArrays.Constant(field.Type, DefaultValues.Parse(field.InitialDefault, field.Type, field.Name), length);

    private IArrowArray BuildStruct(NestedField field, IcebergStructType type, FileSchemaNode node, Dictionary<int, int[]?> slots, int length)
    {
        if (node.IsLeaf) throw Errors.InvalidData($"field '{field.Name}' (id {field.Id}) is a struct in the table but a primitive in the file");
        var (bitmap, nulls) = Validity(node, node.DefinitionLevel, slots, length);
        var children = new List<IArrowArray>(type.Fields.Count);
        foreach (var child in type.Fields)
        {
            var childNode = Match(node, child);
            children.Add(childNode is null ? Missing(child, length) : Build(child, childNode, slots, length));
        }
        return new StructArray(ArrowSchemas.ToArrowType(type), length, children, bitmap, nulls);
    }

    private IArrowArray BuildList(NestedField field, IcebergListType type, FileSchemaNode node, Dictionary<int, int[]?> slots, int length)
    {
        var (repeated, element) = ListNodes(field, node);
        var (offsets, bitmap, nulls, childSlots, total) = Repeat(node, repeated, slots, length);
        var elementField = new NestedField(type.ElementId, "element", type.ElementRequired, type.ElementType);
        var values = Build(elementField, element, childSlots, total);
        return new ListArray(ArrowSchemas.ToArrowType(type), length, offsets, values, bitmap, nulls);
    }

    private IArrowArray BuildMap(NestedField field, IcebergMapType type, FileSchemaNode node, Dictionary<int, int[]?> slots, int length)
    {
        if (node.IsLeaf || node.Children.Count != 1 || !node.Children[0].IsRepeated || node.Children[0].Children.Count != 2)
        {
            throw Errors.InvalidData($"field '{field.Name}' (id {field.Id}) is a map in the table but not a MAP group in the file");
        }
        var repeated = node.Children[0];
        var (offsets, bitmap, nulls, childSlots, total) = Repeat(node, repeated, slots, length);
        var keys = Build(new NestedField(type.KeyId, "key", true, type.KeyType), repeated.Children[0], childSlots, total);
        var values = Build(new NestedField(type.ValueId, "value", type.ValueRequired, type.ValueType), repeated.Children[1], childSlots, total);
        var arrowType = (Apache.Arrow.Types.MapType)ArrowSchemas.ToArrowType(type);
        var entries = new StructArray(arrowType.KeyValueType, total, new[] { keys, values }, ArrowBuffer.Empty, 0);
        return new MapArray(arrowType, length, offsets, entries, bitmap, nulls);
    }

    private static (FileSchemaNode Repeated, FileSchemaNode Element) ListNodes(NestedField field, FileSchemaNode node)
    {
        if (node.IsLeaf || node.Children.Count != 1 || !node.Children[0].IsRepeated)
        {
            throw Errors.InvalidData($"field '{field.Name}' (id {field.Id}) is a list in the table but not a LIST group in the file");
        }
        var repeated = node.Children[0];
        // Three-level lists put the element under the repeated group; legacy two-level lists repeat the element itself.
        var twoLevel = repeated.IsLeaf || repeated.Children.Count > 1 || repeated.Name == "array" || repeated.Name == node.Name + "_tuple";
        return (repeated, twoLevel ? repeated : repeated.Children[0]);
    }

    private (ArrowBuffer Offsets, ArrowBuffer Bitmap, int Nulls, Dictionary<int, int[]?> ChildSlots, int Total) Repeat(
        FileSchemaNode node, FileSchemaNode repeated, Dictionary<int, int[]?> slots, int length)
    {
        var (bitmap, nulls) = Validity(node, node.DefinitionLevel, slots, length);
        var representative = node.FirstLeaf().LeafIndex;
        var offsets = new int[length + 1];
        var childSlots = new Dictionary<int, int[]?>();
        var total = -1;
        foreach (var (index, leafSlots) in slots)
        {
            var leaf = _leaves[index];
            if (!IsUnder(leaf.Node, node)) continue;
            var starts = new List<int>();
            for (var i = 0; i < length; i++)
            {
                var e = leafSlots is null ? i : leafSlots[i];
                var present = leaf.Def is null || leaf.Def[e] >= repeated.DefinitionLevel;
                if (present)
                {
                    starts.Add(e);
                    for (var j = e + 1; j < leaf.LevelCount && leaf.Rep![j] > node.RepetitionLevel; j++)
                    {
                        if (leaf.Rep[j] == repeated.RepetitionLevel) starts.Add(j);
                    }
                }
                if (index == representative) offsets[i + 1] = starts.Count;
            }
            if (total >= 0 && total != starts.Count)
            {
                throw Errors.InvalidData($"column '{leaf.Node.Name}' disagrees with its siblings about the number of '{node.Name}' elements");
            }
            total = starts.Count;
            childSlots[index] = starts.ToArray();
        }
        return (new ArrowBuffer(System.Runtime.InteropServices.MemoryMarshal.AsBytes(offsets.AsSpan()).ToArray()), bitmap, nulls, childSlots, Math.Max(total, 0));
    }

    private (ArrowBuffer Bitmap, int Nulls) Validity(FileSchemaNode node, int presentLevel, Dictionary<int, int[]?> slots, int length)
    {
        var leaf = _leaves[node.FirstLeaf().LeafIndex];
        if (leaf.Def is null) return (ArrowBuffer.Empty, 0);
        var leafSlots = slots[leaf.Node.LeafIndex];
        var bits = new byte[(length + 7) >> 3];
        var nulls = 0;
        for (var i = 0; i < length; i++)
        {
            var e = leafSlots is null ? i : leafSlots[i];
            if (leaf.Def[e] >= presentLevel) bits[i >> 3] |= (byte)(1 << (i & 7));
            else nulls++;
        }
        return (nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(bits), nulls);
    }

    private static bool IsUnder(FileSchemaNode leaf, FileSchemaNode node)
    {
        if (node.IsLeaf) return leaf == node;
        foreach (var child in node.Children)
        {
            if (IsUnder(leaf, child)) return true;
        }
        return false;
    }
}
