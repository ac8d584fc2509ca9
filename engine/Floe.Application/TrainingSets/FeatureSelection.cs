using Floe.Core.Errors;

namespace Floe.Application.TrainingSets;

/// <summary>
/// One <c>--features</c> argument: a feature group (a definition file .json/.yaml/.yml, or a feature table
/// <c>NS.TABLE</c>) and optionally the subset of its features to attach.
/// </summary>
/// <param name="Group">The definition file path or table name.</param>
/// <param name="Names">The features to attach, in this order; null attaches all of them.</param>
public sealed record FeatureSelection(string Group, IReadOnlyList<string>? Names)
{
    /// <summary>
    /// Parses <c>GROUP[:f1,f2,...]</c>. The text after the last <c>:</c> is the feature list unless the whole
    /// argument names an existing file.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument for an empty group or feature list.</exception>
    public static FeatureSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var colon = trimmed.LastIndexOf(':');
        if (colon < 0 || File.Exists(trimmed))
        {
            if (trimmed.Length == 0) throw Errors.InvalidArgument("--features: empty feature group");
            return new FeatureSelection(trimmed, null);
        }
        var group = trimmed[..colon].Trim();
        var names = trimmed[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (group.Length == 0) throw Errors.InvalidArgument($"--features '{text}': empty feature group");
        if (names.Length == 0) throw Errors.InvalidArgument($"--features '{text}': empty feature list after ':'");
        return new FeatureSelection(group, names);
    }
}
