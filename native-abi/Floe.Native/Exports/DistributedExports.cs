using System.Runtime.InteropServices;
using Floe.Application.Backfill;
using Floe.Application.Backfill.Distributed;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>
/// Exports of the distributed backfill protocol over <see cref="DistributedBackfill"/>: <c>floe_backfill_plan</c>
/// (driver), <c>floe_task_execute</c> (any process) and <c>floe_tasks_commit</c> (driver), as the CLI's
/// <c>backfill --plan</c>, <c>task run</c> and <c>tasks commit</c>.
/// </summary>
internal static unsafe class DistributedExports
{
    /// <summary>
    /// <c>int floe_backfill_plan(floe_buf* out, const floe_warehouse* w, const char* request_json)</c>: splits a
    /// backfill (the request of <c>floe_backfill_run</c>) into one task per day and returns the plan JSON.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c>, <c>FLOE_EINVALID_HANDLE</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_backfill_plan")]
    public static int Plan(FloeBuf* @out, nint warehouse, byte* requestJson)
    {
        try
        {
            var backfill = new DistributedBackfill(NativeCall.Open(@out, "out", warehouse));
            BackfillRequest request = BackfillExports.ReadRequest(Utf8Marshal.ReadRequired(requestJson, "request_json"));
            return NativeCall.Json(@out, backfill.Plan(request).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_backfill_plan");
        }
    }

    /// <summary>
    /// <c>int floe_task_execute(floe_buf* out, const floe_warehouse* w, const char* task_json)</c>: runs one task of a
    /// plan (writes its data files, commits nothing) and returns the task result JSON. Errors: <c>FLOE_EINVALID_ARG</c>,
    /// <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c> (definition changed since the plan), <c>FLOE_EINVALID_HANDLE</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_task_execute")]
    public static int Execute(FloeBuf* @out, nint warehouse, byte* taskJson)
    {
        try
        {
            var backfill = new DistributedBackfill(NativeCall.Open(@out, "out", warehouse));
            BackfillTask task = BackfillTask.Parse(Utf8Marshal.ReadRequired(taskJson, "task_json"), "task_json");
            return NativeCall.Json(@out, backfill.Execute(task).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_task_execute");
        }
    }

    /// <summary>
    /// <c>int floe_tasks_commit(floe_buf* out, const floe_warehouse* w, const char* plan_json, const char* results_json)</c>:
    /// commits one result per planned day as one snapshot and returns the JSON of <c>floe backfill --json</c>.
    /// Errors: <c>FLOE_EINVALID_ARG</c> (a day without or with two results, a foreign file), <c>FLOE_ENOTFOUND</c>,
    /// <c>FLOE_ECONFLICT</c>, <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_tasks_commit")]
    public static int Commit(FloeBuf* @out, nint warehouse, byte* planJson, byte* resultsJson)
    {
        try
        {
            var backfill = new DistributedBackfill(NativeCall.Open(@out, "out", warehouse));
            BackfillPlan plan = BackfillPlan.Parse(Utf8Marshal.ReadRequired(planJson, "plan_json"), "plan_json");
            var results = BackfillTaskResult.ParseList(Utf8Marshal.ReadRequired(resultsJson, "results_json"), "results_json");
            return NativeCall.Json(@out, backfill.Commit(plan, results).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_tasks_commit");
        }
    }
}
