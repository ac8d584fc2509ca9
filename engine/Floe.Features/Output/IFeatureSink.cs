using Floe.Core.Expressions.Evaluation;

namespace Floe.Features.Output;

/// <summary>Receives computed rows, one day partition at a time, in day order.</summary>
internal interface IFeatureSink : IDisposable
{
    /// <summary>
    /// Writes rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="rows"/>) of
    /// <paramref name="columns"/> as the partition for <paramref name="day"/> (UTC date of event time).
    /// </summary>
    void WritePartition(DateOnly day, string[] names, ValueVector[] columns, int start, int rows);

    /// <summary>Flushes and closes; returns the files written.</summary>
    IReadOnlyList<string> Complete();
}
