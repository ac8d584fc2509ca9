using System.Runtime.InteropServices;
using Floe.Core.Errors;
using Floe.Native.Interop;

namespace Floe.Native;

/// <summary>
/// The thread-local record behind <c>floe_last_error()</c>. Each thread that fails gets one native
/// <c>floe_error</c> whose message is replaced on its next failure; reporting itself never throws, falling back
/// to static records when memory runs out (as libgit2 keeps static out-of-memory errors).
/// </summary>
internal static unsafe class LastError
{
    private static readonly FloeError* NoError = AllocStatic(0, "no error"u8);
    private static readonly FloeError* OutOfMemory = AllocStatic((int)FloeErrorCode.Internal, "out of memory"u8);
    private static readonly byte* MessageUnavailable = Utf8Marshal.AllocStatic("(message unavailable: out of memory)"u8);

    [ThreadStatic]
    private static Slot? t_slot;

    // Set when this thread's last failure could not be recorded at all; Current then reports OutOfMemory.
    [ThreadStatic]
    private static bool t_outOfMemory;

    /// <summary>The calling thread's record: never NULL, owned here, valid until this thread's next failure.</summary>
    public static FloeError* Current =>
        t_outOfMemory ? OutOfMemory : t_slot is { } slot ? slot.Record : NoError;

    /// <summary>The static record reported when nothing else can be (allocation failure); never NULL.</summary>
    public static FloeError* OutOfMemoryRecord => OutOfMemory;

    /// <summary>Records a failure for the calling thread. Never throws.</summary>
    public static void Set(FloeErrorCode code, string message)
    {
        try
        {
            Slot slot = t_slot ??= new Slot();
            slot.Replace((int)code, message);
            t_outOfMemory = false;
        }
        catch (Exception)
        {
            // Only allocation can fail here; a static record keeps reporting reliable.
            t_outOfMemory = true;
        }
    }

    private static FloeError* AllocStatic(int code, ReadOnlySpan<byte> message)
    {
        var record = (FloeError*)NativeMemory.AllocZeroed((nuint)sizeof(FloeError));
        record->Code = code;
        record->Category = StatusMapping.Category(code);
        record->Message = Utf8Marshal.AllocStatic(message);
        return record;
    }

    /// <summary>One thread's native record. Its finalizer frees it once the thread has ended and nothing can call in.</summary>
    private sealed class Slot
    {
        public Slot()
        {
            Record = (FloeError*)NativeMemory.AllocZeroed((nuint)sizeof(FloeError));
        }

        ~Slot()
        {
            FreeMessage();
            NativeMemory.Free(Record);
        }

        public FloeError* Record { get; }

        public void Replace(int code, string message)
        {
            byte* text;
            try
            {
                text = Utf8Marshal.Alloc(message);
            }
            catch (OutOfMemoryException)
            {
                text = MessageUnavailable;
            }

            FreeMessage();
            Record->Code = code;
            Record->Category = StatusMapping.Category(code);
            Record->Message = text;
        }

        private void FreeMessage()
        {
            if (Record->Message != MessageUnavailable)
            {
                NativeMemory.Free(Record->Message);
            }

            Record->Message = null;
        }
    }
}
