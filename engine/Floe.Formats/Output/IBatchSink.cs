using Apache.Arrow;
using Floe.Core.Types;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Formats.Output;

/// <summary>Receives scan results batch by batch (CSV, JSON lines, Parquet, or a count).</summary>
public interface IBatchSink : IDisposable
{
    /// <summary>Called once before the first batch with the output schema.</summary>
    void Begin(Schema schema);

    /// <summary>Writes one batch.</summary>
    void Write(RecordBatch batch);

    /// <summary>Flushes and finishes the output.</summary>
    void Complete();
}
