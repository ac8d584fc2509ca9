using Parquet.Meta;

namespace Floe.Parquet.Reading;

/// <summary>
/// One node of a Parquet file's schema tree (rebuilt from the footer's flattened <c>SchemaElement</c> list, which
/// is the only place Parquet.Net exposes field ids), with the definition and repetition levels at which it is present.
/// </summary>
internal sealed class FileSchemaNode
{
    private FileSchemaNode(SchemaElement element, int definitionLevel, int repetitionLevel)
    {
        Element = element;
        DefinitionLevel = definitionLevel;
        RepetitionLevel = repetitionLevel;
    }

    public SchemaElement Element { get; }

    public string Name => Element.Name;

    public int? FieldId => Element.FieldId;

    /// <summary>Definition level at which this node is present (counts optional and repeated nodes from the root, inclusive).</summary>
    public int DefinitionLevel { get; }

    /// <summary>Repetition level of this node (counts repeated nodes from the root, inclusive).</summary>
    public int RepetitionLevel { get; }

    public bool IsOptional => Element.RepetitionType == FieldRepetitionType.OPTIONAL;

    public bool IsRepeated => Element.RepetitionType == FieldRepetitionType.REPEATED;

    public bool IsLeaf => Children.Count == 0 && Element.Type is not null;

    public List<FileSchemaNode> Children { get; } = new();

    /// <summary>Index of this leaf among all leaves (the column chunk index), -1 for groups.</summary>
    public int LeafIndex { get; private set; } = -1;

    /// <summary>The first leaf under this node (the node itself for a leaf).</summary>
    public FileSchemaNode FirstLeaf()
    {
        var node = this;
        while (!node.IsLeaf)
        {
            if (node.Children.Count == 0) throw new InvalidDataException($"group '{node.Name}' has no children");
            node = node.Children[0];
        }
        return node;
    }

    /// <summary>Finds the child with the given field id, or null.</summary>
    public FileSchemaNode? ChildById(int id)
    {
        foreach (var child in Children)
        {
            if (child.FieldId == id) return child;
        }
        return null;
    }

    /// <summary>Finds the child with the given name, or null.</summary>
    public FileSchemaNode? ChildByName(string name)
    {
        foreach (var child in Children)
        {
            if (child.Name == name) return child;
        }
        return null;
    }

    /// <summary>Builds the tree; returns the root. Leaves are numbered in depth-first order, as Parquet orders column chunks.</summary>
    public static FileSchemaNode Build(IReadOnlyList<SchemaElement> elements, out List<FileSchemaNode> leaves)
    {
        if (elements.Count == 0) throw new InvalidDataException("the footer has an empty schema");
        var index = 0;
        leaves = new List<FileSchemaNode>();
        var root = new FileSchemaNode(elements[0], 0, 0);
        index++;
        AddChildren(root, elements, ref index, leaves);
        return root;
    }

    private static void AddChildren(FileSchemaNode parent, IReadOnlyList<SchemaElement> elements, ref int index, List<FileSchemaNode> leaves)
    {
        var count = parent.Element.NumChildren ?? 0;
        for (var i = 0; i < count; i++)
        {
            if (index >= elements.Count) throw new InvalidDataException($"schema element '{parent.Name}' claims {count} children but the list ends");
            var element = elements[index++];
            var def = parent.DefinitionLevel + (element.RepetitionType is FieldRepetitionType.OPTIONAL or FieldRepetitionType.REPEATED ? 1 : 0);
            var rep = parent.RepetitionLevel + (element.RepetitionType == FieldRepetitionType.REPEATED ? 1 : 0);
            var node = new FileSchemaNode(element, def, rep);
            parent.Children.Add(node);
            if ((element.NumChildren ?? 0) > 0)
            {
                AddChildren(node, elements, ref index, leaves);
            }
            else
            {
                node.LeafIndex = leaves.Count;
                leaves.Add(node);
            }
        }
    }

    /// <summary>True when any node below the root carries a field id.</summary>
    public bool HasFieldIds()
    {
        foreach (var child in Children)
        {
            if (child.FieldId is not null || child.HasFieldIds()) return true;
        }
        return false;
    }
}
