using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.C;
using Apache.Arrow.Ipc;
using Floe.Application.Ingest;
using Floe.Core.Errors;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>Exports of the ingest module: <c>floe_ingest_file</c> (the CLI's <c>ingest</c>) and <c>floe_ingest_arrow</c>, over <see cref="IngestService"/>.</summary>
internal static unsafe class IngestExports
{
    /// <summary>
    /// <c>int floe_ingest_file(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* path,
    /// const floe_ingest_options* opts)</c>: loads a CSV or Parquet file in one atomic commit and returns the JSON of
    /// <c>floe ingest --json</c> (<c>{snapshot_id, operation, rows, files, summary}</c>), freed with <c>floe_buf_free</c>.
    /// opts may be NULL (append to main). Errors: <c>FLOE_EINVALID_ARG</c> (NULL out/table/path, unknown mode or version,
    /// bad properties JSON), <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c>, <c>FLOE_ECONFLICT</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_ingest_file")]
    public static int IngestFile(FloeBuf* @out, nint warehouse, byte* table, byte* path, FloeIngestOptions* options)
    {
        try
        {
            var ingest = new IngestService(NativeCall.Open(@out, "out_json", warehouse));
            string name = Utf8Marshal.ReadRequired(table, "table");
            string file = Utf8Marshal.ReadRequired(path, "path");
            return NativeCall.Json(@out, ingest.Ingest(name, file, ReadOptions(options)).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_ingest_file");
        }
    }

    /// <summary>
    /// <c>int floe_ingest_arrow(floe_buf* out_json, const floe_warehouse* w, const char* table, struct ArrowArrayStream* stream,
    /// const floe_ingest_options* opts)</c>: appends (or, with <c>FLOE_INGEST_OVERWRITE_PARTITIONS</c>, replaces the
    /// partitions present in) the batches of a host-provided Arrow stream in one atomic commit. Moves the stream: it is
    /// released before the call returns, whatever the result. Its schema must be the table's columns in order.
    /// Fills the JSON of <c>floe_ingest_file</c>. Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>,
    /// <c>FLOE_EINVALID_DATA</c> (schema mismatch, a stream error), <c>FLOE_ECONFLICT</c>, <c>FLOE_EINVALID_HANDLE</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_ingest_arrow")]
    public static int IngestArrow(FloeBuf* @out, nint warehouse, byte* table, CArrowArrayStream* stream, FloeIngestOptions* options)
    {
        try
        {
            return IngestArrowInto(@out, warehouse, table, stream, options);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_ingest_arrow");
        }
    }

    // Callers catch: an export's whole body must sit inside its own try (ExportShapeTests checks the IL).
    private static int IngestArrowInto(FloeBuf* @out, nint warehouse, byte* table, CArrowArrayStream* stream, FloeIngestOptions* options)
    {
        // Take the stream first so that it is released on every path, as the header promises.
        using MovedArrowStream? moved = MovedArrowStream.Take(stream);
        var ingest = new IngestService(NativeCall.Open(@out, "out_json", warehouse));
        string name = Utf8Marshal.ReadRequired(table, "table");
        if (moved == null)
        {
            throw Errors.InvalidArgument("stream is NULL or already released");
        }

        IngestOptions ingestOptions = ReadOptions(options);
        IngestResult result = ingest.Ingest(name, moved.Stream.Schema, moved.ReadBatches(disposeEach: true), ingestOptions);
        return NativeCall.Json(@out, result.WriteJson);
    }

    private static IngestOptions ReadOptions(FloeIngestOptions* options)
    {
        if (options == null)
        {
            return new IngestOptions();
        }

        if (options->Version != 1)
        {
            throw Errors.InvalidArgument($"opts->version {options->Version} is not supported (initialise with FLOE_INGEST_OPTIONS_INIT)");
        }

        IngestMode mode = options->Mode switch
        {
            0 => IngestMode.Append,
            1 => IngestMode.OverwritePartitions,
            _ => throw Errors.InvalidArgument($"opts->mode {options->Mode} is not FLOE_INGEST_APPEND or FLOE_INGEST_OVERWRITE_PARTITIONS"),
        };
        return new IngestOptions
        {
            Mode = mode,
            Branch = Utf8Marshal.ReadOptional(options->Branch, "opts->branch") ?? "main",
            Properties = NativeJson.ParseStringMap(Utf8Marshal.ReadOptional(options->PropertiesJson, "opts->properties_json"), "opts->properties_json"),
        };
    }
}
