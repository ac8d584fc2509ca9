using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Errors;
using Floe.Core.Text;
using Floe.Core.Types;
using Floe.Iceberg.Spec;

namespace Floe.Benchmarks.Formats.Csv;

/// <summary>
/// The per-cell builder columns of <see cref="PreviousCsvBatchReader"/> (benchmark baseline).
/// Converts one CSV column's UTF-8 cells to an Arrow array of the Iceberg column's type. A cell that does not
/// parse throws with the file, line, column and the offending text.
/// </summary>
internal abstract class PreviousCsvColumn
{
    protected PreviousCsvColumn(NestedField field, string file)
    {
        Field = field;
        File = file;
    }

    public NestedField Field { get; }

    protected string File { get; }

    public static PreviousCsvColumn For(NestedField field, string file)
    {
        if (field.Type is not PrimitiveType type)
        {
            throw Errors.Unsupported($"{file}: column '{field.Name}' has nested type {field.Type}; CSV ingest supports primitive columns only");
        }
        return type.Id switch
        {
            TypeId.Boolean => new BooleanColumn(field, file),
            TypeId.Int => new Int32Column(field, file, static (ReadOnlySpan<byte> s, out int v) => Utf8Values.TryParseInt(s, out v), Int32Type.Default, "int"),
            TypeId.Date => new Int32Column(field, file, static (ReadOnlySpan<byte> s, out int v) => Utf8Values.TryParseDate(s, out v), Date32Type.Default, "date (yyyy-MM-dd)"),
            TypeId.Long => new Int64Column(field, file, static (ReadOnlySpan<byte> s, out long v) => Utf8Values.TryParseLong(s, out v), Int64Type.Default, "long"),
            TypeId.Time => new Int64Column(field, file, static (ReadOnlySpan<byte> s, out long v) => Utf8Values.TryParseTime(s, out v), new Time64Type(TimeUnit.Microsecond), "time (HH:mm:ss)"),
            TypeId.Timestamp => new Int64Column(field, file, static (ReadOnlySpan<byte> s, out long v) => Utf8Values.TryParseTimestamp(s, out v), new TimestampType(TimeUnit.Microsecond, (string?)null), "timestamp (ISO-8601)"),
            TypeId.TimestampTz => new Int64Column(field, file, static (ReadOnlySpan<byte> s, out long v) => Utf8Values.TryParseTimestamp(s, out v), new TimestampType(TimeUnit.Microsecond, "UTC"), "timestamptz (ISO-8601)"),
            TypeId.Float => new FloatColumn(field, file),
            TypeId.Double => new DoubleColumn(field, file),
            TypeId.Decimal => new DecimalColumn(field, file, type),
            TypeId.String => new StringColumn(field, file),
            TypeId.Uuid => new UuidColumn(field, file),
            TypeId.Binary => new BinaryColumn(field, file),
            _ => throw Errors.Unsupported($"{file}: column '{field.Name}' of type {type} cannot be read from CSV"),
        };
    }

    public abstract void Append(ReadOnlySpan<byte> cell, long line);

    public abstract void AppendNull();

    public abstract IArrowArray Build();

    protected FloeException Invalid(ReadOnlySpan<byte> cell, long line, string expected) =>
        Errors.InvalidData(File, $"line {line}, column '{Field.Name}': '{System.Text.Encoding.UTF8.GetString(cell)}' is not a valid {expected}");

    internal delegate bool Parser<T>(ReadOnlySpan<byte> text, out T value);

    private sealed class Int32Column(NestedField field, string file, Parser<int> parse, IArrowType type, string expected) : PreviousCsvColumn(field, file)
    {
        private readonly ArrowBuffer.Builder<int> _values = new();
        private readonly ArrowBuffer.BitmapBuilder _validity = new();

        public override void Append(ReadOnlySpan<byte> cell, long line)
        {
            if (!parse(cell, out var v)) throw Invalid(cell, line, expected);
            _values.Append(v);
            _validity.Append(true);
        }

        public override void AppendNull()
        {
            _values.Append(0);
            _validity.Append(false);
        }

        public override IArrowArray Build() => ArrowArrayFactory.BuildArray(new ArrayData(type, _values.Length, _validity.UnsetBitCount, 0,
            new[] { _validity.UnsetBitCount == 0 ? ArrowBuffer.Empty : _validity.Build(), _values.Build() }));
    }

    private sealed class Int64Column(NestedField field, string file, Parser<long> parse, IArrowType type, string expected) : PreviousCsvColumn(field, file)
    {
        private readonly ArrowBuffer.Builder<long> _values = new();
        private readonly ArrowBuffer.BitmapBuilder _validity = new();

