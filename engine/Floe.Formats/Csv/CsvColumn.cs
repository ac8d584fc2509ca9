using Apache.Arrow;
using Apache.Arrow.Types;
using Floe.Core.Errors;
using Floe.Core.Text;
using Floe.Core.Types;

namespace Floe.Formats.Csv;

/// <summary>
/// Converts one CSV column's UTF-8 cells to an Arrow array of the Iceberg column's type, a run of rows at a time
/// into arrays sized up front (no per-cell builder calls). Stateless, so one instance serves every parallel chunk.
/// An empty cell is null; an empty cell in a required column, or a cell that does not parse, throws with the
/// file, line, column and the offending text.
/// </summary>
internal abstract class CsvColumn
{
    protected CsvColumn(NestedField field, int ordinal)
    {
        Field = field;
        Ordinal = ordinal;
    }

    public NestedField Field { get; }

    /// <summary>The column's field position in the CSV rows.</summary>
    public int Ordinal { get; }

    public static CsvColumn For(NestedField field, int ordinal, string file)
    {
        if (field.Type is not PrimitiveType type)
        {
            throw Errors.Unsupported($"{file}: column '{field.Name}' has nested type {field.Type}; CSV ingest supports primitive columns only");
        }
        return type.Id switch
        {
            TypeId.Boolean => new BooleanColumn(field, ordinal),
            TypeId.Int => new FixedWidthColumn<int, IntParser>(field, ordinal, Int32Type.Default, "int"),
            TypeId.Date => new FixedWidthColumn<int, DateParser>(field, ordinal, Date32Type.Default, "date (yyyy-MM-dd)"),
            TypeId.Long => new FixedWidthColumn<long, LongParser>(field, ordinal, Int64Type.Default, "long"),
            TypeId.Time => new FixedWidthColumn<long, TimeParser>(field, ordinal, new Time64Type(TimeUnit.Microsecond), "time (HH:mm:ss)"),
            TypeId.Timestamp => new FixedWidthColumn<long, TimestampParser>(field, ordinal, new TimestampType(TimeUnit.Microsecond, (string?)null), "timestamp (ISO-8601)"),
            TypeId.TimestampTz => new FixedWidthColumn<long, TimestampParser>(field, ordinal, new TimestampType(TimeUnit.Microsecond, "UTC"), "timestamptz (ISO-8601)"),
            TypeId.TimestampNs => new FixedWidthColumn<long, TimestampNanosParser>(field, ordinal, new TimestampType(TimeUnit.Nanosecond, (string?)null), "timestamp_ns (ISO-8601, up to nine fraction digits, years 1677-2262)"),
            TypeId.TimestampTzNs => new FixedWidthColumn<long, TimestampNanosParser>(field, ordinal, new TimestampType(TimeUnit.Nanosecond, "UTC"), "timestamptz_ns (ISO-8601, up to nine fraction digits, years 1677-2262)"),
            TypeId.Float => new FloatColumn(field, ordinal),
            TypeId.Double => new FixedWidthColumn<double, DoubleParser>(field, ordinal, DoubleType.Default, "double"),
            TypeId.Decimal => new DecimalColumn(field, ordinal, type),
            TypeId.String => new StringColumn(field, ordinal),
            TypeId.Uuid => new UuidColumn(field, ordinal),
            TypeId.Binary => new BinaryColumn(field, ordinal),
            _ => throw Errors.Unsupported($"{file}: column '{field.Name}' of type {type} cannot be read from CSV"),
        };
    }

    /// <summary>A column the file lacks, filled with <paramref name="field"/>'s write-default (checked here, once).</summary>
    public static CsvColumn WriteDefault(NestedField field)
    {
        Floe.Parquet.Reading.DefaultArrays.WriteDefault(field, 0);
        return new WriteDefaultColumn(field);
    }

    /// <summary>Parses rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of <paramref name="cells"/>.</summary>
    public abstract IArrowArray Parse(in CsvCells cells, int first, int count);

    protected FloeException Invalid(in CsvCells cells, int row, string expected) =>
        Errors.InvalidData(cells.File,
            $"line {cells.LineOf(row)}, column '{Field.Name}': '{System.Text.Encoding.UTF8.GetString(cells.Cell(row, Ordinal))}' is not a valid {expected}");

