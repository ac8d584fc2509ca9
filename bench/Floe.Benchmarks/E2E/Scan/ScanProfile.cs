using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Floe.Parquet.Reading;
using Floe.Benchmarks.E2E.Ingest;
using Parquet.Meta;

namespace Floe.Benchmarks.E2E.Scan;

/// <summary>
/// <c>scan-profile --dir DIR [--column amount] [--repeat R]</c> (issue #14): a stopwatch breakdown of reading one
/// column from every Parquet file under DIR (e.g. the table <c>scan-filter</c> wrote): footer open, chunk read,
/// page decompression with ZstdSharp and with the native libzstd (P/Invoke into libzstd.so.1, same pages), and the
/// whole flat decode (decompression included). Best of R per stage; checks both decompressors produce the same bytes.
/// </summary>
internal static class ScanProfile
{
    public static int Run(string[] args)
    {
        var a = new BenchArgs(args);
        var dir = Path.GetFullPath(a.Get("dir", "."));
        var columnName = a.Get("column", "amount");
        var repeat = (int)a.GetLong("repeat", 5);
        var files = Directory.EnumerateFiles(dir, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var chunks = new List<(FileSchemaNode Leaf, ColumnMetaData Meta, byte[] Chunk, int Rows)>();
        var open = Best(repeat, () =>
        {
            foreach (var file in files)
            {
                using var stream = File.OpenRead(file);
                var reader = global::Parquet.ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            }
        });
        var read = Best(repeat, () =>
        {
            chunks.Clear();
            foreach (var file in files)
            {
                using var stream = File.OpenRead(file);
                var reader = global::Parquet.ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
                var metadata = reader.Metadata!;
                FileSchemaNode.Build(metadata.Schema, out var leaves);
                var leaf = leaves.First(l => l.Name == columnName);
                foreach (var group in metadata.RowGroups)
                {
                    var meta = group.Columns[leaf.LeafIndex].MetaData!;
                    byte[]? buffer = null;
                    FlatColumnReader.ReadChunk(stream, meta, ref buffer, out var length);
                    chunks.Add((leaf, meta, buffer.AsSpan(0, length).ToArray(), checked((int)group.NumRows)));
                }
            }
        });
        var pages = new List<(byte[] Chunk, int Offset, int Length, int Uncompressed)>();
        foreach (var (_, _, chunk, _) in chunks)
        {
            var position = 0;
            while (position < chunk.Length)
            {
                var header = FallbackChunkReader.PageHeaderInfo.Parse(chunk.AsSpan(position), out var headerLength);
                position += headerLength;
                pages.Add((chunk, position, header.CompressedSize, header.UncompressedSize));
                position += header.CompressedSize;
            }
        }
        var output = new byte[pages.Max(p => p.Uncompressed)];
        long compressed = 0, uncompressed = 0;
        foreach (var p in pages)
        {
            compressed += p.Length;
            uncompressed += p.Uncompressed;
        }
        var managed = Best(repeat, () =>
        {
            using var zstd = new ZstdSharp.Decompressor();
            foreach (var p in pages) zstd.Unwrap(p.Chunk.AsSpan(p.Offset, p.Length), output);
        });
        var native = Best(repeat, () =>
        {
            var context = NativeZstd.ZSTD_createDCtx();
            try
            {
                foreach (var p in pages)
                {
                    var written = NativeZstd.ZSTD_decompressDCtx(context, ref output[0], (nuint)output.Length, ref p.Chunk[p.Offset], (nuint)p.Length);
                    if (written != (nuint)p.Uncompressed) throw new InvalidOperationException($"libzstd returned {written} for a page of {p.Uncompressed}");
                }
            }
            finally
            {
                NativeZstd.ZSTD_freeDCtx(context);
            }
        });
        CheckSame(pages);
        var optional = chunks[0].Leaf.DefinitionLevel > 0;
        var indices = new int[chunks.Max(c => c.Rows)];
        var unpack = Best(repeat, () =>
        {
            using var zstd = new ZstdSharp.Decompressor();
            foreach (var c in chunks)
            {
                var position = 0;
                while (position < c.Chunk.Length)
                {
                    var header = FallbackChunkReader.PageHeaderInfo.Parse(c.Chunk.AsSpan(position), out var headerLength);
                    position += headerLength;
                    var written = zstd.Unwrap(c.Chunk.AsSpan(position, header.CompressedSize), output);
                    position += header.CompressedSize;
                    if (header.Type != PageType.DATA_PAGE || header.Encoding == Encoding.PLAIN) continue;
                    var data = output.AsSpan(0, written);
                    var nonNull = header.NumValues;
                    if (optional)
                    {
                        var levels = BitConverter.ToInt32(data);
                        RleHybrid.Decode(data.Slice(4, levels), 1, indices.AsSpan(0, header.NumValues));
                        nonNull = header.NumValues - indices.AsSpan(0, header.NumValues).Count(0);
                        data = data[(4 + levels)..];
                    }
                    RleHybrid.Decode(data[1..], data[0], indices.AsSpan(0, nonNull));
                }
            }
        });
        var target = Floe.Core.Types.PrimitiveType.Double;
        var decode = Best(repeat, () =>
        {
            foreach (var c in chunks)
            {
                if (FlatColumnReader.TryRead(c.Chunk, c.Leaf, c.Meta, c.Leaf.Element.Type == global::Parquet.Meta.Type.DOUBLE ? target : Floe.Core.Types.PrimitiveType.Long, c.Rows) is null)
                {
                    throw new InvalidOperationException("column not flat-readable");
                }
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{files.Length} files, {chunks.Count} chunks of '{columnName}', {pages.Count} pages, {compressed / 1048576.0:F1} MiB compressed -> {uncompressed / 1048576.0:F1} MiB; best of {repeat}"));
        Console.WriteLine("| stage | s |");
        Console.WriteLine("|---|---|");
        Line("open footers (Parquet.Net)", open);
        Line("open + read chunk bytes", read);
        Line("decompress, ZstdSharp", managed);
        Line("decompress, native libzstd", native);
        Line("decompress + unpack dictionary indices (RLE/bit-packed)", unpack);
        Line("flat decode (ZstdSharp decompression included)", decode);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ZstdSharp {uncompressed / managed / 1e9:F2} GB/s, libzstd {uncompressed / native / 1e9:F2} GB/s (output); native/managed time {native / managed:F2}"));
        return 0;
    }

    private static void CheckSame(List<(byte[] Chunk, int Offset, int Length, int Uncompressed)> pages)
    {
        using var zstd = new ZstdSharp.Decompressor();
        var context = NativeZstd.ZSTD_createDCtx();
        try
        {
            foreach (var p in pages)
            {
                var a = new byte[p.Uncompressed];
                var b = new byte[p.Uncompressed];
                zstd.Unwrap(p.Chunk.AsSpan(p.Offset, p.Length), a);
                NativeZstd.ZSTD_decompressDCtx(context, ref b[0], (nuint)b.Length, ref p.Chunk[p.Offset], (nuint)p.Length);
                if (!a.AsSpan().SequenceEqual(b)) throw new InvalidOperationException("ZstdSharp and libzstd disagree");
            }
        }
        finally
        {
            NativeZstd.ZSTD_freeDCtx(context);
        }
    }

    private static void Line(string stage, double seconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {stage} | {seconds:F4} |"));

    private static double Best(int repeat, Action action)
    {
        var best = double.MaxValue;
        for (var i = 0; i < repeat; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static class NativeZstd
    {
        [DllImport("libzstd.so.1")]
        public static extern IntPtr ZSTD_createDCtx();

        [DllImport("libzstd.so.1")]
        public static extern nuint ZSTD_freeDCtx(IntPtr context);

        [DllImport("libzstd.so.1")]
        public static extern nuint ZSTD_decompressDCtx(IntPtr context, ref byte destination, nuint capacity, ref byte source, nuint size);
    }
}
