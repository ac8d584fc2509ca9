using Floe.Core.Errors;
using Floe.Avro;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Manifests;

/// <summary>
/// Decodes <c>manifest_entry</c> records written with any writer's schema (v1, v2, v3; Java, PyIceberg, Spark,
/// avro-tools round trips). The writer's fields are resolved once per file to our fields by <c>field-id</c>, else by
/// name; unknown fields are skipped. Partition fields map to the spec's positions by field id, else by position.
/// </summary>
internal sealed class ManifestEntryDecoder
{
    private static readonly AvroType[] Integers = { AvroType.Int, AvroType.Long };
    private static readonly AvroType[] Binary = { AvroType.Bytes, AvroType.Fixed };
    private static readonly AvroType[] Text = { AvroType.String, AvroType.Bytes };

    private readonly ManifestFile _manifest;
    private readonly Field[] _entry;
    private readonly Field[] _file = Array.Empty<Field>();
    private readonly PartitionSlot[] _partition = Array.Empty<PartitionSlot>();
    private readonly int _partitionCount;
    private long? _nextInheritedRowId;

    /// <summary>Resolves the writer's <paramref name="schema"/> against ours.</summary>
    /// <exception cref="FloeException">InvalidData when a known field has an impossible type.</exception>
    public ManifestEntryDecoder(string location, AvroSchema schema, ManifestFile manifest, PartitionSpec spec, Schema? tableSchema)
    {
        _manifest = manifest;
        _nextInheritedRowId = manifest.Content == ManifestContent.Data ? manifest.FirstRowId : null;
        _partitionCount = spec.Fields.Count;
        if (schema is not AvroRecordSchema entry) throw Errors.InvalidData(location, "a manifest must hold manifest_entry records");
        _entry = new Field[entry.Fields.Count];
        for (var i = 0; i < entry.Fields.Count; i++)
        {
            var f = entry.Fields[i];
            var slot = f.FieldId switch
            {
                0 => Slot.Status,
                1 => Slot.SnapshotId,
                3 => Slot.SequenceNumber,
                4 => Slot.FileSequenceNumber,
                2 => Slot.DataFile,
                null => f.Name switch
                {
                    "status" => Slot.Status,
                    "snapshot_id" => Slot.SnapshotId,
                    "sequence_number" => Slot.SequenceNumber,
                    "file_sequence_number" => Slot.FileSequenceNumber,
                    "data_file" => Slot.DataFile,
                    _ => Slot.Skip,
                },
                _ => Slot.Skip,
            };
            _entry[i] = new Field(f.Schema, slot);
            if (slot == Slot.DataFile)
            {
                if (ManifestAvro.NonNull(location, f.Name, f.Schema) is not AvroRecordSchema dataFile)
                {
                    throw Errors.InvalidData(location, $"field '{f.Name}' must be a data_file record");
                }
                _file = ResolveDataFile(location, dataFile, spec, tableSchema, out _partition);
            }
            else if (slot != Slot.Skip)
            {
                ManifestAvro.CheckType(location, f.Name, f.Schema, Integers);
            }
        }
        if (Array.FindIndex(_entry, e => e.Slot == Slot.DataFile) < 0) throw Errors.InvalidData(location, "manifest schema has no data_file (field id 2)");
        if (Array.FindIndex(_entry, e => e.Slot == Slot.Status) < 0) throw Errors.InvalidData(location, "manifest schema has no status (field id 0)");
    }

    private enum Slot
    {
        Skip,
        Status,
        SnapshotId,
        SequenceNumber,
        FileSequenceNumber,
        DataFile,
        Content,
        FilePath,
        FileFormat,
        Partition,
        RecordCount,
        FileSize,
        ColumnSizes,
        ValueCounts,
        NullValueCounts,
        NanValueCounts,
        LowerBounds,
        UpperBounds,
        KeyMetadata,
        SplitOffsets,
        EqualityIds,
        SortOrderId,
        FirstRowId,
        ReferencedDataFile,
        ContentOffset,
        ContentSize,
    }

