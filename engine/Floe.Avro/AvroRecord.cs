namespace Floe.Avro;

/// <summary>A record value of the generic model: the record schema plus one value per field, in field order.</summary>
public sealed class AvroRecord
{
    /// <summary>Creates a record with all values null.</summary>
    public AvroRecord(AvroRecordSchema schema)
        : this(schema, new object?[schema.Fields.Count])
    {
    }

    /// <summary>Wraps <paramref name="values"/> (one per field of <paramref name="schema"/>, not copied).</summary>
    public AvroRecord(AvroRecordSchema schema, object?[] values)
    {
        if (values.Length != schema.Fields.Count)
        {
            throw new ArgumentException($"record '{schema.FullName}' has {schema.Fields.Count} fields, got {values.Length} values", nameof(values));
        }
        Schema = schema;
        Values = values;
    }

    /// <summary>The record's schema.</summary>
    public AvroRecordSchema Schema { get; }

    /// <summary>The field values in field order.</summary>
    public object?[] Values { get; }

    /// <summary>The value of the field at <paramref name="index"/>.</summary>
    public object? this[int index]
    {
        get => Values[index];
        set => Values[index] = value;
    }

    /// <summary>The value of the field named <paramref name="name"/>; throws when there is no such field.</summary>
    public object? this[string name]
    {
        get => Values[IndexOrThrow(name)];
        set => Values[IndexOrThrow(name)] = value;
    }

    private int IndexOrThrow(string name)
    {
        var i = Schema.IndexOf(name);
        return i >= 0 ? i : throw new KeyNotFoundException($"record '{Schema.FullName}' has no field '{name}'");
    }
}
