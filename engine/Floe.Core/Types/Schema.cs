using Floe.Core.Errors;

namespace Floe.Core.Types;

/// <summary>
/// A table schema: the top-level struct's fields plus the schema id. Lookups by field id and by (dotted) name
/// cover nested struct fields; list elements and map keys/values are reachable by id.
/// </summary>
public sealed class Schema
{
    private readonly Dictionary<int, NestedField> _byId = new();
    private readonly Dictionary<string, NestedField> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _nameById = new();

    /// <summary>Creates a schema; field ids must be unique across the whole tree.</summary>
    public Schema(int schemaId, IReadOnlyList<NestedField> fields, IReadOnlyList<int>? identifierFieldIds = null)
    {
        SchemaId = schemaId;
        Fields = fields;
        IdentifierFieldIds = identifierFieldIds ?? Array.Empty<int>();
        Index(fields, prefix: null);
    }

    /// <summary>The schema id.</summary>
    public int SchemaId { get; }

    /// <summary>Top-level fields in order.</summary>
    public IReadOnlyList<NestedField> Fields { get; }

    /// <summary>Identifier (row key) field ids.</summary>
    public IReadOnlyList<int> IdentifierFieldIds { get; }

    /// <summary>The struct form of the schema.</summary>
    public StructType AsStruct() => new(Fields);

    /// <summary>The highest field id anywhere in the schema (0 when empty).</summary>
    public int HighestFieldId => _byId.Count == 0 ? 0 : _byId.Keys.Max();

    /// <summary>Finds a field (at any depth) by id, or null.</summary>
    public NestedField? FindField(int id) => _byId.GetValueOrDefault(id);

    /// <summary>Finds a field by exact name, dotted for nested struct fields (<c>redpanda.timestamp</c>), or null.</summary>
    public NestedField? FindField(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The full dotted name of a field id, or null.</summary>
    public string? FindColumnName(int id) => _nameById.GetValueOrDefault(id);

    /// <summary>Finds a field by name or throws a <see cref="FloeException"/> naming the column.</summary>
    public NestedField GetField(string name) =>
        FindField(name) ?? throw Floe.Core.Errors.Errors.InvalidArgument($"column '{name}' is not in the table schema (columns: {string.Join(", ", Fields.Select(f => f.Name))})");

    /// <summary>Finds a field by id or throws.</summary>
    public NestedField GetField(int id) =>
        FindField(id) ?? throw Floe.Core.Errors.Errors.InvalidData($"field id {id} is not in schema {SchemaId}");

    private void Index(IReadOnlyList<NestedField> fields, string? prefix)
    {
        foreach (var field in fields)
        {
            var name = prefix is null ? field.Name : prefix + "." + field.Name;
            if (!_byId.TryAdd(field.Id, field))
            {
                throw Floe.Core.Errors.Errors.InvalidData($"schema {SchemaId}: duplicate field id {field.Id} ('{name}')");
            }
            _byName.TryAdd(name, field);
            _nameById[field.Id] = name;
            IndexNested(field.Type, name);
        }
    }

    private void IndexNested(IcebergType type, string name)
    {
        switch (type)
        {
            case StructType s:
                Index(s.Fields, name);
                break;
            case ListType l:
                var element = new NestedField(l.ElementId, "element", l.ElementRequired, l.ElementType);
                _byId.TryAdd(l.ElementId, element);
                _nameById[l.ElementId] = name + ".element";
                IndexNested(l.ElementType, name + ".element");
                break;
            case MapType m:
                _byId.TryAdd(m.KeyId, new NestedField(m.KeyId, "key", true, m.KeyType));
                _byId.TryAdd(m.ValueId, new NestedField(m.ValueId, "value", m.ValueRequired, m.ValueType));
                _nameById[m.KeyId] = name + ".key";
                _nameById[m.ValueId] = name + ".value";
                IndexNested(m.KeyType, name + ".key");
                IndexNested(m.ValueType, name + ".value");
                break;
        }
    }
}
