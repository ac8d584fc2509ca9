using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.C;
using Apache.Arrow.Ipc;
using Floe.Core.Errors;

namespace Floe.Native.Interop;

/// <summary>
/// Takes ownership of a host's <c>struct ArrowArrayStream</c> the C way: its bytes are moved into library memory and
/// the host's copy is marked released (release = NULL) at once, so the host may reuse or free its struct as soon as
/// the call returns, whatever Apache.Arrow's importer does with the pointer it is given.
/// </summary>
internal sealed unsafe class MovedArrowStream : IDisposable
{
    /// <summary>Index of <c>release</c> among the struct's pointer-sized fields (get_schema, get_next, get_last_error, release, private_data).</summary>
    private const int ReleaseSlot = 3;

    private CArrowArrayStream* _memory;

    private MovedArrowStream(CArrowArrayStream* memory)
    {
        _memory = memory;
        Stream = CArrowArrayStreamImporter.ImportArrayStream(memory);
    }

    /// <summary>The imported stream.</summary>
    public IArrowArrayStream Stream { get; }

    /// <summary>Moves <paramref name="stream"/> in; null when it is NULL or already released (nothing to take).</summary>
    public static MovedArrowStream? Take(CArrowArrayStream* stream)
    {
        if (stream == null || ((nint*)stream)[ReleaseSlot] == 0)
        {
            return null;
        }

        var memory = (CArrowArrayStream*)NativeMemory.Alloc((nuint)sizeof(CArrowArrayStream));
        *memory = *stream;
        ((nint*)stream)[ReleaseSlot] = 0;
        return new MovedArrowStream(memory);
    }

    /// <summary>
    /// The stream's batches in order; a failure of the host's stream is <see cref="FloeErrorCode.InvalidData"/>.
    /// With <paramref name="disposeEach"/> a batch is disposed once the consumer moves past it (a consumer that copies
    /// what it keeps); without, the caller owns every batch.
    /// </summary>
    public IEnumerable<RecordBatch> ReadBatches(bool disposeEach)
    {
        while (true)
        {
            RecordBatch? batch;
            try
            {
                batch = Stream.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not FloeException)
            {
                throw Errors.InvalidData($"the host's Arrow stream failed: {e.Message}");
            }

            if (batch == null)
            {
                yield break;
            }

            try
            {
                yield return batch;
            }
            finally
            {
                if (disposeEach)
                {
                    batch.Dispose();
                }
            }
        }
    }

    /// <summary>Releases the stream (its producer's release callback) and frees the moved struct.</summary>
    public void Dispose()
    {
        if (_memory == null)
        {
            return;
        }

        Stream.Dispose();
        NativeMemory.Free(_memory);
        _memory = null;
    }
}
