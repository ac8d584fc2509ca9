namespace Floe.Features.Definitions;

/// <summary>
/// A sliding event-time window. At event time t a window of length w covers events with time in (t - w, t];
/// an unbounded window covers every earlier event of the entity and every event at t.
/// </summary>
public readonly record struct Window
{
    private Window(long micros) => Micros = micros;

    /// <summary>The window length in microseconds; <see cref="long.MaxValue"/> for unbounded.</summary>
    public long Micros { get; }

    /// <summary>True for the lifetime window.</summary>
    public bool IsUnbounded => Micros == long.MaxValue;

    /// <summary>The lifetime window.</summary>
    public static Window Unbounded => new(long.MaxValue);

    /// <summary>A window of <paramref name="micros"/> microseconds (positive).</summary>
    public static Window OfMicros(long micros)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(micros);
        return new Window(micros);
    }

    /// <inheritdoc />
    public override string ToString() => IsUnbounded ? "unbounded" : Durations.Format(Micros);
}
