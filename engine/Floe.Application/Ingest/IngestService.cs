using Apache.Arrow;
using Floe.Core.Errors;
using Floe.Formats.Csv;
using Floe.Formats.Parquet;
using Floe.Core.Arrow;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transactions;
using Floe.Iceberg.Writing;
using Schema = Floe.Core.Types.Schema;
using Table = Floe.Iceberg.Tables.Table;

namespace Floe.Application.Ingest;

/// <summary>
/// Loads a CSV or Parquet file into a table: converts values to the table schema, writes partitioned Parquet
/// data files, and commits them in one snapshot. A failure at any point deletes the files written and leaves the
/// table at its previous snapshot.
/// </summary>
public sealed class IngestService
{
    private readonly Warehouse _warehouse;

    /// <summary>Creates the service over a warehouse.</summary>
    public IngestService(Warehouse warehouse) => _warehouse = warehouse;

    /// <summary>Ingests <paramref name="path"/> (<c>.csv</c> or <c>.parquet</c>) into <paramref name="tableName"/>.</summary>
    public IngestResult Ingest(string tableName, string path, IngestOptions options)
    {
        var table = _warehouse.LoadTable(TableIdentifier.Parse(tableName));
        return Ingest(table, ReadFile(path, table.Schema), options);
    }

    /// <summary>Ingests Arrow batches whose columns are the table schema's, in order.</summary>
    public static IngestResult Ingest(Table table, IEnumerable<RecordBatch> batches, IngestOptions options)
    {
        var writer = new PartitionedWriter(table);
        try
        {
            foreach (var batch in batches) writer.Write(batch);
            var files = writer.Complete();
            SnapshotProducer producer = options.Mode switch
            {
                // As Java's newAppend: manifests are merged once there are many (commit.manifest.min-count-to-merge),
                // which keeps commits and planning fast on tables with thousands of snapshots.
                IngestMode.Append => files.Aggregate(new MergeAppend(table), (a, f) => a.AppendFile(f)),
                IngestMode.OverwritePartitions => files.Aggregate(new DynamicPartitionOverwrite(table), (o, f) => o.AddFile(f)),
                _ => throw Errors.InvalidArgument($"unknown ingest mode {options.Mode}"),
            };
            producer.ToBranch(options.Branch);
            foreach (var (k, v) in options.Properties) producer.Set(k, v);
            var snapshot = producer.Commit();
            return new IngestResult(snapshot.SnapshotId, snapshot.Operation, writer.RowsWritten, files.Count, snapshot.Summary);
        }
        catch
        {
            writer.Abort();
            throw;
        }
        finally
        {
            writer.Dispose();
        }
    }

    /// <summary>
    /// Ingests Arrow batches a host supplies (the C ABI's Arrow stream), after checking that <paramref name="schema"/>
    /// has the table schema's columns in order, by name and Arrow type, so no batch is written under the wrong column.
    /// </summary>
    public IngestResult Ingest(string tableName, Apache.Arrow.Schema schema, IEnumerable<RecordBatch> batches, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var table = _warehouse.LoadTable(TableIdentifier.Parse(tableName));
        CheckSchema(schema, table);
        return Ingest(table, CheckedBatches(batches, schema.FieldsList.Count), options);
    }

    private static void CheckSchema(Apache.Arrow.Schema schema, Table table)
    {
        var expected = ArrowSchemas.ToArrow(table.Schema);
        if (schema.FieldsList.Count != expected.FieldsList.Count)
        {
            throw Errors.InvalidData($"the Arrow stream has {schema.FieldsList.Count} columns but table '{table.Identifier}' has {expected.FieldsList.Count}");
        }
        for (var i = 0; i < expected.FieldsList.Count; i++)
        {
            var want = expected.FieldsList[i];
            var got = schema.FieldsList[i];
            if (!string.Equals(want.Name, got.Name, StringComparison.Ordinal))
            {
                throw Errors.InvalidData($"Arrow stream column {i} is '{got.Name}' but table '{table.Identifier}' has '{want.Name}' there");
            }
            if (!SameType(want.DataType, got.DataType))
            {
                throw Errors.InvalidData($"Arrow stream column '{got.Name}' is {got.DataType.Name} but table '{table.Identifier}' expects {want.DataType.Name}");
            }
        }
    }

    private static bool SameType(Apache.Arrow.Types.IArrowType want, Apache.Arrow.Types.IArrowType got)
    {
        if (want.TypeId != got.TypeId) return false;
        return want is not Apache.Arrow.Types.TimestampType wantTs || got is not Apache.Arrow.Types.TimestampType gotTs
            || (wantTs.Unit == gotTs.Unit && string.IsNullOrEmpty(wantTs.Timezone) == string.IsNullOrEmpty(gotTs.Timezone));
    }

    private static IEnumerable<RecordBatch> CheckedBatches(IEnumerable<RecordBatch> batches, int columns)
    {
        foreach (var batch in batches)
        {
            if (batch.ColumnCount != columns) throw Errors.InvalidData($"an Arrow batch has {batch.ColumnCount} columns, its stream's schema {columns}");
            yield return batch;
        }
    }

    /// <summary>
    /// The schema a writer fills from: a column the input lacks takes the field's write-default (spec "Default
    /// values"), not its initial-default, which is what readers give rows written before the field existed. The
    /// Parquet reader fills missing columns from initial-defaults, so it reads through this view.
    /// </summary>
    private static Schema AsWritten(Schema schema)
    {
        var fields = new NestedField[schema.Fields.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = schema.Fields[i] with { InitialDefault = schema.Fields[i].WriteDefault };
        }
        return new Schema(schema.SchemaId, fields, schema.IdentifierFieldIds);
    }

    /// <summary>Reads a CSV or Parquet file as batches of <paramref name="schema"/>.</summary>
    public static IEnumerable<RecordBatch> ReadFile(string path, Schema schema)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => CsvBatchReader.Read(path, schema),
            ".parquet" => ParquetBatchReader.Read(path, AsWritten(schema)),
            _ => throw Errors.InvalidArgument($"{path}: unsupported file type '{extension}' (expected .csv or .parquet)"),
        };
    }
}
