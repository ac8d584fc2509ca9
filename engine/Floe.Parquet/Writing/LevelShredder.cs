using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Core.Types;
using ArrowArray = Apache.Arrow.Array;

namespace Floe.Parquet.Writing;

/// <summary>
/// Turns one top-level struct, list or map field of Arrow batches into the definition and repetition levels of its
/// leaf columns (the Dremel encoding Parquet uses) and hands each leaf its levels and value positions. Lists are
/// written in the three-level form (<c>&lt;name&gt; (LIST) { repeated group list { element } }</c>) and maps as
/// <c>&lt;name&gt; (MAP) { repeated group key_value { key; value } }</c>, with Iceberg field ids on every named node.
/// The walk recurses over the schema only, so its depth is the schema's; rows are visited in a loop per level.
/// </summary>
internal sealed class LevelShredder
{
    private readonly Node _root;
    private readonly List<Node> _leaves = new();
    private readonly string _location;

    /// <summary>Builds the level tree for <paramref name="field"/>; <paramref name="location"/> names the file in errors.</summary>
    public LevelShredder(NestedField field, string location)
    {
        _location = location;
        _root = Build(field.Name, field.Id, !field.Required, field.Type, new List<string>(), 0, 0, field.Name);
        Schema = _root.Schema;
    }

    /// <summary>The Parquet schema subtree of the field.</summary>
    public SchemaNode Schema { get; }

    /// <summary>The leaf column descriptors in schema order.</summary>
    public IEnumerable<ColumnDescriptor> Leaves
    {
        get
        {
            foreach (var leaf in _leaves) yield return leaf.Column!;
        }
    }

    /// <summary>Checks the Arrow array's shape (struct, list and map nesting and leaf types) against the field.</summary>
    public void Validate(IArrowArray array, ReadOnlySpan<ColumnWriter> writers) => Bind(_root, (ArrowArray)array, writers);

    /// <summary>
    /// Appends rows [start, start+count) to <paramref name="writers"/> (the field's leaf writers, in order); a null
    /// where the schema requires a value is found here, so a writer that throws must be discarded.
    /// </summary>
    public void Append(IArrowArray array, int start, int count, ReadOnlySpan<ColumnWriter> writers)
    {
        Bind(_root, (ArrowArray)array, writers);
        foreach (var leaf in _leaves) leaf.Clear();
        for (var i = start; i < start + count; i++) Shred(_root, _root.Array!, i, 0, 0);
        for (var l = 0; l < _leaves.Count; l++)
        {
            var leaf = _leaves[l];
            writers[l].AppendNested(leaf.Array!, leaf.Definitions.AsSpan(0, leaf.Count), leaf.Repetitions.AsSpan(0, leaf.Count), leaf.Values.AsSpan(0, leaf.ValueCount));
        }
    }

