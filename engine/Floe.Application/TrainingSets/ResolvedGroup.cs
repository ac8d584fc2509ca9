using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Application.TrainingSets;

/// <summary>A feature group ready to join: its table, key and time columns, and the features to attach.</summary>
/// <param name="Name">The group name (the definition's name, or the table's name without namespace).</param>
/// <param name="TableName">The feature table, <c>NS.TABLE</c>.</param>
/// <param name="Table">The loaded table.</param>
/// <param name="DefinitionSha256">SHA-256 (lowercase hex) of the canonical definition (<see cref="Floe.Features.Definitions.DefinitionHash"/>, as backfill lineage records it); null for a group given as a table.</param>
/// <param name="Entity">The entity key columns (same names in the spine and the table).</param>
/// <param name="Time">The table's feature-time column.</param>
/// <param name="Features">The table columns to attach, in output order.</param>
internal sealed record ResolvedGroup(
    string Name, string TableName, Table Table, string? DefinitionSha256, IReadOnlyList<string> Entity, string Time, IReadOnlyList<string> Features);
