using System.Diagnostics;
using System.Security.Cryptography;
using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Formats.Output;
using Floe.Core.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Parquet;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Application.TrainingSets;

/// <summary>
/// Builds point-in-time-correct training sets: for each spine row (entity key, time, labels) and each feature
/// group, the latest feature row of that entity with feature time at or before the spine time, never a later one
/// (see <see cref="AsOfJoin"/> for ties and max age). The output keeps the spine's rows in order and its columns
/// first, then each group's features (named <c>group__feature</c> only where a name would clash); spine rows
/// without a match get nulls. Parquet outputs record the tables, snapshot ids and definition hashes used in the
/// footer key <c>floe.training_set</c>, and the same inputs and snapshots give byte-identical files.
/// </summary>
public sealed class TrainingSetService
{
    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over a warehouse.</summary>
    public TrainingSetService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>Builds the training set <paramref name="request"/> describes and writes it to its output file.</summary>
    /// <exception cref="FloeException">
    /// InvalidArgument for conflicting selectors, a bad output extension, missing spine or entity columns;
    /// NotFound for a missing spine, definition, table, feature, snapshot or tag; InvalidData for bad spine values.
    /// </exception>
    public TrainingSetResult Build(TrainingSetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        if (request.Features.Count == 0) throw Errors.InvalidArgument("give at least one --features group");
        if (request.MaxAgeMicros is <= 0) throw Errors.InvalidArgument("--max-age must be positive");
        var outputKind = Path.GetExtension(request.OutputPath).ToLowerInvariant();
        if (outputKind is not (".parquet" or ".csv"))
        {
            throw Errors.InvalidArgument($"{request.OutputPath}: unsupported output file type '{outputKind}' (expected .parquet or .csv)");
        }
        var choice = SnapshotChoice.From(request);
        var spineColumns = SpineReader.ColumnNames(request.SpinePath);
        var groups = new List<ResolvedGroup>(request.Features.Count);
        foreach (var selection in request.Features) groups.Add(FeatureGroupResolver.Resolve(_warehouse, selection, spineColumns, request.SpineTime));
        var spine = SpineReader.Read(request.SpinePath, request.SpineTime, KeyTypes(groups));
        foreach (var g in groups)
        {
            foreach (var e in g.Entity)
            {
                if (e == request.SpineTime) throw Errors.InvalidArgument($"feature group '{g.Name}': entity column '{e}' is also the spine's time column");
            }
        }
        var matches = new List<GroupMatch>(groups.Count);
        foreach (var g in groups) matches.Add(GroupJoin.Run(g, choice, spine, request.MaxAgeMicros));
        var columns = OutputNames(spine.Schema, groups);
        var schema = OutputSchema(spine.Schema, matches, columns);
        if (outputKind == ".parquet")
        {
            var lineage = TrainingSetLineage.Json(Sha256(request.SpinePath), spine, request.SpineTime, request.MaxAgeMicros, matches, columns);
            WriteParquet(request.OutputPath, schema, spine, matches, lineage);
        }
        else
        {
            WriteCsv(request.OutputPath, schema, spine, matches);
        }
        var results = new List<TrainingSetGroupResult>(matches.Count);
        for (var g = 0; g < matches.Count; g++)
        {
            var m = matches[g];
            results.Add(new TrainingSetGroupResult(m.Group.Name, m.Group.TableName, m.SnapshotId, m.Group.DefinitionSha256, columns[g], m.FeatureRowsRead, m.Matched));
        }
        return new TrainingSetResult(spine.Rows, results, clock.Elapsed);
    }

