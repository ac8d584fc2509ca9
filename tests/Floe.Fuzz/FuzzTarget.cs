using Floe.Core.Errors;

namespace Floe.Fuzz;

/// <summary>
/// One parser of outside input under fuzzing. <see cref="Run"/> returns when the input is accepted or refused the
/// way Floe promises (a <see cref="FloeException"/> with a one-line message); anything else escapes it as a crash:
/// another exception type, a broken contract (<see cref="FuzzContractException"/>), a stack overflow or a hang.
/// </summary>
internal abstract class FuzzTarget
{
    /// <summary>The name used on the command line and as the corpus folder.</summary>
    public abstract string Name { get; }

    /// <summary>What is fuzzed, for <c>list</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Tokens the mutator splices in (keywords, delimiters) besides generic bytes.</summary>
    public virtual string[] Dictionary => System.Array.Empty<string>();

    /// <summary>Runs one input.</summary>
    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>Small generated seed inputs (written by <c>seed</c> into corpora/&lt;name&gt;/).</summary>
    public abstract IEnumerable<(string Name, byte[] Bytes)> Seeds();

    /// <summary>Inputs refused with Floe's own error so far (the rest were accepted), for the run summary.</summary>
    public long Refused { get; private set; }

    /// <summary>Runs <paramref name="action"/>, accepting a FloeException whose message keeps Floe's error contract.</summary>
    protected void Expect(Action action)
    {
        try
        {
            action();
        }
        catch (FloeException e)
        {
            Refused++;
            CheckMessage(e.Message);
        }
    }

    /// <summary>Counts a refusal reported some other way than a FloeException (an ABI error code, a parser's own error type).</summary>
    protected void CountRefused() => Refused++;

    /// <summary>An error message is one non-empty line without .NET exception or type names.</summary>
    protected static void CheckMessage(string message)
    {
        if (string.IsNullOrWhiteSpace(message)) throw new FuzzContractException("empty error message");
        if (message.Contains("Exception", StringComparison.Ordinal) || message.Contains("System.", StringComparison.Ordinal))
        {
            throw new FuzzContractException("error message names a .NET type: " + message);
        }
    }
}

/// <summary>A broken promise found by a fuzz target (not a parser error): always a crash.</summary>
internal sealed class FuzzContractException : Exception
{
    public FuzzContractException(string message)
        : base(message)
    {
    }
}
