using System.Text.Json;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using NUnit.Framework;

namespace Floe.Iceberg.Tests.Manifests;

/// <summary>
/// A table from /work/shared/fixtures/iceberg read just far enough for manifest tests: its location mapped onto the
/// fixture folder, every snapshot of every metadata file, the partition specs and the newest schema's primitive
/// fields. Parses the metadata JSON itself so these tests do not depend on the metadata serde.
/// </summary>
internal sealed class FixtureTable
{
    private FixtureTable(string name, string folder)
    {
        Name = name;
        Folder = folder;
    }

    public string Name { get; }

    public string Folder { get; }

    public LocalFileIO Io { get; private set; } = null!;

    public Dictionary<long, string> ManifestLists { get; } = new();

    public Dictionary<int, PartitionSpec> Specs { get; } = new();

    public Schema? Schema { get; private set; }

    /// <summary>The fixtures/iceberg folder, or null (tests then skip, or fail in CI: FixturePolicy).</summary>
    public static string? Root() => Floe.Tests.Shared.SharedFixtures.IcebergRoot;

    public static string RootOrIgnore() => Root() ?? IgnoreMissing();

    public static IEnumerable<string> Names()
    {
        var root = Root();
        if (root is null) return new[] { "(fixtures absent)" };
        return Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
    }

    public static FixtureTable Load(string name)
    {
        var root = RootOrIgnore();
        var folder = Path.Combine(root, name);
        if (!Directory.Exists(folder)) Floe.Tests.Shared.FixturePolicy.Missing($"fixture {name} absent");
        var table = new FixtureTable(name, folder);
        var io = new LocalFileIO(folder);
        var files = Directory.GetFiles(Path.Combine(folder, "metadata"), "*.metadata.json").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var m = doc.RootElement;
            var location = m.GetProperty("location").GetString()!;
            io.AddMapping(location, folder);
            if (location.StartsWith("./", StringComparison.Ordinal)) io.AddMapping(location[2..], folder);
            if (m.TryGetProperty("snapshots", out var snapshots))
            {
                foreach (var s in snapshots.EnumerateArray())
                {
                    table.ManifestLists[s.GetProperty("snapshot-id").GetInt64()] = s.GetProperty("manifest-list").GetString()!;
                }
            }
            if (m.TryGetProperty("partition-specs", out var specs))
            {
                foreach (var spec in specs.EnumerateArray())
                {
                    var id = spec.GetProperty("spec-id").GetInt32();
                    table.Specs[id] = new PartitionSpec(id, ParseFields(spec.GetProperty("fields")));
                }
            }
            else if (m.TryGetProperty("partition-spec", out var v1Spec))
            {
                table.Specs[0] = new PartitionSpec(0, ParseFields(v1Spec));
            }
            var schemaJson = m.TryGetProperty("schemas", out var schemas) ? schemas.EnumerateArray().Last() : m.GetProperty("schema");
            table.Schema = new Schema(0, ParseStruct(schemaJson.GetProperty("fields")));
        }
        table.Io = io;
        return table;
    }

    public PartitionSpec SpecById(int id) => Specs.TryGetValue(id, out var spec) ? spec : throw new KeyNotFoundException($"{Name}: no spec {id}");

    private static string IgnoreMissing()
    {
        Floe.Tests.Shared.FixturePolicy.Missing("shared/fixtures/iceberg not found (set FLOE_FIXTURES)");
        return null!;
    }

    private static List<PartitionField> ParseFields(JsonElement fields)
    {
        var result = new List<PartitionField>();
        var next = PartitionSpec.FirstFieldId;
        foreach (var f in fields.EnumerateArray())
        {
            var fieldId = f.TryGetProperty("field-id", out var fid) ? fid.GetInt32() : next;
            next = fieldId + 1;
            result.Add(new PartitionField(f.GetProperty("source-id").GetInt32(), fieldId, f.GetProperty("name").GetString()!, Transform.Parse(f.GetProperty("transform").GetString()!)));
        }
        return result;
    }

    private static List<NestedField> ParseStruct(JsonElement fields)
    {
        var result = new List<NestedField>();
        foreach (var f in fields.EnumerateArray())
        {
            var type = ParseType(f.GetProperty("type"));
            if (type is null) continue;
            result.Add(new NestedField(f.GetProperty("id").GetInt32(), f.GetProperty("name").GetString()!, f.GetProperty("required").GetBoolean(), type));
        }
        return result;
    }

    private static IcebergType? ParseType(JsonElement type)
    {
        if (type.ValueKind == JsonValueKind.Object)
        {
            return type.GetProperty("type").GetString() == "struct" ? new StructType(ParseStruct(type.GetProperty("fields"))) : null;
        }
        var s = type.GetString()!;
        if (s.StartsWith("decimal(", StringComparison.Ordinal))
        {
            var parts = s[8..^1].Split(',');
            return PrimitiveType.Decimal(int.Parse(parts[0].Trim(), System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1].Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }
        if (s.StartsWith("fixed[", StringComparison.Ordinal)) return PrimitiveType.Fixed(int.Parse(s[6..^1], System.Globalization.CultureInfo.InvariantCulture));
        return s switch
        {
            "boolean" => PrimitiveType.Boolean,
            "int" => PrimitiveType.Int,
            "long" => PrimitiveType.Long,
            "float" => PrimitiveType.Float,
            "double" => PrimitiveType.Double,
            "date" => PrimitiveType.Date,
            "time" => PrimitiveType.Time,
            "timestamp" => PrimitiveType.Timestamp,
            "timestamptz" => PrimitiveType.TimestampTz,
            "timestamp_ns" => PrimitiveType.TimestampNs,
            "timestamptz_ns" => PrimitiveType.TimestampTzNs,
            "string" => PrimitiveType.String,
            "uuid" => PrimitiveType.Uuid,
            "binary" => PrimitiveType.Binary,
            _ => null,
        };
    }
}
