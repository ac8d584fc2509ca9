using System.Buffers.Binary;
using System.Text;
using Floe.Core.Types;
using Floe.Core.Errors;
using Floe.Avro;
using NUnit.Framework;

namespace Floe.Avro.Tests;

[TestFixture]
public sealed class AvroContainerTests
{
    private static readonly AvroRecordSchema AllTypes = (AvroRecordSchema)AvroSchemaParser.Parse("""
        {"type":"record","name":"all","fields":[
          {"name":"b","type":"boolean"},{"name":"i","type":"int"},{"name":"l","type":"long"},
          {"name":"f","type":"float"},{"name":"d","type":"double"},{"name":"by","type":"bytes"},
          {"name":"s","type":"string"},{"name":"fx","type":{"type":"fixed","name":"f3","size":3}},
          {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},
          {"name":"o","type":["null","long"],"default":null},
          {"name":"a","type":{"type":"array","items":"int","element-id":5}},
          {"name":"m","type":{"type":"map","values":["null","string"]}},
          {"name":"n","type":{"type":"record","name":"inner","fields":[{"name":"x","type":"int","field-id":9}]}}
        ]}
        """, "all.avsc");

    private static AvroRecord Sample(int k)
    {
        var inner = (AvroRecordSchema)AllTypes.Fields[12].Schema;
        return new AvroRecord(AllTypes, new object?[]
        {
            k % 2 == 0, k - 50, (long)k * 1_000_000_007L, k / 3f, k / 7d, new byte[] { (byte)k, 0, 255 },
            "s" + k + "é😀", new byte[] { 1, 2, (byte)k }, k % 2 == 0 ? "A" : "B", k % 3 == 0 ? null : (object)(long)k,
            new List<object?> { 1, k }, new Dictionary<string, object?> { ["k"] = "v" + k, ["n"] = null },
            new AvroRecord(inner, new object?[] { k }),
        });
    }