    /// <summary>Decodes one entry and applies the spec's inheritance of snapshot id and sequence numbers.</summary>
    public ManifestEntry Read(AvroDecoder d)
    {
        var status = -1;
        long? snapshotId = null, sequenceNumber = null, fileSequenceNumber = null;
        DataFile? file = null;
        foreach (var field in _entry)
        {
            if (ValueSchema(d, field) is not { } s) continue;
            switch (field.Slot)
            {
                case Slot.Status: status = ManifestAvro.ReadInt(d, s); break;
                case Slot.SnapshotId: snapshotId = d.ReadLong(); break;
                case Slot.SequenceNumber: sequenceNumber = d.ReadLong(); break;
                case Slot.FileSequenceNumber: fileSequenceNumber = d.ReadLong(); break;
                case Slot.DataFile: file = ReadDataFile(d); break;
            }
        }
        if (status is < 0 or > 2) throw d.Corrupt($"manifest entry has invalid status {status}");
        if (file is null) throw d.Corrupt("manifest entry has a null data_file");
        var entryStatus = (ManifestEntryStatus)status;
        // Spec "Manifest Entry Fields": a null snapshot id is inherited from the manifest list entry; null sequence
        // numbers are inherited for ADDED entries. In v1 (sequence number 0) every entry gets 0, as Java does.
        snapshotId ??= _manifest.AddedSnapshotId;
        var inherit = entryStatus == ManifestEntryStatus.Added || _manifest.SequenceNumber == 0;
        if (inherit)
        {
            sequenceNumber ??= _manifest.SequenceNumber;
            fileSequenceNumber ??= _manifest.SequenceNumber;
        }
        if (file.Content == FileContent.Data && _nextInheritedRowId is { } next)
        {
            // Spec "First Row ID Inheritance": a null first_row_id is the manifest's plus the record counts of the
            // files before it that inherited too. Entries must therefore be decoded in file order, all of them.
            if (file.FirstRowId is null)
            {
                file = file with { FirstRowId = next };
                _nextInheritedRowId = next + file.RecordCount;
            }
        }
        return new ManifestEntry(entryStatus, snapshotId, sequenceNumber, fileSequenceNumber, file);
    }

    /// <summary>The schema of <paramref name="field"/>'s value, the decoder at that value; null when the field is skipped or null.</summary>
    private static AvroSchema? ValueSchema(AvroDecoder d, Field field)
    {
        if (field.Slot != Slot.Skip) return ManifestAvro.Branch(d, field.Schema);
        d.Skip(field.Schema);
        return null;
    }

