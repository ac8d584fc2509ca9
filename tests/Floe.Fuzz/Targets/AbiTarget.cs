using System.Runtime.InteropServices;
using System.Text;
using Floe.Core.Errors;
using Floe.Native;
using Floe.Native.Exports;
using Floe.Native.Interop;

namespace Floe.Fuzz.Targets;

/// <summary>
/// The C ABI's string and option inputs, called in-process through unmanaged function pointers as a C host would:
/// the input is split at NUL bytes into a table name, schema, partition spec, filter, branch and properties JSON, and
/// its first bytes give the ingest options' version and mode. An export must return 0 or a typed code other than
/// FLOE_EINTERNAL with a one-line message, and nothing may appear outside the warehouse folder.
/// </summary>
internal sealed unsafe class AbiTarget : FuzzTarget, IDisposable
{
    private static readonly delegate* unmanaged<nint*, byte*, int> Open = &WarehouseExports.Open;
    private static readonly delegate* unmanaged<nint, void> Close = &WarehouseExports.Close;
    private static readonly delegate* unmanaged<nint, byte*, byte*, byte*, int> Create = &TableExports.Create;
    private static readonly delegate* unmanaged<FloeBuf*, nint, byte*, int> Describe = &TableExports.Describe;
    private static readonly delegate* unmanaged<long*, nint, byte*, byte*, int> Count = &ScanExports.Count;
    private static readonly delegate* unmanaged<FloeBuf*, nint, byte*, byte*, FloeIngestOptions*, int> Ingest = &IngestExports.IngestFile;
    private static readonly delegate* unmanaged<FloeBuf*, void> FreeBuf = &BufferExports.Free;

    private readonly string _sandbox = Path.Combine(Path.GetTempPath(), $"floe-fuzz-abi-{Environment.ProcessId}");
    private readonly string[] _rootEntries = Directory.GetFileSystemEntries("/");
    private string _csv = "";
    private nint _warehouse;

    public override string Name => "abi";

    public override string Description => "C ABI exports in-process: floe_table_create/describe, floe_scan_count, floe_ingest_file options";

    public override string[] Dictionary => new[] { "\0", ".", "..", "/", "ns.t", "fz.t", "id:long", "struct<", "list<", "map<", ">", "day(ts)", "bucket(", "{\"k\":\"v\"}", "main", "\u00ff" };

    public override void Run(ReadOnlySpan<byte> input)
    {
        EnsureWarehouse();
        var parts = Split(input);
        string Part(int i) => i < parts.Count ? parts[i] : "";
        var header = input.Length >= 8 ? input[..8].ToArray() : new byte[8];

        Check(CallCreate(Part(0), Part(1), parts.Count > 2 ? Part(2) : null), "floe_table_create");
        Check(CallCount(Part(0), parts.Count > 3 ? Part(3) : null), "floe_scan_count");
        Check(CallDescribe(Part(0)), "floe_table_describe");
        var options = new FloeIngestOptions { Version = BitConverter.ToUInt32(header, 0) % 4, Mode = BitConverter.ToInt32(header, 4) % 3 };
        Check(CallIngest("fz.t", options, parts.Count > 4 ? Part(4) : null, parts.Count > 5 ? Part(5) : null), "floe_ingest_file");
        CheckNothingOutside();
    }

