using Apache.Arrow;
using Apache.Arrow.Types;

namespace Floe.Features.Tests.Support;

/// <summary>
/// Random event sets for engine-vs-reference tests: skewed entities (one huge), coarse timestamps (many ties),
/// out-of-order rows, nulls, NaN and infinities in the double column, plus integer, string and boolean columns.
/// </summary>
internal sealed class TestEvents
{
    public required long[] Entity { get; init; }
    public required long[] Time { get; init; }
    public required double?[] Amount { get; init; }
    public required long?[] Qty { get; init; }
    public required string?[] Merchant { get; init; }
    public required bool?[] Flag { get; init; }

    public int Length => Entity.Length;

    public const long Minute = 60_000_000L;
    public static readonly long Epoch = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;

    public static TestEvents Random(int seed, int rows, int entities, long spanMicros, bool specials = true)
    {
        var rnd = new Random(seed);
        var e = new long[rows];
        var t = new long[rows];
        var a = new double?[rows];
        var q = new long?[rows];
        var m = new string?[rows];
        var f = new bool?[rows];
        long granularity = rnd.Next(3) switch { 0 => Minute, 1 => 17 * Minute, _ => 1_000_000L };
        for (int i = 0; i < rows; i++)
        {
            // Skew: a third of all rows belong to entity 0 (the huge one); the rest are Zipf-ish.
            e[i] = rnd.Next(3) == 0 ? 0 : (long)Math.Floor(Math.Pow(rnd.NextDouble(), 2) * entities);
            t[i] = Epoch + (long)(rnd.NextDouble() * spanMicros) / granularity * granularity;
            int kind = rnd.Next(40);
            a[i] = kind switch
            {
                0 => null,
                1 when specials => double.NaN,
                2 when specials => double.PositiveInfinity,
                3 when specials => double.NegativeInfinity,
                4 => 0.0,
                5 => -0.0,
                6 => 1e15 + rnd.Next(100),
                7 => Math.Round(rnd.NextDouble() * 100, 2),
                _ => Math.Round((rnd.NextDouble() - 0.2) * 1000, 2),
            };
            q[i] = rnd.Next(15) == 0 ? null : rnd.Next(-50, 1000);
            // With specials, two of the eight merchants are beyond ASCII (one astral, four UTF-8 bytes), so string
            // keys and string features are checked on multi-byte UTF-8 too.
            int merchant = rnd.Next(12) == 0 ? -1 : rnd.Next(8);
            m[i] = merchant < 0 ? null : specials && merchant == 6 ? "m\U0001F600" : specials && merchant == 7 ? "é\uFF21" : "m" + merchant;
            f[i] = rnd.Next(10) == 0 ? null : rnd.Next(2) == 0;
        }
        return new TestEvents { Entity = e, Time = t, Amount = a, Qty = q, Merchant = m, Flag = f };
    }

    /// <summary>
    /// As <see cref="Random"/>, with amounts that also cross the kernel's fixed-point range: values of 2^32 and more,
    /// values with bits below 2^-64, subnormals, and values just inside the range, mixed with ordinary amounts.
    /// </summary>
    public static TestEvents RandomWide(int seed, int rows, int entities, long spanMicros)
    {
        var ev = Random(seed, rows, entities, spanMicros);
        var rnd = new Random(seed + 1000);
        for (int i = 0; i < rows; i++)
        {
            ev.Amount[i] = rnd.Next(12) switch
            {
                0 => 4_294_967_296.0 * (1 + rnd.Next(1000)),
                1 => -4_294_967_295.5,
                2 => 4_294_967_295.25,
                3 => rnd.NextDouble() * 1e-10,
                4 => double.Epsilon * rnd.Next(1, 5),
                5 => Math.ScaleB(1.0, -64) * rnd.Next(1, 1000),
                6 => 0.1 * rnd.Next(-100, 100),
                _ => ev.Amount[i],
            };
        }
        return ev;
    }

    /// <summary>
    /// As <see cref="Random"/>, with every amount present and ordinary (cents below 10^5, ±0 included), so float
    /// window groups take the kernel's fast path; timestamps on a minute or hour grid, so events fall exactly on
    /// window edges (t − w) and share timestamps. With <paramref name="dirty"/>, entity 1 also gets nulls, NaN,
    /// infinities and values outside the fixed-point range now and then, so its windows leave and re-enter the fast
    /// path as those values come and go.
    /// </summary>
    public static TestEvents Clean(int seed, int rows, int entities, long spanMicros, bool dirty)
    {
        var ev = Random(seed, rows, entities, spanMicros, specials: false);
        var rnd = new Random(seed + 2000);
        long grid = rnd.Next(2) == 0 ? Minute : 60 * Minute;
        for (int i = 0; i < rows; i++)
        {
            ev.Time[i] = Epoch + ((ev.Time[i] - Epoch) / grid * grid);
            ev.Amount[i] = rnd.Next(20) switch
            {
                0 => 0.0,
                1 => -0.0,
                2 => 99_999.99,
                _ => Math.Round((rnd.NextDouble() - 0.3) * 1000, 2),
            };
            if (dirty && ev.Entity[i] == 1 && rnd.Next(6) == 0)
            {
                ev.Amount[i] = rnd.Next(5) switch
                {
                    0 => null,
                    1 => double.NaN,
                    2 => double.PositiveInfinity,
                    3 => double.NegativeInfinity,
                    _ => 1e15 + rnd.Next(10),
                };
            }
        }
        return ev;
    }

    public static Schema Schema { get; } = new Schema(
        [
            new Field("entity_id", Int64Type.Default, false),
            new Field("event_time", new TimestampType(TimeUnit.Microsecond, "UTC"), false),
            new Field("amount", DoubleType.Default, true),
            new Field("qty", Int64Type.Default, true),
            new Field("merchant", StringType.Default, true),
            new Field("flag", BooleanType.Default, true),
        ],
        null);

    public RecordBatch ToBatch(int start = 0, int count = -1) => ToBatch(Enumerable.Range(start, count < 0 ? Length - start : count).ToArray());

    public RecordBatch ToBatch(int[] rows)
    {
        var e = new Int64Array.Builder();
        var t = new TimestampArray.Builder(new TimestampType(TimeUnit.Microsecond, "UTC"));
        var a = new DoubleArray.Builder();
        var q = new Int64Array.Builder();
        var m = new StringArray.Builder();
        var f = new BooleanArray.Builder();
        foreach (int i in rows)
        {
            e.Append(Entity[i]);
            t.Append(DateTimeOffset.UnixEpoch.AddTicks(Time[i] * 10));
            if (Amount[i] is { } av) { a.Append(av); } else { a.AppendNull(); }
            if (Qty[i] is { } qv) { q.Append(qv); } else { q.AppendNull(); }
            if (Merchant[i] is { } mv) { m.Append(mv); } else { m.AppendNull(); }
            if (Flag[i] is { } fv) { f.Append(fv); } else { f.AppendNull(); }
        }
        return new RecordBatch(Schema, [e.Build(), t.Build(), a.Build(), q.Build(), m.Build(), f.Build()], rows.Length);
    }
}