    private DataFile ReadDataFile(AvroDecoder d)
    {
        var content = 0;
        string? path = null, format = null, referenced = null;
        PartitionData? partition = null;
        long recordCount = 0, fileSize = 0;
        Dictionary<int, long>? columnSizes = null, valueCounts = null, nullCounts = null, nanCounts = null;
        Dictionary<int, byte[]>? lower = null, upper = null;
        byte[]? keyMetadata = null;
        List<long>? splitOffsets = null;
        List<int>? equalityIds = null;
        int? sortOrderId = null;
        long? firstRowId = null, contentOffset = null, contentSize = null;
        foreach (var field in _file)
        {
            if (ValueSchema(d, field) is not { } s) continue;
            switch (field.Slot)
            {
                case Slot.Content: content = ManifestAvro.ReadInt(d, s); break;
                case Slot.FilePath: path = ManifestAvro.ReadString(d, s); break;
                case Slot.FileFormat: format = ManifestAvro.ReadString(d, s); break;
                case Slot.Partition: partition = ReadPartition(d); break;
                case Slot.RecordCount: recordCount = d.ReadLong(); break;
                case Slot.FileSize: fileSize = d.ReadLong(); break;
                case Slot.ColumnSizes: columnSizes = ReadCounts(d, (AvroArraySchema)s); break;
                case Slot.ValueCounts: valueCounts = ReadCounts(d, (AvroArraySchema)s); break;
                case Slot.NullValueCounts: nullCounts = ReadCounts(d, (AvroArraySchema)s); break;
                case Slot.NanValueCounts: nanCounts = ReadCounts(d, (AvroArraySchema)s); break;
                case Slot.LowerBounds: lower = ReadBounds(d, (AvroArraySchema)s); break;
                case Slot.UpperBounds: upper = ReadBounds(d, (AvroArraySchema)s); break;
                case Slot.KeyMetadata: keyMetadata = ManifestAvro.ReadBinary(d, s); break;
                case Slot.SplitOffsets: splitOffsets = ReadLongs(d, (AvroArraySchema)s); break;
                case Slot.EqualityIds: equalityIds = ReadInts(d, (AvroArraySchema)s); break;
                case Slot.SortOrderId: sortOrderId = ManifestAvro.ReadInt(d, s); break;
                case Slot.FirstRowId: firstRowId = d.ReadLong(); break;
                case Slot.ReferencedDataFile: referenced = ManifestAvro.ReadString(d, s); break;
                case Slot.ContentOffset: contentOffset = d.ReadLong(); break;
                case Slot.ContentSize: contentSize = d.ReadLong(); break;
            }
        }
        if (path is null) throw d.Corrupt("data_file has no file_path");
        if (!ManifestAvro.IsPlausiblePath(path)) throw d.Corrupt("data_file has a file_path that is empty or holds control characters");
        if (content is < 0 or > 2) throw d.Corrupt($"data_file '{path}' has invalid content {content}");
        return new DataFile
        {
            Content = (FileContent)content,
            FilePath = path,
            FileFormat = format ?? "PARQUET",
            SpecId = _manifest.PartitionSpecId,
            Partition = partition ?? (_partitionCount == 0 ? PartitionData.Empty : new PartitionData(new object?[_partitionCount])),
            RecordCount = recordCount,
            FileSizeInBytes = fileSize,
            ColumnSizes = columnSizes,
            ValueCounts = valueCounts,
            NullValueCounts = nullCounts,
            NanValueCounts = nanCounts,
            LowerBounds = lower,
            UpperBounds = upper,
            KeyMetadata = keyMetadata,
            SplitOffsets = splitOffsets,
            EqualityIds = equalityIds,
            SortOrderId = sortOrderId,
            FirstRowId = firstRowId,
            ReferencedDataFile = referenced,
            ContentOffset = contentOffset,
            ContentSizeInBytes = contentSize,
        };
    }

    private PartitionData ReadPartition(AvroDecoder d)
    {
        if (_partitionCount == 0 && _partition.Length == 0) return PartitionData.Empty;
        var values = new object?[_partitionCount];
        foreach (var slot in _partition)
        {
            var s = ManifestAvro.Branch(d, slot.Schema);
            if (s is null) continue;
            var value = PartitionValueCodec.Read(d, s, slot.Type);
            if (slot.Target >= 0) values[slot.Target] = value;
        }
        return new PartitionData(values);
    }

    private static Dictionary<int, long> ReadCounts(AvroDecoder d, AvroArraySchema schema) => ReadIdMap<long, LongValue>(d, schema);

    private static Dictionary<int, byte[]> ReadBounds(AvroDecoder d, AvroArraySchema schema) => ReadIdMap<byte[], BinaryValue>(d, schema);

    /// <summary>A field-id keyed map (Avro array of key/value records); entries with a null value are left out.</summary>
    private static Dictionary<int, T> ReadIdMap<T, TValue>(AvroDecoder d, AvroArraySchema schema)
        where TValue : struct, IMapValue<T>
    {
        var kv = (AvroRecordSchema)schema.Items;
        var keySchema = kv.Fields[0].Schema;
        var valueSchema = kv.Fields[1].Schema;
        var map = new Dictionary<int, T>();
        for (var n = d.ReadBlockCount(); n != 0; n = d.ReadBlockCount())
        {
            map.EnsureCapacity(map.Count + (int)Math.Min(n, 4096));
            for (long i = 0; i < n; i++)
            {
                var ks = ManifestAvro.Branch(d, keySchema) ?? throw d.Corrupt("null map key");
                var key = ManifestAvro.ReadInt(d, ks);
                var vs = ManifestAvro.Branch(d, valueSchema);
                if (vs is null) continue;
                map[key] = TValue.Read(d, vs);
            }
        }
        return map;
    }

