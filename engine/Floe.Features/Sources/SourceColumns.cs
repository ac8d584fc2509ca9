using Apache.Arrow;

namespace Floe.Features.Sources;

/// <summary>Narrows a source's schema to the columns a computation reads (<see cref="IEventSource.Select"/>).</summary>
public static class SourceColumns
{
    /// <summary>
    /// The fields of <paramref name="schema"/> named in <paramref name="columns"/>, in the schema's order; null when
    /// that is every field, so the source has nothing to narrow.
    /// </summary>
    public static IReadOnlyList<Field>? Narrow(Schema schema, IReadOnlySet<string> columns)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        var fields = new List<Field>();
        foreach (var f in schema.FieldsList)
        {
            if (columns.Contains(f.Name)) { fields.Add(f); }
        }
        return fields.Count == schema.FieldsList.Count ? null : fields;
    }
}