    private Node Build(string name, int id, bool optional, IcebergType type, List<string> path, int parentDef, int parentRep, string display)
    {
        var def = parentDef + (optional ? 1 : 0);
        if (def > 255) throw Errors.Unsupported($"column '{display}': nesting too deep to write to Parquet");
        path.Add(name);
        Node node;
        switch (type)
        {
            case PrimitiveType:
                {
                    var leafField = new NestedField(id, name, !optional, type);
                    node = new Node(NodeKind.Leaf, optional, def, parentRep, display)
                    {
                        Column = ColumnDescriptor.ForNested(leafField, path.ToArray(), def, parentRep),
                    };
                    node.Schema = new SchemaNode(name, id, optional ? SchemaNode.Optional : SchemaNode.Required, SchemaNode.GroupNone, node.Column);
                    _leaves.Add(node);
                    break;
                }
            case StructType s:
                {
                    node = new Node(NodeKind.Struct, optional, def, parentRep, display);
                    var schema = new SchemaNode(name, id, optional ? SchemaNode.Optional : SchemaNode.Required, SchemaNode.GroupNone, null);
                    foreach (var f in s.Fields)
                    {
                        var child = Build(f.Name, f.Id, !f.Required, f.Type, path, def, parentRep, display + "." + f.Name);
                        node.Children.Add(child);
                        schema.Children.Add(child.Schema);
                    }
                    node.Schema = schema;
                    break;
                }
            case ListType l:
                {
                    node = new Node(NodeKind.List, optional, def, parentRep + 1, display);
                    path.Add("list");
                    var element = Build("element", l.ElementId, !l.ElementRequired, l.ElementType, path, def + 1, parentRep + 1, display + ".element");
                    path.RemoveAt(path.Count - 1);
                    node.Children.Add(element);
                    var repeated = new SchemaNode("list", null, SchemaNode.Repeated, SchemaNode.GroupNone, null);
                    repeated.Children.Add(element.Schema);
                    node.Schema = new SchemaNode(name, id, optional ? SchemaNode.Optional : SchemaNode.Required, SchemaNode.GroupList, null);
                    node.Schema.Children.Add(repeated);
                    break;
                }
            case MapType m:
                {
                    node = new Node(NodeKind.Map, optional, def, parentRep + 1, display);
                    path.Add("key_value");
                    var key = Build("key", m.KeyId, false, m.KeyType, path, def + 1, parentRep + 1, display + ".key");
                    var value = Build("value", m.ValueId, !m.ValueRequired, m.ValueType, path, def + 1, parentRep + 1, display + ".value");
                    path.RemoveAt(path.Count - 1);
                    node.Children.Add(key);
                    node.Children.Add(value);
                    var repeated = new SchemaNode("key_value", null, SchemaNode.Repeated, SchemaNode.GroupNone, null);
                    repeated.Children.Add(key.Schema);
                    repeated.Children.Add(value.Schema);
                    node.Schema = new SchemaNode(name, id, optional ? SchemaNode.Optional : SchemaNode.Required, SchemaNode.GroupMap, null);
                    node.Schema.Children.Add(repeated);
                    break;
                }
            default:
                throw Errors.Unsupported($"column '{display}': type {type} cannot be written to Parquet");
        }
        path.RemoveAt(path.Count - 1);
        CollectLeaves(node);
        return node;
    }

    private static void CollectLeaves(Node node)
    {
        if (node.Kind == NodeKind.Leaf)
        {
            node.LeavesBelow.Add(node);
            return;
        }
        foreach (var c in node.Children) node.LeavesBelow.AddRange(c.LeavesBelow);
    }

    /// <summary>Resolves the Arrow array of every node for this batch, checking the shape against the schema.</summary>
    private void Bind(Node node, ArrowArray array, ReadOnlySpan<ColumnWriter> writers)
    {
        node.Array = array;
        switch (node.Kind)
        {
            case NodeKind.Leaf:
                writers[_leaves.IndexOf(node)].ValidateType(array);
                break;
            case NodeKind.Struct:
                // Children come from the raw child data, which Arrow indexes from the parent's offset (see Shred).
                if (array is not StructArray || array.Data.Children.Length != node.Children.Count) throw Shape(node, array, $"struct of {node.Children.Count} fields");
                for (var i = 0; i < node.Children.Count; i++) Bind(node.Children[i], (ArrowArray)ArrowArrayFactory.BuildArray(array.Data.Children[i]), writers);
                break;
            case NodeKind.List:
                if (array is not ListArray l || array is MapArray) throw Shape(node, array, "list");
                Bind(node.Children[0], (ArrowArray)l.Values, writers);
                break;
            case NodeKind.Map:
                if (array is not MapArray m || m.KeyValues is not StructArray entries || entries.Data.Children.Length != 2) throw Shape(node, array, "map");
                node.EntriesOffset = entries.Offset;
                Bind(node.Children[0], (ArrowArray)ArrowArrayFactory.BuildArray(entries.Data.Children[0]), writers);
                Bind(node.Children[1], (ArrowArray)ArrowArrayFactory.BuildArray(entries.Data.Children[1]), writers);
                break;
        }
    }