    /// <summary>A map value reader as a struct, so <see cref="ReadIdMap"/> is specialised per value type (no delegate per entry).</summary>
    private interface IMapValue<T>
    {
        static abstract T Read(AvroDecoder d, AvroSchema schema);
    }

    private readonly struct LongValue : IMapValue<long>
    {
        public static long Read(AvroDecoder d, AvroSchema schema) => d.ReadLong();
    }

    private readonly struct BinaryValue : IMapValue<byte[]>
    {
        public static byte[] Read(AvroDecoder d, AvroSchema schema) => ManifestAvro.ReadBinary(d, schema);
    }

    private static List<long> ReadLongs(AvroDecoder d, AvroArraySchema schema)
    {
        var list = new List<long>();
        for (var n = d.ReadBlockCount(); n != 0; n = d.ReadBlockCount())
        {
            for (long i = 0; i < n; i++)
            {
                if (ManifestAvro.Branch(d, schema.Items) is null) throw d.Corrupt("null element in a list of longs");
                list.Add(d.ReadLong());
            }
        }
        return list;
    }

    private static List<int> ReadInts(AvroDecoder d, AvroArraySchema schema)
    {
        var list = new List<int>();
        for (var n = d.ReadBlockCount(); n != 0; n = d.ReadBlockCount())
        {
            for (long i = 0; i < n; i++)
            {
                var s = ManifestAvro.Branch(d, schema.Items) ?? throw d.Corrupt("null element in a list of ints");
                list.Add(ManifestAvro.ReadInt(d, s));
            }
        }
        return list;
    }

    private static Field[] ResolveDataFile(string location, AvroRecordSchema record, PartitionSpec spec, Schema? tableSchema, out PartitionSlot[] partition)
    {
        partition = Array.Empty<PartitionSlot>();
        var fields = new Field[record.Fields.Count];
        for (var i = 0; i < record.Fields.Count; i++)
        {
            var f = record.Fields[i];
            var slot = f.FieldId is { } id ? ById(id) : ByName(f.Name);
            fields[i] = new Field(f.Schema, slot);
            var name = "data_file." + f.Name;
            switch (slot)
            {
                case Slot.FilePath:
                case Slot.FileFormat:
                case Slot.ReferencedDataFile:
                    ManifestAvro.CheckType(location, name, f.Schema, Text);
                    break;
                case Slot.KeyMetadata:
                    ManifestAvro.CheckType(location, name, f.Schema, Binary);
                    break;
                case Slot.ColumnSizes:
                case Slot.ValueCounts:
                case Slot.NullValueCounts:
                case Slot.NanValueCounts:
                    ManifestAvro.KeyValueRecord(location, name, f.Schema, Integers, Integers);
                    break;
                case Slot.LowerBounds:
                case Slot.UpperBounds:
                    ManifestAvro.KeyValueRecord(location, name, f.Schema, Integers, Binary);
                    break;
                case Slot.SplitOffsets:
                case Slot.EqualityIds:
                    if (ManifestAvro.NonNull(location, name, f.Schema) is not AvroArraySchema list) throw Errors.InvalidData(location, $"field '{name}' must be an array");
                    ManifestAvro.CheckType(location, name + ".element", list.Items, Integers);
                    break;
                case Slot.Partition:
                    if (ManifestAvro.NonNull(location, name, f.Schema) is not AvroRecordSchema p) throw Errors.InvalidData(location, $"field '{name}' must be a record");
                    partition = ResolvePartition(location, p, spec, tableSchema);
                    break;
                case Slot.Skip:
                    break;
                default:
                    ManifestAvro.CheckType(location, name, f.Schema, Integers);
                    break;
            }
        }
        return fields;
    }

