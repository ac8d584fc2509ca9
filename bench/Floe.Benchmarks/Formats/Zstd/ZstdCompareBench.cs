using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Floe.Parquet;

namespace Floe.Benchmarks.Formats.Zstd;

/// <summary>
/// Page compression cost, managed ZstdSharp against the system's native libzstd (libzstd.so.1, through P/Invoke),
/// on the PLAIN pages (1 MiB) of an existing Parquet file's columns, e.g. the feature bench's output:
/// <c>dotnet run -c Release --project bench/Floe.Benchmarks -- zstd-compare --input FILE [--rows N] [--levels 1,2,3] [--reps N]</c>.
/// One thread; CPU time of the compress calls only. <c>--params 2,2:minMatch=8,1:hashLog=16</c> instead compares
/// ZstdSharp settings (a level, then any of windowLog, hashLog, chainLog, searchLog, minMatch, strategy) column by
/// column: CPU milliseconds of this thread and bytes of each column's pages under each setting.
/// </summary>
internal static partial class ZstdCompareBench
{
    [LibraryImport("libzstd.so.1")]
    private static partial nint ZSTD_createCCtx();

    [LibraryImport("libzstd.so.1")]
    private static partial nuint ZSTD_freeCCtx(nint cctx);

    [LibraryImport("libzstd.so.1")]
    private static unsafe partial nuint ZSTD_compressCCtx(nint cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int level);

    [LibraryImport("libzstd.so.1")]
    private static partial nuint ZSTD_compressBound(nuint srcSize);

    [LibraryImport("libzstd.so.1")]
    private static partial uint ZSTD_isError(nuint code);

    public static unsafe int Run(string[] args)
    {
        string? input = null;
        int rows = 1_000_000, reps = 3;
        bool spread = false;
        int[] levels = [1, 2, 3];
        string[]? settings = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--input": input = args[++i]; break;
                case "--rows": rows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--spread": spread = true; break;
                case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--params": settings = args[++i].Split(','); break;
                case "--levels": levels = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        if (input is null) { Console.Error.WriteLine("--input FILE is required"); return 2; }
        var pages = new List<byte[]>();
        var columnOf = new List<int>();
        var names = new List<string>();
        using (var reader = ParquetDataReader.Open(new Floe.Core.Io.LocalFileIO(), input))
        {
            long loaded = 0;
            // --spread: row groups evenly from the whole file (its first days are unlike the rest), else the first ones.
            long fileRows = 0;
            for (int g = 0; g < reader.RowGroupCount; g++) { fileRows += reader.RowGroupRows(g); }
            int stride = spread ? (int)Math.Max(1, fileRows / Math.Max(1, rows)) : 1;
            for (int g = 0; g < reader.RowGroupCount && loaded < rows; g += stride)
            {
                var batch = reader.ReadRowGroup(g).Batch;
                if (names.Count == 0) { foreach (var f in batch.Schema.FieldsList) { names.Add(f.Name); } }
                loaded += batch.Length;
                for (int c = 0; c < batch.ColumnCount; c++)
                {
                    var values = ((Apache.Arrow.Array)batch.Column(c)).Data.Buffers[1].Span;
                    for (int p = 0; p < values.Length; p += 1 << 20) { pages.Add(values.Slice(p, Math.Min(1 << 20, values.Length - p)).ToArray()); columnOf.Add(c); }
                }
            }
        }
        long total = pages.Sum(p => (long)p.Length);
        Console.WriteLine($"{pages.Count} PLAIN pages, {total / 1e6:F1} MB (libzstd {NativeVersion()})");
        var output = new byte[(int)ZSTD_compressBound(1 << 20) + 1024];
        if (settings is not null) { return CompareSettings(settings, pages, columnOf, names, output, reps); }
        foreach (int level in levels)
        {
            double managed = double.MaxValue, native = double.MaxValue;
            long managedBytes = 0, nativeBytes = 0;
            for (int r = 0; r < reps; r++)
            {
                using var compressor = new ZstdSharp.Compressor(level);
                var t = Stopwatch.StartNew();
                long bytes = 0;
                foreach (var page in pages) { bytes += compressor.Wrap(page, output); }
                managed = Math.Min(managed, t.Elapsed.TotalSeconds);
                managedBytes = bytes;

                nint cctx = ZSTD_createCCtx();
                t.Restart();
                bytes = 0;
                fixed (byte* dst = output)
                {
                    foreach (var page in pages)
                    {
                        fixed (byte* src = page)
                        {
                            nuint n = ZSTD_compressCCtx(cctx, dst, (nuint)output.Length, src, (nuint)page.Length, level);
                            if (ZSTD_isError(n) != 0) { throw new InvalidOperationException("ZSTD_compressCCtx failed"); }
                            bytes += (long)n;
                        }
                    }
                }
                native = Math.Min(native, t.Elapsed.TotalSeconds);
                nativeBytes = bytes;
                ZSTD_freeCCtx(cctx);
            }
            Console.WriteLine($"level {level}: ZstdSharp {managed * 1000,7:F1} ms ({total / managed / 1e6,6:F0} MB/s) -> {managedBytes / 1e6:F1} MB | native {native * 1000,7:F1} ms ({total / native / 1e6,6:F0} MB/s) -> {nativeBytes / 1e6:F1} MB | ZstdSharp/native {managed / native:F2}x");
        }
        return 0;
    }