    private FloeException Shape(Node node, ArrowArray array, string expected) =>
        Errors.InvalidArgument($"{_location}: column '{node.Display}' is an Iceberg {expected} but the batch holds Arrow {array.Data.DataType.Name}");

    /// <summary>Emits the levels of the value at <paramref name="index"/> of <paramref name="array"/>, present at its parent with level <paramref name="parentDef"/>.</summary>
    private void Shred(Node node, ArrowArray array, int index, int parentDef, int rep)
    {
        if (array.IsNull(index))
        {
            if (!node.Optional) throw Errors.InvalidArgument($"{_location}: required column '{node.Display}' holds a null");
            EmitEmpty(node, parentDef, rep);
            return;
        }
        var def = node.Definition;
        switch (node.Kind)
        {
            case NodeKind.Leaf:
                node.Add((byte)def, (byte)rep, index);
                break;
            case NodeKind.Struct:
                {
                    // A struct's children are indexed from the struct's own offset.
                    var child = array.Offset + index;
                    foreach (var c in node.Children) Shred(c, c.Array!, child, def, rep);
                    break;
                }
            case NodeKind.List:
            case NodeKind.Map:
                {
                    var offsets = ((ListArray)array).ValueOffsets;
                    int from = offsets[index], to = offsets[index + 1];
                    if (from == to)
                    {
                        foreach (var c in node.Children) EmitEmpty(c, def, rep);
                        break;
                    }
                    var shift = node.Kind == NodeKind.Map ? node.EntriesOffset : 0;
                    for (var k = from; k < to; k++)
                    {
                        var r = k == from ? rep : node.Repetition;
                        foreach (var c in node.Children) Shred(c, c.Array!, k + shift, def + 1, r);
                    }
                    break;
                }
        }
    }

    /// <summary>Every leaf below a null (or empty) node gets one slot at the level where the value stopped.</summary>
    private static void EmitEmpty(Node node, int def, int rep)
    {
        foreach (var leaf in node.LeavesBelow) leaf.Add((byte)def, (byte)rep, -1);
    }

    private enum NodeKind
    {
        Leaf,
        Struct,
        List,
        Map,
    }

    private sealed class Node
    {
        public Node(NodeKind kind, bool optional, int definition, int repetition, string display)
        {
            Kind = kind;
            Optional = optional;
            Definition = definition;
            Repetition = repetition;
            Display = display;
        }

        public NodeKind Kind { get; }

        public bool Optional { get; }

        /// <summary>Definition level of a present value of this node.</summary>
        public int Definition { get; }

        /// <summary>For lists and maps, the repetition level of their second and later entries.</summary>
        public int Repetition { get; }

        public string Display { get; }

        public List<Node> Children { get; } = new();

        public List<Node> LeavesBelow { get; } = new();

        public SchemaNode Schema { get; set; } = null!;

        public ColumnDescriptor? Column { get; init; }

        public ArrowArray? Array { get; set; }

        public int EntriesOffset { get; set; }

        public byte[] Definitions { get; private set; } = new byte[256];

        public byte[] Repetitions { get; private set; } = new byte[256];

        public int[] Values { get; private set; } = new int[256];

        public int Count { get; private set; }

        public int ValueCount { get; private set; }

        public void Clear()
        {
            Count = 0;
            ValueCount = 0;
        }

        public void Add(byte definition, byte repetition, int valueIndex)
        {
            if (Count == Definitions.Length)
            {
                var d = Definitions;
                var r = Repetitions;
                System.Array.Resize(ref d, Count * 2);
                System.Array.Resize(ref r, Count * 2);
                Definitions = d;
                Repetitions = r;
            }
            Definitions[Count] = definition;
            Repetitions[Count] = repetition;
            Count++;
            if (valueIndex < 0) return;
            if (ValueCount == Values.Length)
            {
                var v = Values;
                System.Array.Resize(ref v, ValueCount * 2);
                Values = v;
            }
            Values[ValueCount++] = valueIndex;
        }
    }
}
