using Floe.Avro;

namespace Floe.Iceberg.Manifests;

/// <summary>
/// The Avro schemas Floe writes for manifests and manifest lists, field for field (names, ids, order, optionality)
/// as Java Iceberg writes them for each format version (spec "Manifests", "Manifest Lists").
/// </summary>
internal static class ManifestSchemas
{
    /// <summary>The <c>manifest_entry</c> schema with <paramref name="partition"/> as the <c>r102</c> partition record.</summary>
    public static AvroRecordSchema ManifestEntry(int formatVersion, AvroRecordSchema partition)
    {
        var file = new List<AvroField>();
        if (formatVersion >= 2) file.Add(AvroField.Required("content", AvroPrimitiveSchema.Int, 134));
        file.Add(AvroField.Required("file_path", AvroPrimitiveSchema.String, 100));
        file.Add(AvroField.Required("file_format", AvroPrimitiveSchema.String, 101));
        file.Add(AvroField.Required("partition", partition, 102));
        file.Add(AvroField.Required("record_count", AvroPrimitiveSchema.Long, 103));
        file.Add(AvroField.Required("file_size_in_bytes", AvroPrimitiveSchema.Long, 104));
        // v1 readers require the deprecated block size; the spec says to write a default.
        if (formatVersion == 1) file.Add(AvroField.Required("block_size_in_bytes", AvroPrimitiveSchema.Long, 105));
        file.Add(AvroField.Optional("column_sizes", AvroArraySchema.KeyValueMap(117, AvroPrimitiveSchema.Int, 118, AvroPrimitiveSchema.Long), 108));
        file.Add(AvroField.Optional("value_counts", AvroArraySchema.KeyValueMap(119, AvroPrimitiveSchema.Int, 120, AvroPrimitiveSchema.Long), 109));
        file.Add(AvroField.Optional("null_value_counts", AvroArraySchema.KeyValueMap(121, AvroPrimitiveSchema.Int, 122, AvroPrimitiveSchema.Long), 110));
        file.Add(AvroField.Optional("nan_value_counts", AvroArraySchema.KeyValueMap(138, AvroPrimitiveSchema.Int, 139, AvroPrimitiveSchema.Long), 137));
        file.Add(AvroField.Optional("lower_bounds", AvroArraySchema.KeyValueMap(126, AvroPrimitiveSchema.Int, 127, AvroPrimitiveSchema.Bytes), 125));
        file.Add(AvroField.Optional("upper_bounds", AvroArraySchema.KeyValueMap(129, AvroPrimitiveSchema.Int, 130, AvroPrimitiveSchema.Bytes), 128));
        file.Add(AvroField.Optional("key_metadata", AvroPrimitiveSchema.Bytes, 131));
        file.Add(AvroField.Optional("split_offsets", new AvroArraySchema(AvroPrimitiveSchema.Long, 133), 132));
        if (formatVersion >= 2) file.Add(AvroField.Optional("equality_ids", new AvroArraySchema(AvroPrimitiveSchema.Int, 136), 135));
        file.Add(AvroField.Optional("sort_order_id", AvroPrimitiveSchema.Int, 140));
        if (formatVersion >= 3) file.Add(AvroField.Optional("first_row_id", AvroPrimitiveSchema.Long, 142));
        if (formatVersion >= 2) file.Add(AvroField.Optional("referenced_data_file", AvroPrimitiveSchema.String, 143));
        if (formatVersion >= 3)
        {
            file.Add(AvroField.Optional("content_offset", AvroPrimitiveSchema.Long, 144));
            file.Add(AvroField.Optional("content_size_in_bytes", AvroPrimitiveSchema.Long, 145));
        }

        var entry = new List<AvroField>
        {
            AvroField.Required("status", AvroPrimitiveSchema.Int, 0),
            AvroField.Optional("snapshot_id", AvroPrimitiveSchema.Long, 1),
        };
        if (formatVersion >= 2)
        {
            entry.Add(AvroField.Optional("sequence_number", AvroPrimitiveSchema.Long, 3));
            entry.Add(AvroField.Optional("file_sequence_number", AvroPrimitiveSchema.Long, 4));
        }
        entry.Add(AvroField.Required("data_file", new AvroRecordSchema("r2", null, file), 2));
        return new AvroRecordSchema("manifest_entry", null, entry);
    }

    /// <summary>The <c>manifest_file</c> schema of a manifest list.</summary>
    public static AvroRecordSchema ManifestFile(int formatVersion)
    {
        var summary = new AvroRecordSchema("r508", null, new[]
        {
            AvroField.Required("contains_null", AvroPrimitiveSchema.Boolean, 509),
            AvroField.Optional("contains_nan", AvroPrimitiveSchema.Boolean, 518),
            AvroField.Optional("lower_bound", AvroPrimitiveSchema.Bytes, 510),
            AvroField.Optional("upper_bound", AvroPrimitiveSchema.Bytes, 511),
        });
        var partitions = AvroField.Optional("partitions", new AvroArraySchema(summary, 508), 507);
        var fields = new List<AvroField>
        {
            AvroField.Required("manifest_path", AvroPrimitiveSchema.String, 500),
            AvroField.Required("manifest_length", AvroPrimitiveSchema.Long, 501),
            AvroField.Required("partition_spec_id", AvroPrimitiveSchema.Int, 502),
        };
        if (formatVersion == 1)
        {
            fields.Add(AvroField.Optional("added_snapshot_id", AvroPrimitiveSchema.Long, 503));
            fields.Add(AvroField.Optional("added_data_files_count", AvroPrimitiveSchema.Int, 504));
            fields.Add(AvroField.Optional("existing_data_files_count", AvroPrimitiveSchema.Int, 505));
            fields.Add(AvroField.Optional("deleted_data_files_count", AvroPrimitiveSchema.Int, 506));
            fields.Add(partitions);
            fields.Add(AvroField.Optional("added_rows_count", AvroPrimitiveSchema.Long, 512));
            fields.Add(AvroField.Optional("existing_rows_count", AvroPrimitiveSchema.Long, 513));
            fields.Add(AvroField.Optional("deleted_rows_count", AvroPrimitiveSchema.Long, 514));
            return new AvroRecordSchema("manifest_file", null, fields);
        }
        fields.Add(AvroField.Required("content", AvroPrimitiveSchema.Int, 517));
        fields.Add(AvroField.Required("sequence_number", AvroPrimitiveSchema.Long, 515));
        fields.Add(AvroField.Required("min_sequence_number", AvroPrimitiveSchema.Long, 516));
        fields.Add(AvroField.Required("added_snapshot_id", AvroPrimitiveSchema.Long, 503));
        fields.Add(AvroField.Required("added_files_count", AvroPrimitiveSchema.Int, 504));
        fields.Add(AvroField.Required("existing_files_count", AvroPrimitiveSchema.Int, 505));
        fields.Add(AvroField.Required("deleted_files_count", AvroPrimitiveSchema.Int, 506));
        fields.Add(AvroField.Required("added_rows_count", AvroPrimitiveSchema.Long, 512));
        fields.Add(AvroField.Required("existing_rows_count", AvroPrimitiveSchema.Long, 513));
        fields.Add(AvroField.Required("deleted_rows_count", AvroPrimitiveSchema.Long, 514));
        fields.Add(partitions);
        fields.Add(AvroField.Optional("key_metadata", AvroPrimitiveSchema.Bytes, 519));
        if (formatVersion >= 3) fields.Add(AvroField.Optional("first_row_id", AvroPrimitiveSchema.Long, 520));
        return new AvroRecordSchema("manifest_file", null, fields);
    }
}
