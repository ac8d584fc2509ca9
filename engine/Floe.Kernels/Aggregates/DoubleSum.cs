namespace Floe.Kernels.Aggregates;

/// <summary>
/// A compensated (Neumaier) running sum of doubles: <see cref="Sum"/> is the plain floating-point sum and
/// <see cref="Compensation"/> the rounding error it dropped, so <see cref="Value"/> is accurate to about one unit in
/// the last place for sums without heavy cancellation, whatever the order values arrive in. Non-finite inputs follow
/// IEEE addition (any NaN gives NaN, +inf and -inf together give NaN).
/// </summary>
public struct DoubleSum
{
    /// <summary>The uncompensated sum.</summary>
    public double Sum;

    /// <summary>The accumulated rounding error of <see cref="Sum"/>.</summary>
    public double Compensation;

    /// <summary>The compensated sum (the plain sum once it is not finite: the compensation is then meaningless).</summary>
    public readonly double Value => double.IsFinite(Sum) ? Sum + Compensation : Sum;

    /// <summary>Adds one value.</summary>
    public void Add(double value)
    {
        var t = Sum + value;
        Compensation += Math.Abs(Sum) >= Math.Abs(value) ? (Sum - t) + value : (value - t) + Sum;
        Sum = t;
    }

    /// <summary>Adds another partial sum (its compensation included).</summary>
    public void Add(DoubleSum other)
    {
        Add(other.Sum);
        Compensation += other.Compensation;
    }
}
