using Floe.Core.Errors;
using Floe.Avro;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Manifests;

/// <summary>
/// Reads manifest lists (spec "Manifest Lists") of every format version and writer. Fields are matched to the
/// spec's by <c>field-id</c>, else by name (v1's <c>added_data_files_count</c> names included). v1 lists have no
/// sequence numbers or content: those read as 0 and data, as the spec says.
/// </summary>
public static class ManifestListReader
{
    /// <summary>Reads every <see cref="ManifestFile"/> of the manifest list at <paramref name="location"/>.</summary>
    /// <exception cref="FloeException">NotFound when the file is absent; InvalidData (naming the file, block and offset) when it is corrupt, truncated or lacks a required field.</exception>
    public static IReadOnlyList<ManifestFile> Read(IFileIO io, string location)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(location);
        var reader = AvroFiles.Open(io, location);
        if (reader.Schema is not AvroRecordSchema record)
        {
            throw Errors.InvalidData(location, "a manifest list must hold records");
        }
        long defaultSnapshotId = 0;
        if (long.TryParse(reader.GetMetadata("snapshot-id"), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var sid))
        {
            defaultSnapshotId = sid;
        }
        var plan = new Plan(location, record);
        var result = new List<ManifestFile>();
        while (reader.ReadBlock())
        {
            for (long i = 0; i < reader.BlockCount; i++)
            {
                result.Add(plan.Read(reader.Decoder, defaultSnapshotId));
            }
            reader.EndBlock();
        }
        return result;
    }

    private enum Slot
    {
        Skip,
        Path,
        Length,
        SpecId,
        Content,
        SequenceNumber,
        MinSequenceNumber,
        AddedSnapshotId,
        AddedFiles,
        ExistingFiles,
        DeletedFiles,
        AddedRows,
        ExistingRows,
        DeletedRows,
        Partitions,
        KeyMetadata,
        FirstRowId,
    }

    private sealed class Plan
    {
        private static readonly AvroType[] Integers = { AvroType.Int, AvroType.Long };
        private static readonly AvroType[] Binary = { AvroType.Bytes, AvroType.Fixed };
        private readonly string _location;
        private readonly AvroSchema[] _schemas;
        private readonly Slot[] _slots;
        private readonly AvroRecordSchema? _summary;
        private readonly int[] _summarySlots = Array.Empty<int>();

        public Plan(string location, AvroRecordSchema record)
        {
            _location = location;
            _schemas = new AvroSchema[record.Fields.Count];
            _slots = new Slot[record.Fields.Count];
            for (var i = 0; i < record.Fields.Count; i++)
            {
                var field = record.Fields[i];
                var slot = field.FieldId is { } id ? ById(id) : ByName(field.Name);
                _schemas[i] = field.Schema;
                _slots[i] = slot;
                switch (slot)
                {
                    case Slot.Path:
                        ManifestAvro.CheckType(location, field.Name, field.Schema, AvroType.String);
                        break;
                    case Slot.KeyMetadata:
                        ManifestAvro.CheckType(location, field.Name, field.Schema, Binary);
                        break;
                    case Slot.Partitions:
                        if (ManifestAvro.NonNull(location, field.Name, field.Schema) is not AvroArraySchema { Items: AvroRecordSchema summary })
                        {
                            throw Errors.InvalidData(location, $"field '{field.Name}' must be an array of field_summary records");
                        }
                        _summary = summary;
                        _summarySlots = new int[summary.Fields.Count];
                        for (var s = 0; s < summary.Fields.Count; s++)
                        {
                            var sf = summary.Fields[s];
                            _summarySlots[s] = sf.FieldId switch
                            {
                                509 => 0,
                                518 => 1,
                                510 => 2,
                                511 => 3,
                                null => sf.Name switch { "contains_null" => 0, "contains_nan" => 1, "lower_bound" => 2, "upper_bound" => 3, _ => -1 },
                                _ => -1,
                            };
                            if (_summarySlots[s] is 0 or 1) ManifestAvro.CheckType(location, field.Name + "." + sf.Name, sf.Schema, AvroType.Boolean);
                            if (_summarySlots[s] is 2 or 3) ManifestAvro.CheckType(location, field.Name + "." + sf.Name, sf.Schema, Binary);
                        }
                        break;
                    case Slot.Skip:
                        break;
                    default:
                        ManifestAvro.CheckType(location, field.Name, field.Schema, Integers);
                        break;
                }
            }
            if (Array.IndexOf(_slots, Slot.Path) < 0)
            {
                throw Errors.InvalidData(location, "manifest list schema has no manifest_path (field id 500)");
            }
        }

        public ManifestFile Read(AvroDecoder d, long defaultSnapshotId)
        {
            string? path = null;
            long length = 0, sequenceNumber = 0, minSequenceNumber = 0, addedSnapshotId = defaultSnapshotId;
            int specId = 0, content = 0;
            int? addedFiles = null, existingFiles = null, deletedFiles = null;
            long? addedRows = null, existingRows = null, deletedRows = null, firstRowId = null;
            List<PartitionFieldSummary>? partitions = null;
            byte[]? keyMetadata = null;
            for (var f = 0; f < _slots.Length; f++)
            {
                var slot = _slots[f];
                if (slot == Slot.Skip)
                {
                    d.Skip(_schemas[f]);
                    continue;
                }
                var s = ManifestAvro.Branch(d, _schemas[f]);
                if (s is null) continue;
                switch (slot)
                {
                    case Slot.Path: path = d.ReadString(); break;
                    case Slot.Length: length = d.ReadLong(); break;
                    case Slot.SpecId: specId = ManifestAvro.ReadInt(d, s); break;
                    case Slot.Content: content = ManifestAvro.ReadInt(d, s); break;
                    case Slot.SequenceNumber: sequenceNumber = d.ReadLong(); break;
                    case Slot.MinSequenceNumber: minSequenceNumber = d.ReadLong(); break;
                    case Slot.AddedSnapshotId: addedSnapshotId = d.ReadLong(); break;
                    case Slot.AddedFiles: addedFiles = ManifestAvro.ReadInt(d, s); break;
                    case Slot.ExistingFiles: existingFiles = ManifestAvro.ReadInt(d, s); break;
                    case Slot.DeletedFiles: deletedFiles = ManifestAvro.ReadInt(d, s); break;
                    case Slot.AddedRows: addedRows = d.ReadLong(); break;
                    case Slot.ExistingRows: existingRows = d.ReadLong(); break;
                    case Slot.DeletedRows: deletedRows = d.ReadLong(); break;
                    case Slot.FirstRowId: firstRowId = d.ReadLong(); break;
                    case Slot.KeyMetadata: keyMetadata = ManifestAvro.ReadBinary(d, s); break;
                    case Slot.Partitions: partitions = ReadSummaries(d); break;
                }
            }
            if (path is null) throw d.Corrupt("manifest list entry has a null manifest_path");
            if (!ManifestAvro.IsPlausiblePath(path)) throw d.Corrupt("manifest list entry has a manifest_path that is empty or holds control characters");
            if (content is not (0 or 1)) throw d.Corrupt($"manifest '{path}' has unknown content {content}");
            return new ManifestFile
            {
                ManifestPath = path,
                ManifestLength = length,
                PartitionSpecId = specId,
                Content = (ManifestContent)content,
                SequenceNumber = sequenceNumber,
                MinSequenceNumber = minSequenceNumber,
                AddedSnapshotId = addedSnapshotId,
                AddedFilesCount = addedFiles,
                ExistingFilesCount = existingFiles,
                DeletedFilesCount = deletedFiles,
                AddedRowsCount = addedRows,
                ExistingRowsCount = existingRows,
                DeletedRowsCount = deletedRows,
                Partitions = partitions,
                KeyMetadata = keyMetadata,
                FirstRowId = firstRowId,
            };
        }

        private List<PartitionFieldSummary> ReadSummaries(AvroDecoder d)
        {
            var list = new List<PartitionFieldSummary>();
            var fields = _summary!.Fields;
            for (var n = d.ReadBlockCount(); n != 0; n = d.ReadBlockCount())
            {
                for (long i = 0; i < n; i++)
                {
                    bool containsNull = false;
                    bool? containsNan = null;
                    byte[]? lower = null, upper = null;
                    for (var f = 0; f < fields.Count; f++)
                    {
                        var slot = _summarySlots[f];
                        if (slot < 0)
                        {
                            d.Skip(fields[f].Schema);
                            continue;
                        }
                        var s = ManifestAvro.Branch(d, fields[f].Schema);
                        if (s is null) continue;
                        switch (slot)
                        {
                            case 0: containsNull = d.ReadBoolean(); break;
                            case 1: containsNan = d.ReadBoolean(); break;
                            case 2: lower = ManifestAvro.ReadBinary(d, s); break;
                            default: upper = ManifestAvro.ReadBinary(d, s); break;
                        }
                    }
                    list.Add(new PartitionFieldSummary(containsNull, containsNan, lower, upper));
                }
            }
            return list;
        }

        private static Slot ById(int id) => id switch
        {
            500 => Slot.Path,
            501 => Slot.Length,
            502 => Slot.SpecId,
            517 => Slot.Content,
            515 => Slot.SequenceNumber,
            516 => Slot.MinSequenceNumber,
            503 => Slot.AddedSnapshotId,
            504 => Slot.AddedFiles,
            505 => Slot.ExistingFiles,
            506 => Slot.DeletedFiles,
            512 => Slot.AddedRows,
            513 => Slot.ExistingRows,
            514 => Slot.DeletedRows,
            507 => Slot.Partitions,
            519 => Slot.KeyMetadata,
            520 => Slot.FirstRowId,
            _ => Slot.Skip,
        };

        private static Slot ByName(string name) => name switch
        {
            "manifest_path" => Slot.Path,
            "manifest_length" => Slot.Length,
            "partition_spec_id" => Slot.SpecId,
            "content" => Slot.Content,
            "sequence_number" => Slot.SequenceNumber,
            "min_sequence_number" => Slot.MinSequenceNumber,
            "added_snapshot_id" => Slot.AddedSnapshotId,
            "added_files_count" or "added_data_files_count" => Slot.AddedFiles,
            "existing_files_count" or "existing_data_files_count" => Slot.ExistingFiles,
            "deleted_files_count" or "deleted_data_files_count" => Slot.DeletedFiles,
            "added_rows_count" => Slot.AddedRows,
            "existing_rows_count" => Slot.ExistingRows,
            "deleted_rows_count" => Slot.DeletedRows,
            "partitions" => Slot.Partitions,
            "key_metadata" => Slot.KeyMetadata,
            "first_row_id" => Slot.FirstRowId,
            _ => Slot.Skip,
        };
    }
}
