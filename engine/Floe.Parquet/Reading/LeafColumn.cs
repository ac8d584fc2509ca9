using Floe.Core.Errors;
using Floe.Core.Types;
using Parquet;
using Parquet.Meta;
using Parquet.Schema;
using ParquetType = Parquet.Meta.Type;

namespace Floe.Parquet.Reading;

/// <summary>
/// One leaf column chunk of a row group: definition/repetition levels plus the non-null values normalized to the
/// engine's representation of the target Iceberg type (µs timestamps, unscaled decimals, UTF-8 bytes).
/// </summary>
internal sealed partial class LeafColumn
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    public required FileSchemaNode Node { get; init; }

    /// <summary>Definition levels, or null when the leaf's maximum definition level is 0.</summary>
    public int[]? Def { get; init; }

    /// <summary>Repetition levels, or null when the leaf is not repeated.</summary>
    public int[]? Rep { get; init; }

    /// <summary>Number of level entries (equals rows for flat columns).</summary>
    public int LevelCount { get; init; }

    public int MaxDef => Node.DefinitionLevel;

    private int[] DefBuffer { get; init; } = System.Array.Empty<int>();

    private int[] RepBuffer { get; init; } = System.Array.Empty<int>();

    public int[]? I32 { get; private set; }
    public long[]? I64 { get; private set; }
    public float[]? F32 { get; private set; }
    public double[]? F64 { get; private set; }
    public bool[]? Bool { get; private set; }
    public ReadOnlyMemory<byte>[]? Bytes { get; private set; }
    public Int128[]? Dec { get; private set; }

    public bool IsDefined(int entry) => Def is null || Def[entry] == MaxDef;

    /// <summary>
    /// Reads a leaf chunk and normalizes it to <paramref name="target"/>; with a null target only the levels are kept
    /// (a leaf read for the structure of its parent group).
    /// </summary>
    public static async Task<LeafColumn> ReadAsync(
        ParquetRowGroupReader rowGroup, FileSchemaNode leaf, DataField fileField, PrimitiveType? target, bool topLevel, Stream stream, FooterSubstitutedStream view, CancellationToken cancellationToken)
    {
        // Parquet.Net loops forever on some mistyped page headers: it only gets chunks whose pages Floe has walked,
        // and sees no byte outside the chunk (it reads page headers until it has decoded the chunk's value count,
        // so a corrupt page sent it into the next chunk's pages, past everything Floe checked).
        var (start, end) = PageHeaderCheck.Check(stream, leaf, rowGroup.RowGroup.Columns[leaf.LeafIndex]);
        try
        {
            view.Window = (start, end);
            return await ReadWithParquetNetAsync(rowGroup, leaf, fileField, target, topLevel, cancellationToken).ConfigureAwait(false);
        }
        catch (NotImplementedException)
        {
            // Parquet.Net 6.1 lacks some page layouts (v2 pages of repeated columns); decode those ourselves.
            var chunk = FallbackChunkReader.Read(stream, leaf, rowGroup.RowGroup.Columns[leaf.LeafIndex]);
            return FromFallback(leaf, chunk, target);
        }
        finally
        {
            view.Window = null;
        }
    }

    private static LeafColumn FromFallback(FileSchemaNode leaf, FallbackChunkReader chunk, PrimitiveType? target)
    {
        var levels = chunk.Def.Length;
        var column = new LeafColumn
        {
            Node = leaf,
            Def = leaf.DefinitionLevel > 0 ? chunk.Def : null,
            Rep = leaf.RepetitionLevel > 0 ? chunk.Rep : null,
            LevelCount = levels,
        };
        if (target is null) return column;
        var values = chunk.Values;
        switch (leaf.Element.Type)
        {
            case ParquetType.BOOLEAN:
                column.NormalizeBool(Array.ConvertAll(values, v => v is bool b && b), target);
                break;
            case ParquetType.INT32:
                column.NormalizeInt32(Array.ConvertAll(values, v => v is int i ? i : 0), target);
                break;
            case ParquetType.INT64:
                column.NormalizeInt64(Array.ConvertAll(values, v => v is long l ? l : 0), target);
                break;
            case ParquetType.FLOAT:
                column.NormalizeFloat(Array.ConvertAll(values, v => v is float f ? f : 0), target);
                break;
            case ParquetType.DOUBLE:
                column.NormalizeDouble(Array.ConvertAll(values, v => v is double d ? d : 0), target);
                break;
            default:
                column.NormalizeBytes(Array.ConvertAll(values, v => v is ReadOnlyMemory<byte> m ? m : ReadOnlyMemory<byte>.Empty), target);
                break;
        }
        return column;
    }

    private static async Task<LeafColumn> ReadWithParquetNetAsync(
        ParquetRowGroupReader rowGroup, FileSchemaNode leaf, DataField fileField, PrimitiveType? target, bool topLevel, CancellationToken cancellationToken)
    {
        var chunk = rowGroup.RowGroup.Columns[leaf.LeafIndex];
        var levels = checked((int)(chunk.MetaData?.NumValues ?? rowGroup.RowCount));
        // Parquet.Net wants both level buffers whatever the column's levels; only the meaningful ones are kept.
        var defBuffer = new int[levels];
        var repBuffer = new int[levels];
        var def = leaf.DefinitionLevel > 0 ? defBuffer : null;
        var rep = leaf.RepetitionLevel > 0 ? repBuffer : null;
        var column = new LeafColumn { Node = leaf, Def = def, Rep = rep, LevelCount = levels, DefBuffer = defBuffer, RepBuffer = repBuffer };
        var physical = leaf.Element.Type ?? throw new InvalidDataException($"leaf '{leaf.Name}' has no physical type");
        if (target is not null && topLevel && physical != ParquetType.INT96)
        {
            // Reading top-level columns through a field of the physical CLR type returns raw values (µs, unscaled,
            // UTF-8 bytes) instead of Parquet.Net's DateTime/decimal/char conversions.
            var nullable = leaf.IsOptional;
            switch (physical)
            {
                case ParquetType.BOOLEAN:
                    column.NormalizeBool(await ReadPhysical<bool>(rowGroup, leaf.Name, nullable, levels, column, cancellationToken).ConfigureAwait(false), target);
                    break;
                case ParquetType.INT32:
                    column.NormalizeInt32(await ReadPhysical<int>(rowGroup, leaf.Name, nullable, levels, column, cancellationToken).ConfigureAwait(false), target);
                    break;
                case ParquetType.INT64:
                    column.NormalizeInt64(await ReadPhysical<long>(rowGroup, leaf.Name, nullable, levels, column, cancellationToken).ConfigureAwait(false), target);
                    break;
                case ParquetType.FLOAT:
                    column.NormalizeFloat(await ReadPhysical<float>(rowGroup, leaf.Name, nullable, levels, column, cancellationToken).ConfigureAwait(false), target);
                    break;
                case ParquetType.DOUBLE:
                    column.NormalizeDouble(await ReadPhysical<double>(rowGroup, leaf.Name, nullable, levels, column, cancellationToken).ConfigureAwait(false), target);
                    break;
                default:
                    column.NormalizeBytes(await ReadPhysical<ReadOnlyMemory<byte>>(rowGroup, leaf.Name, nullable, levels, column, cancellationToken).ConfigureAwait(false), target);
                    break;
            }
            return column;
        }
        await column.ReadNativeAsync(rowGroup, fileField, levels, target, cancellationToken).ConfigureAwait(false);
        return column;
    }

    private static async Task<T[]> ReadPhysical<T>(
        ParquetRowGroupReader rowGroup, string name, bool nullable, int levels, LeafColumn column, CancellationToken cancellationToken)
        where T : struct
    {
        var field = new DataField<T>(name, nullable);
        _ = new ParquetSchema(field);
        var values = new T[levels];
        await rowGroup.ReadRawAsync<T>(field, values, column.DefBuffer, column.RepBuffer, cancellationToken).ConfigureAwait(false);
        return values;
    }

    private async Task ReadNativeAsync(ParquetRowGroupReader rowGroup, DataField field, int levels, PrimitiveType? requested, CancellationToken ct)
    {
        Memory<int>? def = DefBuffer;
        Memory<int>? rep = RepBuffer;
        var type = field.ClrType;
        if (requested is null)
        {
            await ReadLevelsOnly(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
            return;
        }
        var target = requested;
        if (type == typeof(bool)) NormalizeBool(await Native<bool>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false), target);
        else if (type == typeof(int)) NormalizeInt32(await Native<int>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false), target);
        else if (type == typeof(long)) NormalizeInt64(await Native<long>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false), target);
        else if (type == typeof(float)) NormalizeFloat(await Native<float>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false), target);
        else if (type == typeof(double)) NormalizeDouble(await Native<double>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false), target);
        else if (type == typeof(ReadOnlyMemory<byte>)) NormalizeBytes(await Native<ReadOnlyMemory<byte>>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false), target);
        else if (type == typeof(ReadOnlyMemory<char>))
        {
            var chars = await Native<ReadOnlyMemory<char>>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
            var bytes = new ReadOnlyMemory<byte>[chars.Length];
            for (var i = 0; i < chars.Length; i++)
            {
                bytes[i] = chars[i].IsEmpty ? ReadOnlyMemory<byte>.Empty : System.Text.Encoding.UTF8.GetBytes(chars[i].ToArray());
            }
            NormalizeBytes(bytes, target);
        }
        else if (type == typeof(DateTime)) NormalizeDateTime(await Native<DateTime>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false), target);
        else if (type == typeof(DateOnly))
        {
            var dates = await Native<DateOnly>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
            NormalizeDateTime(Array.ConvertAll(dates, d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)), target);
        }
        else if (type == typeof(TimeSpan))
        {
            var times = await Native<TimeSpan>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
            NormalizeInt64Raw(Array.ConvertAll(times, t => t.Ticks / 10), target, TimeUnitKind.Micros);
        }
        else if (type == typeof(TimeOnly))
        {
            var times = await Native<TimeOnly>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
            NormalizeInt64Raw(Array.ConvertAll(times, t => t.Ticks / 10), target, TimeUnitKind.Micros);
        }
        else if (type == typeof(decimal)) NormalizeDecimal(await Native<decimal>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false), target);
        else throw Errors.Unsupported($"column '{field.Path}': Parquet values of CLR type {type.Name} cannot be read");
    }

    private static async Task ReadLevelsOnly(ParquetRowGroupReader rowGroup, DataField field, int levels, Memory<int>? def, Memory<int>? rep, CancellationToken ct)
    {
        var type = field.ClrType;
        if (type == typeof(bool)) await Native<bool>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(int)) await Native<int>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(long)) await Native<long>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(float)) await Native<float>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(double)) await Native<double>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(ReadOnlyMemory<byte>)) await Native<ReadOnlyMemory<byte>>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(ReadOnlyMemory<char>)) await Native<ReadOnlyMemory<char>>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(DateTime)) await Native<DateTime>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(DateOnly)) await Native<DateOnly>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(TimeSpan)) await Native<TimeSpan>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(TimeOnly)) await Native<TimeOnly>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else if (type == typeof(decimal)) await Native<decimal>(rowGroup, field, levels, def, rep, ct).ConfigureAwait(false);
        else throw Errors.Unsupported($"column '{field.Path}': Parquet values of CLR type {type.Name} cannot be read");
    }

    private static async Task<T[]> Native<T>(ParquetRowGroupReader rowGroup, DataField field, int levels, Memory<int>? def, Memory<int>? rep, CancellationToken ct)
        where T : struct
    {
        var values = new T[levels];
        await rowGroup.ReadRawAsync<T>(field, values, def, rep, ct).ConfigureAwait(false);
        return values;
    }

    private enum TimeUnitKind
    {
        Millis,
        Micros,
        Nanos,
    }

    private TimeUnitKind FileTimeUnit()
    {
        var e = Node.Element;
        var unit = e.LogicalType?.TIMESTAMP?.Unit ?? e.LogicalType?.TIME?.Unit;
        if (unit?.MILLIS is not null) return TimeUnitKind.Millis;
        if (unit?.NANOS is not null) return TimeUnitKind.Nanos;
        if (unit?.MICROS is not null) return TimeUnitKind.Micros;
        return e.ConvertedType is ConvertedType.TIMESTAMP_MILLIS or ConvertedType.TIME_MILLIS ? TimeUnitKind.Millis : TimeUnitKind.Micros;
    }

    private Exception Mismatch(PrimitiveType target) =>
        Errors.InvalidData($"column '{Node.Name}' (field id {Node.FieldId}): Parquet type {Node.Element.Type} cannot be read as Iceberg {target}");
}