    // Names the place and the byte offset, never the bytes themselves (they would not print, and may be anything).
    protected FloeException InvalidUtf8(in CsvCells cells, int row, ReadOnlySpan<byte> cell)
    {
        var offset = 0;
        while (offset < cell.Length && System.Text.Rune.DecodeFromUtf8(cell[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }
        return Errors.InvalidData(cells.File, $"line {cells.LineOf(row)}, column '{Field.Name}': value is not valid UTF-8 (byte {offset + 1} of the value)");
    }

    protected FloeException RequiredButEmpty(in CsvCells cells, int row) =>
        Errors.InvalidData(cells.File, $"line {cells.LineOf(row)}, column '{Field.Name}': value is required but empty");

    /// <summary>
    /// An empty cell at row <paramref name="i"/> of the run (<paramref name="row"/> of the chunk): marks it null in
    /// <paramref name="validity"/> (all set to valid up front) and counts it, or throws in a required column.
    /// </summary>
    protected void MarkNull(in CsvCells cells, int row, byte[] validity, int i, ref int nulls)
    {
        if (Field.Required) throw RequiredButEmpty(cells, row);
        validity[i >> 3] &= (byte)~(1 << (i & 7));
        nulls++;
    }

    protected static byte[] AllValid(int count)
    {
        var bitmap = new byte[(count + 7) >> 3];
        bitmap.AsSpan().Fill(0xFF);
        return bitmap;
    }

    protected static ArrowBuffer Validity(byte[] bitmap, int nulls) => nulls == 0 ? ArrowBuffer.Empty : new ArrowBuffer(bitmap);

    /// <summary>
    /// A value parser as a struct, so the column loops are specialised per type (no delegate call per cell); what a
    /// cell should have been is the column's, as one parser serves several types (timestamp and timestamptz).
    /// </summary>
    internal interface IValueParser<T>
    {
        static abstract bool TryParse(ReadOnlySpan<byte> text, out T value);
    }

    internal readonly struct IntParser : IValueParser<int>
    {
        public static bool TryParse(ReadOnlySpan<byte> text, out int value) => Utf8Values.TryParseInt(text, out value);
    }

    internal readonly struct DateParser : IValueParser<int>
    {
        public static bool TryParse(ReadOnlySpan<byte> text, out int value) => Utf8Values.TryParseDate(text, out value);
    }

    internal readonly struct LongParser : IValueParser<long>
    {
        public static bool TryParse(ReadOnlySpan<byte> text, out long value) => Utf8Values.TryParseLong(text, out value);
    }

    internal readonly struct TimeParser : IValueParser<long>
    {
        public static bool TryParse(ReadOnlySpan<byte> text, out long value) => Utf8Values.TryParseTime(text, out value);
    }

    internal readonly struct TimestampParser : IValueParser<long>
    {
        public static bool TryParse(ReadOnlySpan<byte> text, out long value) => Utf8Values.TryParseTimestamp(text, out value);
    }

    internal readonly struct TimestampNanosParser : IValueParser<long>
    {
        public static bool TryParse(ReadOnlySpan<byte> text, out long value) => Utf8Values.TryParseTimestampNanos(text, out value);
    }

    internal readonly struct DoubleParser : IValueParser<double>
    {
        public static bool TryParse(ReadOnlySpan<byte> text, out double value) => FastDouble.TryParse(text, out value);
    }

    private sealed class WriteDefaultColumn(NestedField field) : CsvColumn(field, -1)
    {
        public override IArrowArray Parse(in CsvCells cells, int first, int count) => Floe.Parquet.Reading.DefaultArrays.WriteDefault(Field, count);
    }

    /// <summary>A column of fixed-width values parsed straight into the Arrow value buffer.</summary>
    private sealed class FixedWidthColumn<T, TParser>(NestedField field, int ordinal, IArrowType type, string expected) : CsvColumn(field, ordinal)
        where T : unmanaged
        where TParser : struct, IValueParser<T>
    {
        public override IArrowArray Parse(in CsvCells cells, int first, int count)
        {
            var bytes = new byte[count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes.AsSpan());
            var validity = AllValid(count);
            var nulls = 0;
            for (var i = 0; i < count; i++)
            {
                var cell = cells.Cell(first + i, Ordinal);
                if (cell.IsEmpty)
                {
                    MarkNull(cells, first + i, validity, i, ref nulls);
                }
                else if (!TParser.TryParse(cell, out values[i]))
                {
                    throw Invalid(cells, first + i, expected);
                }
            }
            return ArrowArrayFactory.BuildArray(new ArrayData(type, count, nulls, 0, new[] { Validity(validity, nulls), new ArrowBuffer(bytes) }));
        }
    }

    private sealed class StringColumn(NestedField field, int ordinal) : CsvColumn(field, ordinal)
    {
        public override IArrowArray Parse(in CsvCells cells, int first, int count)
        {
            long total = 0;
            for (var i = 0; i < count; i++) total += cells.Lengths[(first + i) * cells.Fields + Ordinal];
            var data = new byte[total];
            var offsetBytes = new byte[(count + 1) * sizeof(int)];
            var offsets = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(offsetBytes.AsSpan());
            var validity = AllValid(count);
            var nulls = 0;
            var position = 0;
            for (var i = 0; i < count; i++)
            {
                var cell = cells.Cell(first + i, Ordinal);
                if (cell.IsEmpty)
                {
                    MarkNull(cells, first + i, validity, i, ref nulls);
                }
                else if (!System.Text.Unicode.Utf8.IsValid(cell))
                {
                    throw InvalidUtf8(cells, first + i, cell);
                }
                cell.CopyTo(data.AsSpan(position));
                position += cell.Length;
                offsets[i + 1] = position;
            }
            return new StringArray(new ArrayData(StringType.Default, count, nulls, 0,
                new[] { Validity(validity, nulls), new ArrowBuffer(offsetBytes), new ArrowBuffer(data) }));
        }
    }

    /// <summary>Columns of rarer types: per-cell conversion through Arrow builders.</summary>
    private abstract class BuilderColumn(NestedField field, int ordinal) : CsvColumn(field, ordinal)
    {
        public override IArrowArray Parse(in CsvCells cells, int first, int count)
        {
            Begin(count);
            for (var i = 0; i < count; i++)
            {
                var cell = cells.Cell(first + i, Ordinal);
                if (cell.IsEmpty)
                {
                    if (Field.Required) throw RequiredButEmpty(cells, first + i);
                    AppendNull();
                }
                else if (TryAppend(cell) is { } expected)
                {
                    throw Invalid(cells, first + i, expected);
                }
            }
            return Build();
        }

        protected abstract void Begin(int count);

        /// <summary>Appends the parsed cell; returns null, or what the cell should have been when it does not parse.</summary>
        protected abstract string? TryAppend(ReadOnlySpan<byte> cell);

        protected abstract void AppendNull();

        protected abstract IArrowArray Build();
    }

    // Builder columns keep a fresh builder per Parse call in a thread-static, so parallel chunks never share one.
    private sealed class FloatColumn(NestedField field, int ordinal) : BuilderColumn(field, ordinal)
    {
        [ThreadStatic] private static FloatArray.Builder? t_builder;


        protected override void Begin(int count) => t_builder = new FloatArray.Builder().Reserve(count);

        protected override string? TryAppend(ReadOnlySpan<byte> cell)
        {
            if (!FastDouble.TryParse(cell, out var v)) return "float";
            var f = (float)v;
            // A finite double beyond float's range would become Infinity: refuse it like an overflowing double.
            if (float.IsInfinity(f) && double.IsFinite(v)) return "float (out of range)";
            t_builder!.Append(f);
            return null;
        }

        protected override void AppendNull() => t_builder!.AppendNull();

        protected override IArrowArray Build() => t_builder!.Build();
    }

    private sealed class BooleanColumn(NestedField field, int ordinal) : BuilderColumn(field, ordinal)
    {
        [ThreadStatic] private static BooleanArray.Builder? t_builder;


        protected override void Begin(int count) => t_builder = new BooleanArray.Builder().Reserve(count);

        protected override string? TryAppend(ReadOnlySpan<byte> cell)
        {
            if (!Utf8Values.TryParseBoolean(cell, out var v)) return "boolean (true/false)";
            t_builder!.Append(v);
            return null;
        }

        protected override void AppendNull() => t_builder!.AppendNull();

        protected override IArrowArray Build() => t_builder!.Build();
    }

    private sealed class DecimalColumn(NestedField field, int ordinal, PrimitiveType type) : BuilderColumn(field, ordinal)
    {
        [ThreadStatic] private static Decimal128Array.Builder? t_builder;


        protected override void Begin(int count) => t_builder = new Decimal128Array.Builder(new Decimal128Type(type.Precision, type.Scale)).Reserve(count);

        // Values at or above 10^(precision - scale) have too many integer digits; above 28 digits no .NET decimal does.
        private readonly decimal _limit = type.Precision - type.Scale >= 29 ? decimal.MaxValue : Pow10(type.Precision - type.Scale);

        protected override string? TryAppend(ReadOnlySpan<byte> cell)
        {
            if (!Utf8Values.TryParseDecimal(cell, out var v)) return $"decimal({type.Precision},{type.Scale})";
            // Rounding to the column's scale also drops trailing zeros beyond it (1.5000000 in a scale-2 column).
            var rounded = decimal.Round(v, type.Scale);
            if (rounded != v) return $"decimal({type.Precision},{type.Scale}) (too many fractional digits)";
            if (_limit != decimal.MaxValue && Math.Abs(rounded) >= _limit) return $"decimal({type.Precision},{type.Scale}) (more than {type.Precision - type.Scale} integer digits)";
            t_builder!.Append(rounded);
            return null;
        }

        private static decimal Pow10(int exponent)
        {
            var result = 1m;
            for (var i = 0; i < exponent; i++) result *= 10;
            return result;
        }

        protected override void AppendNull() => t_builder!.AppendNull();

        protected override IArrowArray Build() => t_builder!.Build();
    }

    private sealed class BinaryColumn(NestedField field, int ordinal) : BuilderColumn(field, ordinal)
    {
        [ThreadStatic] private static BinaryArray.Builder? t_builder;


        protected override void Begin(int count) => t_builder = new BinaryArray.Builder().Reserve(count);

        protected override string? TryAppend(ReadOnlySpan<byte> cell)
        {
            Span<byte> decoded = new byte[cell.Length];
            if (System.Buffers.Text.Base64.DecodeFromUtf8(cell, decoded, out _, out var written) != System.Buffers.OperationStatus.Done) return "binary (base64)";
            t_builder!.Append(decoded[..written]);
            return null;
        }

        protected override void AppendNull() => t_builder!.AppendNull();

        protected override IArrowArray Build() => t_builder!.Build();
    }

    private sealed class UuidColumn(NestedField field, int ordinal) : BuilderColumn(field, ordinal)
    {
        [ThreadStatic] private static ArrowBuffer.Builder<byte>? t_values;
        [ThreadStatic] private static ArrowBuffer.BitmapBuilder? t_validity;


        protected override void Begin(int count)
        {
            t_values = new ArrowBuffer.Builder<byte>(count * 16);
            t_validity = new ArrowBuffer.BitmapBuilder(count);
        }

        protected override string? TryAppend(ReadOnlySpan<byte> cell)
        {
            if (!Guid.TryParse(System.Text.Encoding.ASCII.GetString(cell), out var g)) return "uuid";
            Span<byte> bytes = stackalloc byte[16];
            g.TryWriteBytes(bytes, bigEndian: true, out _);
            t_values!.Append(bytes);
            t_validity!.Append(true);
            return null;
        }

        protected override void AppendNull()
        {
            t_values!.Append(stackalloc byte[16]);
            t_validity!.Append(false);
        }

        protected override IArrowArray Build() => ArrowArrayFactory.BuildArray(new ArrayData(new FixedSizeBinaryType(16), t_validity!.Length, t_validity.UnsetBitCount, 0,
            new[] { t_validity.UnsetBitCount == 0 ? ArrowBuffer.Empty : t_validity.Build(), t_values!.Build() }));
    }
}
