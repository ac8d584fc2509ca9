namespace Floe.Parquet.Writing;

/// <summary>One element of the Parquet schema a writer emits: a leaf column or a group (struct, LIST, MAP or the repeated group inside them).</summary>
internal sealed class SchemaNode
{
    public const int Required = 0;
    public const int Optional = 1;
    public const int Repeated = 2;
    public const int GroupNone = 0;
    public const int GroupList = 1;
    public const int GroupMap = 2;

    public SchemaNode(string name, int? fieldId, int repetition, int groupKind, ColumnDescriptor? column)
    {
        Name = name;
        FieldId = fieldId;
        Repetition = repetition;
        GroupKind = groupKind;
        Column = column;
    }

    public string Name { get; }

    /// <summary>The Iceberg field id; none for the repeated group of a list or map.</summary>
    public int? FieldId { get; }

    public int Repetition { get; }

    /// <summary>For groups, the LIST or MAP annotation (or none).</summary>
    public int GroupKind { get; }

    /// <summary>The leaf column; null for groups.</summary>
    public ColumnDescriptor? Column { get; }

    public List<SchemaNode> Children { get; } = new();
}
