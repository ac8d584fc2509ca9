namespace Floe.Avro;

/// <summary>An Avro record: named, with ordered fields.</summary>
public sealed class AvroRecordSchema : AvroNamedSchema
{
    private IReadOnlyList<AvroField> _fields = Array.Empty<AvroField>();
    private Dictionary<string, int>? _byName;

    /// <summary>Creates a record with the given fields.</summary>
    public AvroRecordSchema(string name, string? ns, IReadOnlyList<AvroField> fields)
        : base(AvroType.Record, name, ns)
    {
        SetFields(fields);
    }

    /// <summary>The fields in encoding order.</summary>
    public IReadOnlyList<AvroField> Fields => _fields;

    /// <summary>The position of the field named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        _byName ??= BuildIndex();
        return _byName.TryGetValue(name, out var i) ? i : -1;
    }

    /// <summary>The field named <paramref name="name"/>, or null.</summary>
    public AvroField? FindField(string name)
    {
        var i = IndexOf(name);
        return i < 0 ? null : _fields[i];
    }

    /// <summary>
    /// Replaces the fields. Only the parser uses this: a record must be registered by name before its fields are
    /// parsed, because a field may refer back to the record itself.
    /// </summary>
    internal void SetFields(IReadOnlyList<AvroField> fields)
    {
        _fields = fields;
        _byName = null;
    }

    private Dictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(_fields.Count, StringComparer.Ordinal);
        for (var i = 0; i < _fields.Count; i++)
        {
            index.TryAdd(_fields[i].Name, i);
        }
        return index;
    }
}