    private static PartitionSlot[] ResolvePartition(string location, AvroRecordSchema record, PartitionSpec spec, Schema? tableSchema)
    {
        var slots = new PartitionSlot[record.Fields.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            var f = record.Fields[i];
            var target = -1;
            if (f.FieldId is { } id)
            {
                for (var s = 0; s < spec.Fields.Count; s++)
                {
                    if (spec.Fields[s].FieldId == id)
                    {
                        target = s;
                        break;
                    }
                }
            }
            // Writers without partition field ids (and v1 specs that numbered fields differently) line up by position.
            if (target < 0 && i < spec.Fields.Count && (f.FieldId is null || !SpecHasId(spec, f.FieldId.Value)))
            {
                target = i;
            }
            PrimitiveType? type = null;
            if (target >= 0 && tableSchema?.FindField(spec.Fields[target].SourceId)?.Type is PrimitiveType source)
            {
                type = spec.Fields[target].Transform.ResultType(source);
            }
            ManifestAvro.CheckType(location, "data_file.partition." + f.Name, f.Schema,
                AvroType.Boolean, AvroType.Int, AvroType.Long, AvroType.Float, AvroType.Double, AvroType.String, AvroType.Bytes, AvroType.Fixed);
            slots[i] = new PartitionSlot(f.Schema, target, type);
        }
        return slots;
    }

    private static bool SpecHasId(PartitionSpec spec, int id)
    {
        foreach (var field in spec.Fields)
        {
            if (field.FieldId == id) return true;
        }
        return false;
    }

    private static Slot ById(int id) => id switch
    {
        134 => Slot.Content,
        100 => Slot.FilePath,
        101 => Slot.FileFormat,
        102 => Slot.Partition,
        103 => Slot.RecordCount,
        104 => Slot.FileSize,
        108 => Slot.ColumnSizes,
        109 => Slot.ValueCounts,
        110 => Slot.NullValueCounts,
        137 => Slot.NanValueCounts,
        125 => Slot.LowerBounds,
        128 => Slot.UpperBounds,
        131 => Slot.KeyMetadata,
        132 => Slot.SplitOffsets,
        135 => Slot.EqualityIds,
        140 => Slot.SortOrderId,
        142 => Slot.FirstRowId,
        143 => Slot.ReferencedDataFile,
        144 => Slot.ContentOffset,
        145 => Slot.ContentSize,
        _ => Slot.Skip,
    };

    private static Slot ByName(string name) => name switch
    {
        "content" => Slot.Content,
        "file_path" => Slot.FilePath,
        "file_format" => Slot.FileFormat,
        "partition" => Slot.Partition,
        "record_count" => Slot.RecordCount,
        "file_size_in_bytes" => Slot.FileSize,
        "column_sizes" => Slot.ColumnSizes,
        "value_counts" => Slot.ValueCounts,
        "null_value_counts" => Slot.NullValueCounts,
        "nan_value_counts" => Slot.NanValueCounts,
        "lower_bounds" => Slot.LowerBounds,
        "upper_bounds" => Slot.UpperBounds,
        "key_metadata" => Slot.KeyMetadata,
        "split_offsets" => Slot.SplitOffsets,
        "equality_ids" => Slot.EqualityIds,
        "sort_order_id" => Slot.SortOrderId,
        "first_row_id" => Slot.FirstRowId,
        "referenced_data_file" => Slot.ReferencedDataFile,
        "content_offset" => Slot.ContentOffset,
        "content_size_in_bytes" => Slot.ContentSize,
        _ => Slot.Skip,
    };

    private readonly record struct Field(AvroSchema Schema, Slot Slot);

    private readonly record struct PartitionSlot(AvroSchema Schema, int Target, PrimitiveType? Type);
}
