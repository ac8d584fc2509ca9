using System.Runtime.InteropServices;
using Floe.Application.Tables;

namespace Floe.Native.Exports;

/// <summary>Exports of the branch module: <c>floe_branch_create/fast_forward</c> over <see cref="RefService"/>, as the CLI's <c>branch</c> commands.</summary>
internal static unsafe class BranchExports
{
    /// <summary>
    /// <c>int floe_branch_create(const floe_warehouse* w, const char* table, const char* name, const char* from)</c>:
    /// creates a branch at <c>from</c> (a branch, tag or snapshot id; NULL = main's head).
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EEXISTS</c>, <c>FLOE_ECONFLICT</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_branch_create")]
    public static int Create(nint warehouse, byte* table, byte* name, byte* from)
    {
        try
        {
            var refs = new RefService(NativeCall.Open(warehouse));
            refs.CreateBranch(Utf8Marshal.ReadRequired(table, "table"), Utf8Marshal.ReadRequired(name, "name"), Utf8Marshal.ReadOptional(from, "from"));
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_branch_create");
        }
    }

    /// <summary>
    /// <c>int floe_branch_fast_forward(const floe_warehouse* w, const char* table, const char* branch, const char* to)</c>:
    /// moves <c>branch</c> to <c>to</c>'s snapshot when its head is an ancestor of it (the publish step of
    /// write-audit-publish). Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EVALIDATION</c>
    /// when not a fast-forward, <c>FLOE_ECONFLICT</c>, <c>FLOE_EINVALID_HANDLE</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_branch_fast_forward")]
    public static int FastForward(nint warehouse, byte* table, byte* branch, byte* to)
    {
        try
        {
            var refs = new RefService(NativeCall.Open(warehouse));
            refs.FastForward(Utf8Marshal.ReadRequired(table, "table"), Utf8Marshal.ReadRequired(branch, "branch"), Utf8Marshal.ReadRequired(to, "to"));
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_branch_fast_forward");
        }
    }
}
