using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Floe.Parquet;

namespace Floe.Benchmarks.Formats.Zstd;

/// <summary>
/// Page compression cost, managed ZstdSharp against the system's native libzstd (libzstd.so.1, through P/Invoke),
/// on the PLAIN pages (1 MiB) of an existing Parquet file's columns, e.g. the feature bench's output:
/// <c>dotnet run -c Release --project bench/Floe.Benchmarks -- zstd-compare --input FILE [--rows N] [--levels 1,2,3] [--reps N]</c>.
/// One thread; CPU time of the compress calls only.
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
        int[] levels = [1, 2, 3];
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--input": input = args[++i]; break;
                case "--rows": rows = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--reps": reps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--levels": levels = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        if (input is null) { Console.Error.WriteLine("--input FILE is required"); return 2; }
        var pages = new List<byte[]>();
        using (var reader = ParquetDataReader.Open(new Floe.Core.Io.LocalFileIO(), input))
        {
            long loaded = 0;
            for (int g = 0; g < reader.RowGroupCount && loaded < rows; g++)
            {
                var batch = reader.ReadRowGroup(g).Batch;
                loaded += batch.Length;
                for (int c = 0; c < batch.ColumnCount; c++)
                {
                    var values = ((Apache.Arrow.Array)batch.Column(c)).Data.Buffers[1].Span;
                    for (int p = 0; p < values.Length; p += 1 << 20) { pages.Add(values.Slice(p, Math.Min(1 << 20, values.Length - p)).ToArray()); }
                }
            }
        }
        long total = pages.Sum(p => (long)p.Length);
        Console.WriteLine($"{pages.Count} PLAIN pages, {total / 1e6:F1} MB (libzstd {NativeVersion()})");
        var output = new byte[(int)ZSTD_compressBound(1 << 20) + 1024];
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

    [LibraryImport("libzstd.so.1")]
    private static partial uint ZSTD_versionNumber();

    private static string NativeVersion()
    {
        uint v = ZSTD_versionNumber();
        return $"{v / 10000}.{v / 100 % 100}.{v % 100}";
    }
}
