using System.Runtime.InteropServices;
using Floe.Application.Wap;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>
/// Exports of write-audit-publish: <c>floe_audit_run</c> and <c>floe_publish_run</c>, the CLI's <c>audit</c> and
/// <c>publish</c> commands over <see cref="AuditService"/> and <see cref="PublishService"/>.
/// </summary>
internal static unsafe class WapExports
{
    private static readonly string[] AuditFields = ["rules", "report_dir", "key_columns"];

    /// <summary>
    /// <c>int floe_audit_run(floe_buf* out, floe_warehouse* w, const char* table, const char* branch,
    /// const char* options_json)</c>: audits a staging branch against main and returns the JSON of
    /// <c>floe audit --json</c>, whose <c>passed</c> says the verdict: a failed audit is still FLOE_OK. Options (NULL =
    /// defaults): <c>rules</c> (a rules file), <c>report_dir</c> (folder for the HTML report), <c>key_columns</c>.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EINVALID_DATA</c>, <c>FLOE_ECONFLICT</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_audit_run")]
    public static int Audit(FloeBuf* @out, nint warehouse, byte* table, byte* branch, byte* optionsJson)
    {
        try
        {
            var audit = new AuditService(NativeCall.Open(@out, "out", warehouse));
            string tableName = Utf8Marshal.ReadRequired(table, "table");
            string branchName = Utf8Marshal.ReadRequired(branch, "branch");
            using var options = NativeRequest.Parse(Utf8Marshal.ReadOptional(optionsJson, "options_json"), "options_json", AuditFields);
            string? rulesFile = options.String("rules");
            string? reportDir = options.String("report_dir");
            IReadOnlyList<string>? keys = options.StringList("key_columns", splitCommas: true);
            AuditResult result = audit.Audit(tableName, branchName, rulesFile is null ? null : AuditRules.Load(rulesFile), keys);
            if (reportDir is not null)
            {
                AuditReport.Write(result, reportDir);
            }

            return NativeCall.Json(@out, result.WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_audit_run");
        }
    }

    /// <summary>
    /// <c>int floe_publish_run(floe_buf* out, floe_warehouse* w, const char* table, const char* branch)</c>:
    /// fast-forwards main to the branch's head when an audit passed for it, returning the JSON of
    /// <c>floe publish --json</c>. Errors: <c>FLOE_EVALIDATION</c> when refused, <c>FLOE_EINVALID_ARG</c>,
    /// <c>FLOE_ENOTFOUND</c>, <c>FLOE_ECONFLICT</c>, <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_publish_run")]
    public static int Publish(FloeBuf* @out, nint warehouse, byte* table, byte* branch)
    {
        try
        {
            var publish = new PublishService(NativeCall.Open(@out, "out", warehouse));
            string tableName = Utf8Marshal.ReadRequired(table, "table");
            return NativeCall.Json(@out, publish.Publish(tableName, Utf8Marshal.ReadRequired(branch, "branch")).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_publish_run");
        }
    }
}
