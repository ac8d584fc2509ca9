namespace Floe.Iceberg.Catalog;

/// <summary>
/// Per registered table, which foreign location prefixes (<c>s3a://bucket/t</c>) map to which local folders. A
/// table with mappings is one Floe registered rather than created. Kept by the catalog beside its tables (its own
/// table, so readers of the Iceberg JDBC layout are not disturbed).
/// </summary>
public interface ILocationMappingStore
{
    /// <summary>Replaces the mappings of <paramref name="id"/>.</summary>
    void Save(TableIdentifier id, IReadOnlyList<(string From, string To)> mappings);

    /// <summary>The mappings of <paramref name="id"/> (empty for a table Floe created).</summary>
    IReadOnlyList<(string From, string To)> Load(TableIdentifier id);

    /// <summary>Forgets the mappings of <paramref name="id"/>.</summary>
    void Remove(TableIdentifier id);
}
