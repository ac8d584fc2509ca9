using System.Text;
using Floe.Core.Errors;
using Floe.Avro;
using Floe.Core.Io;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Iceberg.Manifests;

/// <summary>
/// Reads manifests (spec "Manifests") of every format version and writer, streaming one entry at a time.
/// </summary>
public static class ManifestReader
{
    /// <summary>
    /// Lazily reads the entries of <paramref name="manifest"/>. Null snapshot ids and (for ADDED entries, or any
    /// entry of a v1 manifest, whose list sequence number is 0) null sequence numbers are inherited from
    /// <paramref name="manifest"/>, so its <see cref="ManifestFile.SequenceNumber"/> must be the one from the
    /// manifest list. Partition tuples follow the order of the spec <paramref name="specById"/> returns for the
    /// manifest's spec id (matched by partition field id, else position); with <paramref name="tableSchema"/> the
    /// values take the CLR representation of each field's result type, without it the Avro type's.
    /// </summary>
    /// <remarks>The file is opened on the first <c>MoveNext</c>; errors surface there.</remarks>
    /// <exception cref="FloeException">NotFound when the manifest is absent; InvalidData naming the file, block and offset when it is corrupt or truncated.</exception>
    public static IEnumerable<ManifestEntry> Read(IFileIO io, ManifestFile manifest, Func<int, PartitionSpec> specById, Schema? tableSchema)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(specById);
        return ReadIterator(io, manifest, specById, tableSchema);
    }

    /// <summary>The manifest's key-value metadata (<c>schema</c>, <c>partition-spec</c>, <c>format-version</c>, ...), without <c>avro.*</c> keys.</summary>
    /// <exception cref="FloeException">NotFound or InvalidData as for <see cref="Read"/>.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(IFileIO io, string location)
    {
        var reader = AvroFiles.Open(io, location);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in reader.Metadata)
        {
            if (!key.StartsWith("avro.", StringComparison.Ordinal)) result[key] = Encoding.UTF8.GetString(value);
        }
        return result;
    }

    // A lookup such as TableMetadata.SpecById throws for an unknown id without knowing which file named it; the
    // caller's error names the manifest instead.
    private static PartitionSpec? SpecOf(ManifestFile manifest, Func<int, PartitionSpec> specById)
    {
        try
        {
            return specById(manifest.PartitionSpecId);
        }
        catch (FloeException e) when (e.Code == FloeErrorCode.InvalidData)
        {
            return null;
        }
    }

    private static IEnumerable<ManifestEntry> ReadIterator(IFileIO io, ManifestFile manifest, Func<int, PartitionSpec> specById, Schema? tableSchema)
    {
        var reader = AvroFiles.Open(io, manifest.ManifestPath);
        var spec = SpecOf(manifest, specById)
            ?? throw Errors.InvalidData(manifest.ManifestPath, $"partition spec {manifest.PartitionSpecId} is not in the table metadata");
        var decoder = new ManifestEntryDecoder(manifest.ManifestPath, reader.Schema, manifest, spec, tableSchema);
        while (reader.ReadBlock())
        {
            for (long i = 0; i < reader.BlockCount; i++)
            {
                yield return decoder.Read(reader.Decoder);
            }
            reader.EndBlock();
        }
    }
}
