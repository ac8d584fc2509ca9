using System.Runtime.InteropServices;
using Floe.Application.Tables;
using Floe.Core.Errors;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Native.Interop;

namespace Floe.Native.Exports;

/// <summary>
/// Exports over <see cref="RefService"/> beyond branch create/fast-forward: <c>floe_tag_create</c>,
/// <c>floe_branch_replace</c>, <c>floe_tag_replace</c>, <c>floe_ref_drop</c> and <c>floe_branch_cherry_pick</c>, as the
/// CLI's <c>tag create</c>, <c>branch|tag replace</c>, <c>branch|tag drop</c> and <c>cherry-pick</c>.
/// </summary>
internal static unsafe class RefExports
{
    /// <summary><c>FLOE_REF_BRANCH</c> of <c>floe_ref_kind</c>.</summary>
    private const int RefBranch = 0;

    /// <summary><c>FLOE_REF_TAG</c> of <c>floe_ref_kind</c>.</summary>
    private const int RefTag = 1;

    /// <summary>
    /// <c>int floe_tag_create(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* name, const char* from)</c>:
    /// creates tag <c>name</c> at <c>from</c> (branch, tag or snapshot id; NULL = main's head) and fills the ref's JSON.
    /// Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EEXISTS</c>, <c>FLOE_ECONFLICT</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_tag_create")]
    public static int CreateTag(FloeBuf* @out, nint warehouse, byte* table, byte* name, byte* from)
    {
        try
        {
            var refs = new RefService(NativeCall.Open(@out, "out_json", warehouse));
            string tableName = Utf8Marshal.ReadRequired(table, "table");
            string tag = Utf8Marshal.ReadRequired(name, "name");
            string? start = Utf8Marshal.ReadOptional(from, "from");
            return NativeCall.Json(@out, refs.CreateTag(tableName, tag, start).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_tag_create");
        }
    }

    /// <summary>
    /// <c>int floe_branch_replace(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* name, const char* to)</c>:
    /// points existing branch <c>name</c> at <c>to</c> (no ancestry check). Errors as <c>floe_tag_create</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_branch_replace")]
    public static int ReplaceBranch(FloeBuf* @out, nint warehouse, byte* table, byte* name, byte* to)
    {
        try
        {
            return Replace(@out, warehouse, table, name, to, SnapshotRefType.Branch);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_branch_replace");
        }
    }

    /// <summary>
    /// <c>int floe_tag_replace(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* name, const char* to)</c>:
    /// points existing tag <c>name</c> at <c>to</c>. Errors as <c>floe_tag_create</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_tag_replace")]
    public static int ReplaceTag(FloeBuf* @out, nint warehouse, byte* table, byte* name, byte* to)
    {
        try
        {
            return Replace(@out, warehouse, table, name, to, SnapshotRefType.Tag);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_tag_replace");
        }
    }

    /// <summary>
    /// <c>int floe_ref_drop(const floe_warehouse* w, const char* table, const char* name, floe_ref_kind kind)</c>:
    /// drops a branch (never main) or a tag; the snapshots stay until expired.
    /// Errors: <c>FLOE_EINVALID_ARG</c> (also an unknown kind, or main), <c>FLOE_ENOTFOUND</c>, <c>FLOE_ECONFLICT</c>,
    /// <c>FLOE_EINVALID_HANDLE</c>, <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_ref_drop")]
    public static int Drop(nint warehouse, byte* table, byte* name, int kind)
    {
        try
        {
            var refs = new RefService(NativeCall.Open(warehouse));
            refs.Drop(Utf8Marshal.ReadRequired(table, "table"), Utf8Marshal.ReadRequired(name, "name"), Kind(kind));
            return 0;
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_ref_drop");
        }
    }

    /// <summary>
    /// <c>int floe_branch_cherry_pick(floe_buf* out_json, const floe_warehouse* w, const char* table, int64_t snapshot_id, const char* branch)</c>:
    /// applies one snapshot's changes onto <c>branch</c> (NULL = main) and fills the new snapshot's JSON (as in
    /// <c>floe_table_snapshots</c>). Errors: <c>FLOE_EINVALID_ARG</c>, <c>FLOE_ENOTFOUND</c>, <c>FLOE_EVALIDATION</c> or
    /// <c>FLOE_EUNSUPPORTED</c> when the snapshot cannot be picked, <c>FLOE_ECONFLICT</c>, <c>FLOE_EINVALID_HANDLE</c>,
    /// <c>FLOE_EIO</c>, <c>FLOE_EINTERNAL</c>.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "floe_branch_cherry_pick")]
    public static int CherryPick(FloeBuf* @out, nint warehouse, byte* table, long snapshotId, byte* branch)
    {
        try
        {
            var refs = new RefService(NativeCall.Open(@out, "out_json", warehouse));
            string tableName = Utf8Marshal.ReadRequired(table, "table");
            string? target = Utf8Marshal.ReadOptional(branch, "branch");
            string snapshot = snapshotId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return NativeCall.Json(@out, refs.CherryPick(tableName, snapshot, target).WriteJson);
        }
        catch (Exception e)
        {
            return NativeCall.Fail(e, "floe_branch_cherry_pick");
        }
    }

    // Callers catch: an export's whole body must sit inside its own try (ExportShapeTests checks the IL).
    private static int Replace(FloeBuf* @out, nint warehouse, byte* table, byte* name, byte* to, SnapshotRefType type)
    {
        var refs = new RefService(NativeCall.Open(@out, "out_json", warehouse));
        string tableName = Utf8Marshal.ReadRequired(table, "table");
        string refName = Utf8Marshal.ReadRequired(name, "name");
        string target = Utf8Marshal.ReadRequired(to, "to");
        return NativeCall.Json(@out, refs.Replace(tableName, refName, type, target).WriteJson);
    }

    private static SnapshotRefType Kind(int kind) => kind switch
    {
        RefBranch => SnapshotRefType.Branch,
        RefTag => SnapshotRefType.Tag,
        _ => throw Errors.InvalidArgument($"kind {kind} is not FLOE_REF_BRANCH or FLOE_REF_TAG"),
    };
}