    public override IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("create.bin", Join("\u0001\0\0\0\0\0\0\0ns.events", "id:long not null,ts:timestamptz,s:struct<a:int>,l:list<string>", "day(ts)", "id > 3", "main", "{\"k\":\"v\"}"));
        yield return ("nested.bin", Join("\u0001\0\0\0\u0001\0\0\0a.b.c", "m:map<string,list<long not null>>", "", "m is null", "", ""));
        yield return ("bad-name.bin", Join("\u0001\0\0\0\0\0\0\0.x.t", "id:long", "bucket(4,id)"));
    }

    public void Dispose()
    {
        if (_warehouse != 0) Close(_warehouse);
        _warehouse = 0;
        if (Directory.Exists(_sandbox)) Directory.Delete(_sandbox, recursive: true);
    }

    private static byte[] Join(params string[] parts) => Encoding.UTF8.GetBytes(string.Join('\0', parts));

    private static List<string> Split(ReadOnlySpan<byte> input)
    {
        // The first 8 bytes are the options header; strings follow, NUL separated (as C strings end).
        var rest = input.Length >= 8 ? input[8..] : ReadOnlySpan<byte>.Empty;
        var parts = new List<string>();
        while (true)
        {
            var nul = rest.IndexOf((byte)0);
            if (nul < 0)
            {
                parts.Add(Latin(rest));
                return parts;
            }
            parts.Add(Latin(rest[..nul]));
            rest = rest[(nul + 1)..];
        }
    }

    // Bytes are kept as they are (invalid UTF-8 included) by carrying each byte in one char; ToC reverses it.
    private static string Latin(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    private static byte[] ToC(string text) => [.. Encoding.Latin1.GetBytes(text), 0];

    private void EnsureWarehouse()
    {
        if (_warehouse != 0) return;
        Directory.CreateDirectory(_sandbox);
        _csv = Path.Combine(_sandbox, "in.csv");
        File.WriteAllText(_csv, "id,name\n1,a\n2,b\n");
        nint handle = 0;
        var path = ToC(Path.Combine(_sandbox, "wh"));
        fixed (byte* p = path)
        {
            if (Open(&handle, p) != 0) throw new InvalidOperationException("cannot open the fuzz warehouse");
        }
        _warehouse = handle;
        var name = ToC("fz.t");
        var schema = ToC("id:long,name:string");
        fixed (byte* n = name)
        fixed (byte* s = schema)
        {
            if (Create(_warehouse, n, s, null) != 0) throw new InvalidOperationException("cannot create the fuzz table");
        }
    }

    private int CallCreate(string name, string schema, string? partition)
    {
        var n = ToC(name);
        var s = ToC(schema);
        var p = partition is null ? null : ToC(partition);
        fixed (byte* pn = n)
        fixed (byte* ps = s)
        fixed (byte* pp = p)
        {
            return Create(_warehouse, pn, ps, partition is null ? null : pp);
        }
    }

    private int CallCount(string table, string? filter)
    {
        var t = ToC(table);
        var f = filter is null ? null : ToC(filter);
        long count = 0;
        fixed (byte* pt = t)
        fixed (byte* pf = f)
        {
            return Count(&count, _warehouse, pt, filter is null ? null : pf);
        }
    }

    private int CallDescribe(string table)
    {
        var t = ToC(table);
        var buffer = default(FloeBuf);
        fixed (byte* pt = t)
        {
            var rc = Describe(&buffer, _warehouse, pt);
            FreeBuf(&buffer);
            return rc;
        }
    }

    private int CallIngest(string table, FloeIngestOptions options, string? branch, string? properties)
    {
        var t = ToC(table);
        var path = ToC(_csv);
        var b = branch is null ? null : ToC(branch);
        var j = properties is null ? null : ToC(properties);
        var buffer = default(FloeBuf);
        fixed (byte* pt = t)
        fixed (byte* pp = path)
        fixed (byte* pb = b)
        fixed (byte* pj = j)
        {
            options.Branch = branch is null ? null : pb;
            options.PropertiesJson = properties is null ? null : pj;
            var rc = Ingest(&buffer, _warehouse, pt, pp, &options);
            FreeBuf(&buffer);
            return rc;
        }
    }

    private void Check(int rc, string function)
    {
        if (rc == 0) return;
        CountRefused();
        var error = LastError.Current;
        var message = Marshal.PtrToStringUTF8((nint)error->Message) ?? "";
        if (rc == (int)FloeErrorCode.Internal) throw new FuzzContractException($"{function} returned FLOE_EINTERNAL: {message}");
        if (rc > 0 || rc < (int)FloeErrorCode.Cancelled) throw new FuzzContractException($"{function} returned undocumented code {rc}");
        if (message.Contains('\n', StringComparison.Ordinal)) throw new FuzzContractException($"{function}: multi-line error message: {message}");
        CheckMessage(message);
    }

    private void CheckNothingOutside()
    {
        foreach (var entry in Directory.GetFileSystemEntries(_sandbox))
        {
            var name = Path.GetFileName(entry);
            if (name != "wh" && name != "in.csv") throw new FuzzContractException($"'{entry}' appeared outside the warehouse");
        }
        var root = Directory.GetFileSystemEntries("/");
        foreach (var entry in root)
        {
            if (System.Array.IndexOf(_rootEntries, entry) < 0) throw new FuzzContractException($"'{entry}' appeared at the filesystem root");
        }
    }
}