        public override void Append(ReadOnlySpan<byte> cell, long line)
        {
            if (!parse(cell, out var v)) throw Invalid(cell, line, expected);
            _values.Append(v);
            _validity.Append(true);
        }

        public override void AppendNull()
        {
            _values.Append(0);
            _validity.Append(false);
        }

        public override IArrowArray Build() => ArrowArrayFactory.BuildArray(new ArrayData(type, _values.Length, _validity.UnsetBitCount, 0,
            new[] { _validity.UnsetBitCount == 0 ? ArrowBuffer.Empty : _validity.Build(), _values.Build() }));
    }

    private sealed class DoubleColumn(NestedField field, string file) : PreviousCsvColumn(field, file)
    {
        private readonly DoubleArray.Builder _builder = new();

        public override void Append(ReadOnlySpan<byte> cell, long line)
        {
            if (!Utf8Values.TryParseDouble(cell, out var v)) throw Invalid(cell, line, "double");
            _builder.Append(v);
        }

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class FloatColumn(NestedField field, string file) : PreviousCsvColumn(field, file)
    {
        private readonly FloatArray.Builder _builder = new();

        public override void Append(ReadOnlySpan<byte> cell, long line)
        {
            if (!Utf8Values.TryParseDouble(cell, out var v)) throw Invalid(cell, line, "float");
            _builder.Append((float)v);
        }

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class BooleanColumn(NestedField field, string file) : PreviousCsvColumn(field, file)
    {
        private readonly BooleanArray.Builder _builder = new();

        public override void Append(ReadOnlySpan<byte> cell, long line)
        {
            if (!Utf8Values.TryParseBoolean(cell, out var v)) throw Invalid(cell, line, "boolean (true/false)");
            _builder.Append(v);
        }

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class DecimalColumn(NestedField field, string file, PrimitiveType type) : PreviousCsvColumn(field, file)
    {
        private readonly Decimal128Array.Builder _builder = new(new Decimal128Type(type.Precision, type.Scale));

        public override void Append(ReadOnlySpan<byte> cell, long line)
        {
            if (!Utf8Values.TryParseDecimal(cell, out var v)) throw Invalid(cell, line, $"decimal({type.Precision},{type.Scale})");
            if (decimal.Round(v, type.Scale) != v) throw Invalid(cell, line, $"decimal({type.Precision},{type.Scale}) (too many fractional digits)");
            _builder.Append(v);
        }

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class StringColumn(NestedField field, string file) : PreviousCsvColumn(field, file)
    {
        private readonly StringArray.Builder _builder = new();

        public override void Append(ReadOnlySpan<byte> cell, long line) => _builder.Append(cell);

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class BinaryColumn(NestedField field, string file) : PreviousCsvColumn(field, file)
    {
        private readonly BinaryArray.Builder _builder = new();

        public override void Append(ReadOnlySpan<byte> cell, long line)
        {
            Span<byte> decoded = new byte[cell.Length];
            if (System.Buffers.Text.Base64.DecodeFromUtf8(cell, decoded, out _, out var written) != System.Buffers.OperationStatus.Done)
            {
                throw Invalid(cell, line, "binary (base64)");
            }
            _builder.Append(decoded[..written]);
        }

        public override void AppendNull() => _builder.AppendNull();

        public override IArrowArray Build() => _builder.Build();
    }

    private sealed class UuidColumn(NestedField field, string file) : PreviousCsvColumn(field, file)
    {
        private readonly ArrowBuffer.Builder<byte> _values = new();
        private readonly ArrowBuffer.BitmapBuilder _validity = new();

        public override void Append(ReadOnlySpan<byte> cell, long line)
        {
            if (!Guid.TryParse(System.Text.Encoding.ASCII.GetString(cell), out var g)) throw Invalid(cell, line, "uuid");
            Span<byte> bytes = stackalloc byte[16];
            g.TryWriteBytes(bytes, bigEndian: true, out _);
            _values.Append(bytes);
            _validity.Append(true);
        }

        public override void AppendNull()
        {
            _values.Append(stackalloc byte[16]);
            _validity.Append(false);
        }

        public override IArrowArray Build() => ArrowArrayFactory.BuildArray(new ArrayData(new FixedSizeBinaryType(16), _validity.Length, _validity.UnsetBitCount, 0,
            new[] { _validity.UnsetBitCount == 0 ? ArrowBuffer.Empty : _validity.Build(), _values.Build() }));
    }
}
