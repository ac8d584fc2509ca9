using Apache.Arrow;
using Schema = Floe.Core.Types.Schema;

namespace Floe.Application.TrainingSets;

/// <summary>A spine read into memory: its columns (in file order) and batches, and each row's time in microseconds.</summary>
/// <param name="Schema">The spine's columns, with their output types.</param>
/// <param name="Batches">The rows, in file order.</param>
/// <param name="Times">Each row's time in microseconds (<see cref="TimeColumn.Null"/> when null).</param>
internal sealed record Spine(Schema Schema, IReadOnlyList<RecordBatch> Batches, long[] Times)
{
    /// <summary>Rows in the spine.</summary>
    public int Rows => Times.Length;

    /// <summary>The arrays of column <paramref name="name"/>, one per batch.</summary>
    public IArrowArray[] Column(string name)
    {
        var index = -1;
        for (var i = 0; i < Schema.Fields.Count; i++)
        {
            if (Schema.Fields[i].Name == name) index = i;
        }
        var arrays = new IArrowArray[Batches.Count];
        for (var b = 0; b < arrays.Length; b++) arrays[b] = Batches[b].Column(index);
        return arrays;
    }
}