    private static byte[] DeltaEncode(byte[] page)
    {
        var buffer = new Floe.Parquet.Writing.GrowableBuffer(page.Length + 1024);
        Floe.Parquet.Encodings.DeltaBinaryPacked.Encode(MemoryMarshal.Cast<byte, long>(page.AsSpan()), buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] SplitStreams(byte[] page)
    {
        var split = new byte[page.Length];
        int n = page.Length / 8;
        for (int i = 0; i < n; i++) { for (int b = 0; b < 8; b++) { split[b * n + i] = page[i * 8 + b]; } }
        return split;
    }

    /// <summary>This thread's CPU milliseconds: steadier than wall time on a shared machine.</summary>
    private static double ThreadCpuMs() => (double)Floe.Features.Diagnostics.ThreadClock.Ticks / TimeSpan.TicksPerMillisecond;

    private static int CompareSettings(string[] settings, List<byte[]> pages, List<int> columnOf, List<string> names, byte[] output, int reps)
    {
        Console.WriteLine($"{"column",-12}" + string.Concat(settings.Select(s => $" | {s,26}")));
        var cells = new string[names.Count, settings.Length];
        var totalMs = new double[settings.Length];
        var totalBytes = new long[settings.Length];
        using (var warm = new ZstdSharp.Compressor(2))
        {
            // Tier the compressor up before anything is timed.
            for (int r = 0; r < 3; r++) { foreach (var page in pages) { warm.Wrap(page, output); } }
        }
        for (int v = 0; v < settings.Length; v++)
        {
            // A leading 'b' (b2, b1:hashLog=16) compresses the pages BYTE_STREAM_SPLIT (8-byte values) instead of PLAIN;
            // a leading 'n' (n2, bn2:hashLog=16) uses the system's libzstd (ZSTD_compress2) instead of ZstdSharp.
            var spec = settings[v];
            // A leading 'd' delta-encodes (DELTA_BINARY_PACKED, 8-byte integers) instead: what the writer compresses
            // for integer columns; float columns are then skipped.
            bool split = false, native = false, delta = false;
            while (spec.Length > 0 && (spec[0] == 'b' || spec[0] == 'n' || spec[0] == 'd'))
            {
                if (spec[0] == 'b') { split = true; } else if (spec[0] == 'd') { delta = true; } else { native = true; }
                spec = spec[1..];
            }
            var parts = spec.Split(':');
            var source = split ? pages.Select(SplitStreams).ToList() : delta ? pages.Select(DeltaEncode).ToList() : pages;
            int level = int.Parse(parts[0], CultureInfo.InvariantCulture);
            using var compressor = new ZstdSharp.Compressor(level);
            nint cctx = native ? ZSTD_createCCtx() : 0;
            if (native) { Check(ZSTD_CCtx_setParameter(cctx, 100, level)); }
            foreach (var part in parts.Skip(1))
            {
                var kv = part.Split('=');
                var parameter = kv[0] switch
                {
                    "windowLog" => ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_windowLog,
                    "hashLog" => ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_hashLog,
                    "chainLog" => ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_chainLog,
                    "searchLog" => ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_searchLog,
                    "minMatch" => ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_minMatch,
                    "targetLength" => ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_targetLength,
                    "strategy" => ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_strategy,
                    // ZSTD_c_literalCompressionMode (experimental): 1 = always try Huffman literals, 2 = never.
                    "lit" => ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_experimentalParam5,
                    _ => throw new ArgumentException($"zstd parameter '{kv[0]}'"),
                };
                int value = int.Parse(kv[1], CultureInfo.InvariantCulture);
                if (native) { Check(ZSTD_CCtx_setParameter(cctx, (int)parameter, value)); }
                else { compressor.SetParameter(parameter, value); }
            }
            Func<byte[], long> compress = native ? page => CompressNative(cctx, page, output) : page => compressor.Wrap(page, output);
            for (int c = 0; c < names.Count; c++)
            {
                double best = double.MaxValue;
                long bytes = 0;
                for (int r = 0; r < reps; r++)
                {
                    var t = ThreadCpuMs();
                    bytes = 0;
                    for (int p = 0; p < pages.Count; p++) { if (columnOf[p] == c) { bytes += compress(source[p]); } }
                    best = Math.Min(best, ThreadCpuMs() - t);
                }
                cells[c, v] = $"{best,7:F1} ms {bytes / 1e6,8:F2} MB";
                totalMs[v] += best;
                totalBytes[v] += bytes;
            }
            if (native) { ZSTD_freeCCtx(cctx); }
        }
        for (int c = 0; c < names.Count; c++)
        {
            Console.Write($"{names[c],-12}");
            for (int v = 0; v < settings.Length; v++) { Console.Write($" | {cells[c, v],26}"); }
            Console.WriteLine();
        }
        Console.WriteLine($"{"all",-12}" + string.Concat(Enumerable.Range(0, settings.Length).Select(v => $" | {totalMs[v],7:F1} ms {totalBytes[v] / 1e6,8:F2} MB")));
        return 0;
    }

    [LibraryImport("libzstd.so.1")]
    private static partial uint ZSTD_versionNumber();

    [LibraryImport("libzstd.so.1")]
    private static partial nuint ZSTD_CCtx_setParameter(nint cctx, int parameter, int value);

    [LibraryImport("libzstd.so.1")]
    private static unsafe partial nuint ZSTD_compress2(nint cctx, byte* dst, nuint dstCapacity, byte* src, nuint srcSize);

    private static nuint Check(nuint code) => ZSTD_isError(code) != 0 ? throw new InvalidOperationException("libzstd refused a parameter or failed") : code;

    private static unsafe long CompressNative(nint cctx, byte[] page, byte[] output)
    {
        fixed (byte* src = page)
        fixed (byte* dst = output)
        {
            return (long)Check(ZSTD_compress2(cctx, dst, (nuint)output.Length, src, (nuint)page.Length));
        }
    }

    private static string NativeVersion()
    {
        uint v = ZSTD_versionNumber();
        return $"{v / 10000}.{v / 100 % 100}.{v % 100}";
    }
}
