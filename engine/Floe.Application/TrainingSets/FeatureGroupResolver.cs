using Floe.Application.Features;
using Floe.Core.Errors;
using Floe.Features.Definitions;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Application.TrainingSets;

/// <summary>
/// Turns a <c>--features</c> argument into a <see cref="ResolvedGroup"/>. A definition file (.json/.yaml/.yml) gives
/// the table (<c>output.table</c>, default <c>features.&lt;name&gt;</c>), entity and timestamp columns and features.
/// A table name gives the entity columns from the table property <c>floe.entity</c> (comma-separated) or else the
/// columns the spine and the table share besides the time columns, and the time column from the property
/// <c>floe.timestamp</c>, else the source column of a year/month/day/hour partition, else the column named like the
/// spine's time column; its features are all its other columns.
/// </summary>
internal static class FeatureGroupResolver
{
    /// <summary>Table property naming a feature table's entity key columns (comma-separated).</summary>
    public const string EntityProperty = "floe.entity";

    /// <summary>Table property naming a feature table's feature-time column.</summary>
    public const string TimestampProperty = "floe.timestamp";

    public static ResolvedGroup Resolve(Warehouse warehouse, FeatureSelection selection, IReadOnlyList<string> spineColumns, string spineTime)
    {
        var group = selection.Group;
        var isDefinition = group.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || group.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            || group.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        ResolvedGroup resolved;
        if (isDefinition)
        {
            var definition = DefinitionFiles.Parse(group);
            // The canonical hash, as backfills record in each snapshot's summary (floe.definition.sha256), so a
            // training set's groups can be matched with the snapshots that produced their rows.
            var sha = DefinitionFiles.Sha256(group);
            var table = Load(warehouse, definition.OutputTable, $"feature group '{definition.Name}' ({group})");
            var names = new List<string>(definition.Features.Count);
            foreach (var f in definition.Features) names.Add(f.Name);
            resolved = new ResolvedGroup(definition.Name, definition.OutputTable, table, sha, definition.Entity, definition.Timestamp, names);
        }
        else
        {
            var table = Load(warehouse, group, "--features");
            var schema = table.Schema;
            var time = TimeColumnOf(table, spineTime, group);
            var entity = EntityOf(table, spineColumns, spineTime, time, group);
            var features = new List<string>();
            foreach (var f in schema.Fields)
            {
                if (f.Name != time && !entity.Contains(f.Name)) features.Add(f.Name);
            }
            var dot = group.LastIndexOf('.');
            resolved = new ResolvedGroup(dot >= 0 ? group[(dot + 1)..] : group, group, table, null, entity, time, features);
        }
        if (selection.Names is { } chosen)
        {
            foreach (var name in chosen)
            {
                if (!resolved.Features.Contains(name))
                {
                    throw Errors.NotFound($"--features {group}: no feature '{name}' (features: {string.Join(", ", resolved.Features)})");
                }
            }
            resolved = resolved with { Features = chosen };
        }
        Check(resolved, spineColumns);
        return resolved;
    }

    private static Floe.Iceberg.Tables.Table Load(Warehouse warehouse, string name, string origin)
    {
        try
        {
            return warehouse.LoadTable(TableIdentifier.Parse(name));
        }
        catch (FloeException e) when (e.Code == FloeErrorCode.NotFound)
        {
            throw Errors.NotFound($"{origin}: feature table '{name}' does not exist (run a backfill first, or check the name)");
        }
    }

    private static string TimeColumnOf(Floe.Iceberg.Tables.Table table, string spineTime, string group)
    {
        var schema = table.Schema;
        if (table.Metadata.Properties.TryGetValue(TimestampProperty, out var named) && named.Length > 0) return named.Trim();
        foreach (var p in table.Spec.Fields)
        {
            if (p.Transform.Kind is TransformKind.Year or TransformKind.Month or TransformKind.Day or TransformKind.Hour
                && schema.FindField(p.SourceId) is { } source)
            {
                return source.Name;
            }
        }
        if (schema.FindField(spineTime) is not null) return spineTime;
        throw Errors.InvalidArgument($"--features {group}: cannot tell the table's feature-time column (set table property {TimestampProperty}, or use a definition file)");
    }

    private static List<string> EntityOf(Floe.Iceberg.Tables.Table table, IReadOnlyList<string> spineColumns, string spineTime, string time, string group)
    {
        if (table.Metadata.Properties.TryGetValue(EntityProperty, out var named) && named.Length > 0)
        {
            return [.. named.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        }
        var shared = new List<string>();
        foreach (var c in spineColumns)
        {
            if (c != spineTime && c != time && table.Schema.FindField(c) is not null) shared.Add(c);
        }
        if (shared.Count == 0)
        {
            throw Errors.InvalidArgument($"--features {group}: the spine shares no column with the table to join on (set table property {EntityProperty}, or use a definition file)");
        }
        return shared;
    }

    private static void Check(ResolvedGroup group, IReadOnlyList<string> spineColumns)
    {
        var schema = group.Table.Schema;
        foreach (var e in group.Entity)
        {
            if (!spineColumns.Contains(e))
            {
                throw Errors.InvalidArgument($"feature group '{group.Name}': the spine has no entity column '{e}' (spine columns: {string.Join(", ", spineColumns)})");
            }
            RequirePrimitive(schema, e, group);
        }
        RequirePrimitive(schema, group.Time, group);
        foreach (var f in group.Features) RequirePrimitive(schema, f, group);
    }

    private static void RequirePrimitive(Schema schema, string column, ResolvedGroup group)
    {
        var field = schema.FindField(column) ?? throw Errors.InvalidData(group.TableName,
            $"feature table of group '{group.Name}' has no column '{column}' (columns: {string.Join(", ", schema.Fields.Select(f => f.Name))})");
        if (field.Type is not PrimitiveType) throw Errors.Unsupported($"{group.TableName}: column '{column}' is nested; training sets join primitive columns only");
    }
}
