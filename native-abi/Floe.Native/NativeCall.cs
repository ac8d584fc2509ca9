using Floe.Core.Errors;

namespace Floe.Native;

/// <summary>
/// Where exceptions become return codes. Every export wraps its whole body as
/// <code>
/// try { ...; return 0; }
/// catch (Exception e) { return NativeCall.Fail(e, "floe_x_y"); }
/// </code>
/// because an exception that crosses an <c>[UnmanagedCallersOnly]</c> frame ends the process on Linux.
/// A try/catch per export, not a delegate-taking runner, keeps calls free of closures and allocation.
/// </summary>
internal static class NativeCall
{
    /// <summary>Records <paramref name="exception"/> as the thread's last error and returns its <c>FLOE_E*</c> code.</summary>
    /// <param name="exception">What the export caught.</param>
    /// <param name="function">The export's C name, which prefixes the message.</param>
    /// <returns>A negative code; never throws.</returns>
    public static int Fail(Exception exception, string function)
    {
        FloeErrorCode code = FloeErrorCode.Internal;
        try
        {
            code = StatusMapping.ToCode(exception);
            LastError.Set(code, StatusMapping.ToMessage(exception, code, function));
        }
        catch (Exception)
        {
            // Building the message failed (out of memory); still report the code.
            LastError.Set(code, function);
        }

        return (int)code;
    }

    /// <summary>Records a failure that was detected without an exception and returns its code. Never throws.</summary>
    public static int Fail(FloeErrorCode code, string function, string message)
    {
        try
        {
            LastError.Set(code, string.Concat(function, ": ", message));
        }
        catch (Exception)
        {
            LastError.Set(code, function);
        }

        return (int)code;
    }
}
