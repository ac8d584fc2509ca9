using System.Globalization;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Application.Backfill.Distributed;

/// <summary>
/// A data file of a feature table (day-partitioned: one int partition value) as JSON, so a task's output can travel
/// from the process that wrote it to the one that commits: path, format, spec, partition, counts, sizes and the column
/// metrics the manifests record (bounds as base64 of their Iceberg single-value binary form).
/// </summary>
internal static class DataFileJson
{
    /// <summary>Writes <paramref name="file"/> as one JSON object.</summary>
    public static void Write(Utf8JsonWriter json, DataFile file)
    {
        json.WriteStartObject();
        json.WriteString("file_path", file.FilePath);
        json.WriteString("file_format", file.FileFormat);
        json.WriteNumber("spec_id", file.SpecId);
        json.WriteStartArray("partition");
        foreach (var value in file.Partition.Values)
        {
            if (value is int day) json.WriteNumberValue(day);
            else if (value is null) json.WriteNullValue();
            else throw Errors.Unsupported($"data file '{file.FilePath}': partition value of type {value.GetType().Name} cannot travel in a task result");
        }
        json.WriteEndArray();
        json.WriteNumber("record_count", file.RecordCount);
        json.WriteNumber("file_size_in_bytes", file.FileSizeInBytes);
        WriteCounts(json, "column_sizes", file.ColumnSizes);
        WriteCounts(json, "value_counts", file.ValueCounts);
        WriteCounts(json, "null_value_counts", file.NullValueCounts);
        WriteCounts(json, "nan_value_counts", file.NanValueCounts);
        WriteBounds(json, "lower_bounds", file.LowerBounds);
        WriteBounds(json, "upper_bounds", file.UpperBounds);
        if (file.SplitOffsets is { } offsets)
        {
            json.WriteStartArray("split_offsets");
            foreach (var offset in offsets) json.WriteNumberValue(offset);
            json.WriteEndArray();
        }
        if (file.SortOrderId is { } sortOrder) json.WriteNumber("sort_order_id", sortOrder);
        json.WriteEndObject();
    }

    /// <summary>Reads a data file written by <see cref="Write"/>.</summary>
    /// <exception cref="FloeException">InvalidArgument naming <paramref name="what"/> when a field is missing or mistyped.</exception>
    public static DataFile Read(JsonElement element, string what)
    {
        try
        {
            var partition = new List<object?>();
            foreach (var value in element.GetProperty("partition").EnumerateArray())
            {
                partition.Add(value.ValueKind == JsonValueKind.Null ? null : value.GetInt32());
            }
            return new DataFile
            {
                FilePath = element.GetProperty("file_path").GetString() ?? throw new FormatException("file_path is null"),
                FileFormat = element.GetProperty("file_format").GetString() ?? "PARQUET",
                SpecId = element.GetProperty("spec_id").GetInt32(),
                Partition = new PartitionData(partition.ToArray()),
                RecordCount = element.GetProperty("record_count").GetInt64(),
                FileSizeInBytes = element.GetProperty("file_size_in_bytes").GetInt64(),
                ColumnSizes = ReadCounts(element, "column_sizes"),
                ValueCounts = ReadCounts(element, "value_counts"),
                NullValueCounts = ReadCounts(element, "null_value_counts"),
                NanValueCounts = ReadCounts(element, "nan_value_counts"),
                LowerBounds = ReadBounds(element, "lower_bounds"),
                UpperBounds = ReadBounds(element, "upper_bounds"),
                SplitOffsets = element.TryGetProperty("split_offsets", out var offsets) ? offsets.EnumerateArray().Select(o => o.GetInt64()).ToList() : null,
                SortOrderId = element.TryGetProperty("sort_order_id", out var sortOrder) ? sortOrder.GetInt32() : null,
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Errors.InvalidArgument($"{what}: not a data file description ({ErrorClassifier.OneLine(e.Message)})");
        }
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, IReadOnlyDictionary<int, long>? counts)
    {
        if (counts is null) return;
        json.WriteStartObject(name);
        foreach (var (id, count) in counts) json.WriteNumber(id.ToString(CultureInfo.InvariantCulture), count);
        json.WriteEndObject();
    }

    private static void WriteBounds(Utf8JsonWriter json, string name, IReadOnlyDictionary<int, byte[]>? bounds)
    {
        if (bounds is null) return;
        json.WriteStartObject(name);
        foreach (var (id, bytes) in bounds) json.WriteBase64String(id.ToString(CultureInfo.InvariantCulture), bytes);
        json.WriteEndObject();
    }

    private static Dictionary<int, long>? ReadCounts(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var map)) return null;
        var result = new Dictionary<int, long>();
        foreach (var p in map.EnumerateObject()) result[int.Parse(p.Name, CultureInfo.InvariantCulture)] = p.Value.GetInt64();
        return result;
    }

    private static Dictionary<int, byte[]>? ReadBounds(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var map)) return null;
        var result = new Dictionary<int, byte[]>();
        foreach (var p in map.EnumerateObject()) result[int.Parse(p.Name, CultureInfo.InvariantCulture)] = p.Value.GetBytesFromBase64();
        return result;
    }
}