    private static byte[] Write(AvroCodec codec, int count, int blockSize = AvroContainerWriter.DefaultBlockSize, IEnumerable<KeyValuePair<string, string>>? meta = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new AvroContainerWriter(stream, AllTypes, codec, meta, blockSize))
        {
            for (var k = 0; k < count; k++) writer.Write(Sample(k));
        }
        return stream.ToArray();
    }

    [TestCase("null")]
    [TestCase("deflate")]
    [TestCase("zstandard")]
    public void ReadAll_WrittenFile_RoundTripsEveryType(string codecName)
    {
        var codec = AvroCodecNames.Parse(codecName, "test");
        var bytes = Write(codec, 300, blockSize: 1000, meta: new[] { new KeyValuePair<string, string>("format-version", "2") });
        var reader = new AvroContainerReader(bytes, "mem.avro");
        Assert.That(reader.Codec, Is.EqualTo(codec));
        Assert.That(reader.GetMetadata("format-version"), Is.EqualTo("2"));
        var records = reader.ReadAll().Cast<AvroRecord>().ToList();
        Assert.That(records, Has.Count.EqualTo(300));
        for (var k = 0; k < records.Count; k++)
        {
            var expected = Sample(k);
            var actual = records[k];
            for (var f = 0; f < 12; f++) Assert.That(actual[f], Is.EqualTo(expected[f]), $"record {k} field {AllTypes.Fields[f].Name}");
            Assert.That(((AvroRecord)actual["n"]!)["x"], Is.EqualTo(k));
        }
    }

    [Test]
    public void Write_SmallBlockSize_WritesManyBlocks()
    {
        var reader = new AvroContainerReader(Write(AvroCodec.Deflate, 100, blockSize: 200), "mem.avro");
        var blocks = 0;
        long datums = 0;
        while (reader.ReadBlock())
        {
            blocks++;
            for (var i = 0; i < reader.BlockCount; i++) AvroGenericReader.Read(reader.Decoder, reader.Schema);
            datums += reader.BlockCount;
            reader.EndBlock();
        }
        Assert.That(blocks, Is.GreaterThan(5));
        Assert.That(datums, Is.EqualTo(100));
    }

    [TestCase("null")]
    [TestCase("deflate")]
    public void ReadAll_TruncatedFile_ThrowsInvalidDataNamingFile(string codecName)
    {
        var codec = AvroCodecNames.Parse(codecName, "test");
        var bytes = Write(codec, 50, blockSize: 500);
        foreach (var cut in new[] { 3, bytes.Length / 3, bytes.Length / 2, bytes.Length - 5 })
        {
            var e = Assert.Throws<FloeException>(() => new AvroContainerReader(bytes[..cut], "cut.avro").ReadAll().ToList(), $"cut at {cut}");
            Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
            Assert.That(e.Message, Does.StartWith("cut.avro:"));
        }
    }

    [Test]
    public void ReadAll_CorruptSyncMarker_NamesBlock()
    {
        var bytes = Write(AvroCodec.Null, 20, blockSize: 100);
        bytes[^1] ^= 0xFF;
        var e = Assert.Throws<FloeException>(() => new AvroContainerReader(bytes, "sync.avro").ReadAll().ToList());
        Assert.That(e!.Message, Does.StartWith("sync.avro:").And.Contain("sync marker").And.Contain("block"));
    }

    [Test]
    public void ReadAll_CorruptDeflateBlock_ThrowsInvalidData()
    {
        var bytes = Write(AvroCodec.Deflate, 20);
        var reader = new AvroContainerReader(bytes, "z.avro");
        // Flip bytes in the middle of the first block's payload.
        var header = bytes.Length - 16 - 200;
        for (var i = 0; i < 40; i++) bytes[header + i] ^= 0x5A;
        var e = Assert.Throws<FloeException>(() => reader.ReadAll().ToList());
        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidData));
        Assert.That(e.Message, Does.StartWith("z.avro:"));
    }

    [Test]
    public void Open_BadMagic_ThrowsInvalidData()
    {
        var e = Assert.Throws<FloeException>(() => new AvroContainerReader(Encoding.UTF8.GetBytes("PAR1...."), "x.parquet"));
        Assert.That(e!.Message, Does.Contain("x.parquet").And.Contain("magic"));
    }

    [Test]
    public void Writer_ReservedMetadataKey_Throws()
    {
        using var stream = new MemoryStream();
        Assert.Throws<FloeException>(() => new AvroContainerWriter(stream, AllTypes, AvroCodec.Null, new[] { new KeyValuePair<string, string>("avro.codec", "x") }));
    }

    [Test]
    public void ReadAll_SnappyBlock_Decompresses()
    {
        // A hand-made snappy container: one block of four longs (1, 2, 1, 2). The snappy payload is a 2-byte
        // literal (zigzag 1, 2) followed by a copy of those 2 bytes (2-byte-offset form, offset 2).
        var schema = AvroPrimitiveSchema.Long;
        var raw = new byte[] { 2, 4, 2, 4 };
        var snappy = new List<byte>
        {
            4,                          // uncompressed length (varint)
            (2 - 1) << 2, 2, 4,         // literal tag (length-1 in the upper 6 bits), then the bytes
            0b10 | ((2 - 1) << 2), 2, 0, // copy: tag with length-1, little-endian 16-bit offset 2
        };
        var payload = snappy.ToArray();
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(raw));
        var e = new AvroEncoder();
        e.WriteFixed(AvroContainerReader.Magic);
        e.WriteBlockStart(2);
        e.WriteString("avro.schema");
        e.WriteBytes(Encoding.UTF8.GetBytes("\"long\""));
        e.WriteString("avro.codec");
        e.WriteBytes(Encoding.UTF8.GetBytes("snappy"));
        e.WriteBlockEnd();
        var sync = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        e.WriteFixed(sync);
        e.WriteLong(4);
        e.WriteLong(payload.Length + 4);
        e.WriteFixed(payload);
        e.WriteFixed(crc);
        e.WriteFixed(sync);
        var values = new AvroContainerReader(e.WrittenSpan.ToArray(), "s.avro").ReadAll().ToList();
        Assert.That(values, Is.EqualTo(new object[] { 1L, 2L, 1L, 2L }));
        Assert.That(schema.Type, Is.EqualTo(AvroType.Long));

        var bad = e.WrittenSpan.ToArray();
        bad[^17] ^= 1; // CRC byte
        var error = Assert.Throws<FloeException>(() => new AvroContainerReader(bad, "s.avro").ReadAll().ToList());
        Assert.That(error!.Message, Does.Contain("CRC"));
    }

    [TestCase(0L)]
    [TestCase(-1L)]
    [TestCase(63L)]
    [TestCase(-64L)]
    [TestCase(64L)]
    [TestCase(long.MaxValue)]
    [TestCase(long.MinValue)]
    [TestCase(int.MaxValue + 1L)]
    public void Varint_EdgeValues_RoundTrip(long value)
    {
        var e = new AvroEncoder(16);
        e.WriteLong(value);
        var d = new AvroDecoder("v");
        var bytes = e.WrittenSpan.ToArray();
        d.Reset(bytes, 0, bytes.Length, "test");
        Assert.That(d.ReadLong(), Is.EqualTo(value));
        Assert.That(d.Remaining, Is.Zero);
    }

    [Test]
    public void ReadInt_OutOfRange_ThrowsInvalidData()
    {
        var e = new AvroEncoder(16);
        e.WriteLong(int.MaxValue + 1L);
        var d = new AvroDecoder("v.avro");
        var bytes = e.WrittenSpan.ToArray();
        d.Reset(bytes, 0, bytes.Length, "block 0");
        var error = Assert.Throws<FloeException>(() => d.ReadInt());
        Assert.That(error!.Message, Does.StartWith("v.avro:").And.Contain("block 0"));
    }
}
