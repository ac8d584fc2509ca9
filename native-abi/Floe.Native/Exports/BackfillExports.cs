using System.Runtime.InteropServices;
using Floe.Application.Backfill;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>Exports of the backfill module: <c>floe_backfill_run</c>, the CLI's <c>backfill</c> command over <see cref="BackfillService"/>.</summary>
internal static unsafe class BackfillExports
{
    private static readonly string[] RequestFields =
        ["definition", "from", "to", "source", "code_version", "branch", "wap", "commit_every", "max_memory", "resume"];

    /// <summary>
    /// <c>int floe_backfill_run(floe_buf* out, floe_warehouse* w, const char* request_json, floe_progress_fn progress,
    /// void* payload)</c>: runs a backfill described by a JSON request (the fields of <see cref="BackfillRequest"/>) and
    /// returns the JSON of <c>floe backfill --json</c>. progress (may be NULL) is called on the calling thread after each
    /// computed day and each commit; a non-zero return cancels before the next commit (<c>FLOE_ECANCELLED</c>).
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c>, <c>FLOE_ECONFLICT</c>,
    /// <c>FLOE_ECANCELLED</c>, <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_backfill_run")]
    public static int Run(FloeBuf* @out, nint warehouse, byte* requestJson, delegate* unmanaged<long, long, long, void*, int> progress, void* payload)
    {
        try
        {
            var service = new BackfillService(NativeCall.Open(@out, "out", warehouse));
            BackfillRequest request = ReadRequest(Utf8Marshal.ReadRequired(requestJson, "request_json"));
            BackfillResult result;
            if (progress == null)
            {
                result = service.Run(request);
            }
            else
            {
                using var pump = new ProgressPump();
                result = pump.Run(p => service.Run(request, p, p.Token), progress, payload);
            }

            return NativeCall.Json(@out, result.WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_backfill_run");
        }
    }

    /// <summary>Reads a backfill request object; the field names are the CLI's options in snake case.</summary>
    internal static BackfillRequest ReadRequest(string json)
    {
        using var request = NativeRequest.Parse(json, "request_json", RequestFields);
        return new BackfillRequest
        {
            DefinitionPath = request.RequiredString("definition"),
            From = request.RequiredTime("from"),
            To = request.RequiredTime("to"),
            Source = request.String("source"),
            CodeVersion = request.String("code_version"),
            Branch = request.String("branch"),
            Wap = request.Bool("wap") ?? false,
            CommitEveryDays = request.Count("commit_every") ?? 0,
            MaxMemoryBytes = request.Parsed("max_memory", MemoryBudget.ParseBytes, 0L),
            Resume = request.Bool("resume") ?? true,
        };
    }
}
