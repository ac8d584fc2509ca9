namespace Floe.Iceberg.Catalog;

/// <summary>What <see cref="Warehouse.DropTable"/> did.</summary>
/// <param name="Table">The dropped table.</param>
/// <param name="Purged">Whether its files were purged.</param>
/// <param name="DeletedFiles">The referenced files deleted.</param>
/// <param name="SkippedFiles">Referenced files left in place, each with the reason (outside the warehouse, behind a link).</param>
public sealed record DropTableResult(TableIdentifier Table, bool Purged, IReadOnlyList<string> DeletedFiles, IReadOnlyList<string> SkippedFiles);