    /// <summary>The entity columns' types from the feature tables, to type a CSV spine's key columns.</summary>
    private static Dictionary<string, PrimitiveType> KeyTypes(IReadOnlyList<ResolvedGroup> groups)
    {
        var types = new Dictionary<string, PrimitiveType>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            foreach (var e in g.Entity)
            {
                var type = (PrimitiveType)g.Table.Schema.GetField(e).Type;
                if (types.TryGetValue(e, out var seen) && IsText(seen) != IsText(type))
                {
                    throw Errors.InvalidArgument($"entity column '{e}' is {seen} in one feature table and {type} in {g.TableName}");
                }
                types.TryAdd(e, type);
            }
        }
        return types;
    }

    private static bool IsText(PrimitiveType type) => type.Id is TypeId.String or TypeId.Binary;

    /// <summary>Each group's output column names: the feature name, or <c>group__feature</c> where it would clash.</summary>
    private static List<string[]> OutputNames(Schema spine, IReadOnlyList<ResolvedGroup> groups)
    {
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in spine.Fields) uses[f.Name] = 1;
        foreach (var g in groups)
        {
            foreach (var f in g.Features) uses[f] = uses.GetValueOrDefault(f) + 1;
        }
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in spine.Fields) taken.Add(f.Name);
        var names = new List<string[]>(groups.Count);
        foreach (var g in groups)
        {
            var these = new string[g.Features.Count];
            for (var i = 0; i < these.Length; i++)
            {
                var feature = g.Features[i];
                var name = uses[feature] > 1 ? g.Name + "__" + feature : feature;
                if (!taken.Add(name)) throw Errors.InvalidArgument($"output column '{name}' would appear twice (the same group or feature given twice?)");
                these[i] = name;
            }
            names.Add(these);
        }
        return names;
    }

    private static Schema OutputSchema(Schema spine, IReadOnlyList<GroupMatch> matches, IReadOnlyList<string[]> columns)
    {
        var fields = new List<NestedField>();
        var id = 1;
        foreach (var f in spine.Fields) fields.Add(new NestedField(id++, f.Name, f.Required, f.Type, f.Doc));
        for (var g = 0; g < matches.Count; g++)
        {
            var group = matches[g].Group;
            for (var f = 0; f < group.Features.Count; f++)
            {
                fields.Add(new NestedField(id++, columns[g][f], false, group.Table.Schema.GetField(group.Features[f]).Type));
            }
        }
        return new Schema(0, fields);
    }

    /// <summary>Output batches: each spine batch with the matched feature values of its rows appended.</summary>
    private static IEnumerable<RecordBatch> Batches(Schema schema, Spine spine, IReadOnlyList<GroupMatch> matches)
    {
        var arrowSchema = ArrowSchemas.ToArrow(schema);
        var offset = 0;
        foreach (var batch in spine.Batches)
        {
            var length = batch.Length;
            var arrays = new IArrowArray[schema.Fields.Count];
            var c = 0;
            for (; c < batch.ColumnCount; c++) arrays[c] = batch.Column(c);
            foreach (var m in matches)
            {
                var chunkOf = m.ChunkOf.AsSpan(offset, length);
                var rowOf = m.RowOf.AsSpan(offset, length);
                for (var f = 0; f < m.Types.Count; f++)
                {
                    var sources = new IArrowArray[m.Chunks.Count];
                    for (var k = 0; k < sources.Length; k++) sources[k] = m.Chunks[k][f];
                    arrays[c] = ColumnGather.Gather(m.Types[f], sources, chunkOf, rowOf, schema.Fields[c].Name);
                    c++;
                }
            }
            offset += length;
            yield return new RecordBatch(arrowSchema, arrays, length);
        }
    }

    private static void WriteParquet(string path, Schema schema, Spine spine, IReadOnlyList<GroupMatch> matches, string lineage)
    {
        // Snappy, as DuckDB and Polars write by default: a training set is read back whole by trainers, and zstd's
        // smaller file cost more CPU than it saves here.
        var options = new ParquetWriterOptions { Codec = ParquetCodec.Snappy, KeyValueMetadata = [new(TrainingSetLineage.Key, lineage)] };
        WriteAtomically(path, temp =>
        {
            using var writer = new ParquetDataWriter(File.Create(temp), path, schema, SchemaParser.ToJson(schema), options);
            foreach (var batch in Batches(schema, spine, matches)) writer.Write(batch);
            writer.Close();
        });
    }

    private static void WriteCsv(string path, Schema schema, Spine spine, IReadOnlyList<GroupMatch> matches)
    {
        WriteAtomically(path, temp =>
        {
            using var sink = new CsvSink(new StreamWriter(temp), ownsWriter: true);
            sink.Begin(schema);
            foreach (var batch in Batches(schema, spine, matches)) sink.Write(batch);
            sink.Complete();
        });
    }

    /// <summary>Writes next to <paramref name="path"/> and renames, so a failed build never leaves a partial output.</summary>
    private static void WriteAtomically(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (IOException e)
        {
            throw Errors.Io(path, e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
