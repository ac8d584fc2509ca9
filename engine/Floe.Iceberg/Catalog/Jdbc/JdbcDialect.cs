namespace Floe.Iceberg.Catalog.Jdbc;

/// <summary>Where one database's JDBC catalog departs from the shared statements of <see cref="JdbcCatalog"/>.</summary>
/// <param name="TableRowFilter">
/// A condition that keeps only table rows of <c>iceberg_tables</c> (Iceberg's JDBC catalog keeps views there too, told
/// apart by <c>iceberg_type</c>), or empty where the database's layout has no views to skip.
/// </param>
public sealed record JdbcDialect(string TableRowFilter)
{
    /// <summary>The layout of Iceberg's JDBC catalog since views: rows with <c>iceberg_type</c> TABLE (or unset, as older writers left it).</summary>
    public static JdbcDialect WithViews { get; } = new("(iceberg_type = 'TABLE' OR iceberg_type IS NULL)");

    /// <summary>The layout as PyIceberg's SqlCatalog and Floe's embedded catalog use it: every row is a table.</summary>
    public static JdbcDialect TablesOnly { get; } = new("");
}
