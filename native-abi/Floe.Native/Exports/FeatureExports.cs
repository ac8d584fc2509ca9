using System.Runtime.InteropServices;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.C;
using Apache.Arrow.Ipc;
using Floe.Application.Features;
using Floe.Core.Errors;
using Floe.Core.Text;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>
/// Exports of the features module: <c>floe_features_validate</c> (the CLI's <c>features validate</c>) and
/// <c>floe_features_compute</c>, which computes a definition over a host's Arrow stream into an Arrow stream.
/// </summary>
internal static unsafe class FeatureExports
{
    /// <summary>
    /// <c>int floe_features_validate(floe_buf* out_json, const char* definition_path)</c>: parses and checks a feature
    /// group definition (.json/.yaml); fills <c>{"valid":bool,"errors":[...]}</c> as <c>floe features validate --json</c>.
    /// An invalid definition is a result, not an error. Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_features_validate")]
    public static int Validate(FloeBuf* @out, byte* definitionPath)
    {
        try
        {
            NativeBuffers.Reset(@out, "out_json");
            var result = FeatureService.Validate(Utf8Marshal.ReadRequired(definitionPath, "definition_path"));
            return NativeCall.Json(@out, json => FeatureReports.WriteJson(json, result));
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_features_validate");
        }
    }

    /// <summary>
    /// <c>int floe_features_compute(struct ArrowArrayStream* out, const char* definition_path, struct ArrowArrayStream* events, const char* from, const char* to)</c>:
    /// computes the definition over every event of <c>events</c> (moved: released before or when <c>out</c> is) for event
    /// times in [from, to), and fills <c>out</c> with the output rows (keys, event time, features), one batch per UTC day.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c> (definition does not fit the
    /// events, stream error), <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_features_compute")]
    public static int Compute(CArrowArrayStream* @out, byte* definitionPath, CArrowArrayStream* events, byte* from, byte* to)
    {
        try
        {
            ComputeInto(@out, definitionPath, events, from, to);
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_features_compute");
        }
    }

    private static void ComputeInto(CArrowArrayStream* @out, byte* definitionPath, CArrowArrayStream* events, byte* from, byte* to)
    {
        var owned = new List<IDisposable>();
        bool handedOver = false;
        try
        {
            MovedArrowStream? moved = MovedArrowStream.Take(events);
            if (moved != null)
            {
                owned.Add(moved);
            }

            if (@out == null)
            {
                throw Errors.InvalidArgument("out is NULL");
            }

            // Zeroed first, so a failed call leaves a released (all-NULL) stream, as the header promises.
            *@out = default;
            string path = Utf8Marshal.ReadRequired(definitionPath, "definition_path");
            DateTimeOffset start = Time(Utf8Marshal.ReadRequired(from, "from"), "from");
            DateTimeOffset end = Time(Utf8Marshal.ReadRequired(to, "to"), "to");
            if (moved == null)
            {
                throw Errors.InvalidArgument("events is NULL or already released");
            }

            var batches = new List<RecordBatch>();
            foreach (RecordBatch batch in moved.ReadBatches(disposeEach: false))
            {
                batches.Add(batch);
                owned.Add(batch);
            }

            var (output, _) = FeatureService.ComputeBatches(path, new BatchEventSource(moved.Stream.Schema, batches), start, end);
            // The output may share buffers with the input (key columns), so the stream keeps the input until released.
            CArrowArrayStreamExporter.ExportArrayStream(new BatchListStream(output.Schema, output.Batches, owned), @out);
            handedOver = true;
        }
        finally
        {
            if (!handedOver)
            {
                // Newest first: batches before the stream they came from.
                for (int i = owned.Count - 1; i >= 0; i--)
                {
                    owned[i].Dispose();
                }
            }
        }
    }

    private static DateTimeOffset Time(string text, string name)
    {
        if (Utf8Values.TryParseTimestamp(Encoding.UTF8.GetBytes(text.Trim()), out long micros))
        {
            return DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
        }

        throw Errors.InvalidArgument($"{name}: '{text}' is not a date or ISO-8601 timestamp");
    }
}
