using Floe.Core.Errors;
using Floe.Core.Io;
using Floe.Parquet;
using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>
/// A row group's column chunks go into the file from the column threads as they come ready (in schema order): a write
/// that fails there still reaches the caller as an Io error naming the file, nothing is written after it, and the
/// writer can be disposed (deleting the partial file it created).
/// </summary>
public sealed partial class ParquetDataWriterTests
{
    [TestCase(1)]
    [TestCase(0)]
    public void Write_StreamFailsInARowGroup_ThrowsIoNamingTheFileAndWritesNothingAfter(int maxParallelism)
    {
        var stream = new FailingFile(new MemoryStream(), failAfterBytes: 200_000);
        var writer = new ParquetDataWriter(stream, "mem://failing.parquet", DirectSchema, "{}",
            new ParquetWriterOptions { RowGroupRows = 40_000, PageBytes = 64 << 10, DictionaryPageBytes = 0, MaxParallelism = maxParallelism });
        var error = Assert.Throws<FloeException>(() =>
        {
            for (var b = 0; b < 4; b++)
            {
                using var batch = DirectBatch(b * 30_000, 30_000);
                writer.Write(batch);
            }
            writer.Close();
        });
        Assert.Multiple(() =>
        {
            Assert.That(error!.Code, Is.EqualTo(FloeErrorCode.Io));
            Assert.That(error.Message, Does.Contain("mem://failing.parquet").And.Contain("no space left"));
            Assert.That(error.InnerException, Is.InstanceOf<IOException>());
            Assert.That(stream.WritesAfterFailure, Is.Zero);
        });
        writer.Dispose();
        Assert.That(stream.Disposed, Is.True);
    }

    [Test]
    public void Dispose_AfterAFailedRowGroup_DeletesThePartialFile()
    {
        var path = Path.Combine(_dir, "partial.parquet");
        var io = new FailingFileIO(failAfterBytes: 200_000);
        var writer = new ParquetDataWriter(io, path, DirectSchema, "{}",
            new ParquetWriterOptions { RowGroupRows = 40_000, PageBytes = 64 << 10, DictionaryPageBytes = 0 });
        using (var batch = DirectBatch(0, 30_000)) writer.Write(batch);
        Assert.That(File.Exists(path), Is.True);
        using (var batch = DirectBatch(30_000, 30_000))
        {
            var error = Assert.Throws<FloeException>(() => writer.Write(batch));
            Assert.That(error!.Message, Does.Contain(path));
        }
        writer.Dispose();
        Assert.That(File.Exists(path), Is.False);
    }

    /// <summary>Local files whose writes fail past a size (through <see cref="FailingFile"/>).</summary>
    private sealed class FailingFileIO(long failAfterBytes) : IFileIO
    {
        private readonly LocalFileIO _local = new();

        public Stream Create(string location) => new FailingFile(_local.Create(location), failAfterBytes);

        public Stream OpenRead(string location) => _local.OpenRead(location);

        public void WriteAtomic(string location, ReadOnlySpan<byte> content) => _local.WriteAtomic(location, content);

        public bool Exists(string location) => _local.Exists(location);

        public long GetLength(string location) => _local.GetLength(location);

        public void Delete(string location) => _local.Delete(location);

        public IEnumerable<(string Location, DateTimeOffset LastModified)> List(string prefix) => _local.List(prefix);
    }

    /// <summary>A stream that throws, as a full disk would, once a write would take it past a size; counts the writes tried after that.</summary>
    private sealed class FailingFile(Stream inner, long failAfterBytes) : Stream
    {
        private long _written;
        private bool _failed;

        public int WritesAfterFailure { get; private set; }

        public bool Disposed { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_failed) WritesAfterFailure++;
            if (_failed || _written + buffer.Length > failAfterBytes)
            {
                _failed = true;
                throw new IOException("no space left on device");
            }
            inner.Write(buffer);
            _written += buffer.Length;
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
