using Floe.Core.Errors;

namespace Floe.Iceberg.Tables;

/// <summary>
/// Table properties that Iceberg reserves at creation rather than storing (as Iceberg Java does):
/// <c>format-version</c> chooses the metadata format. Floe writes format v2 only, so asking for another version is
/// refused instead of creating a v2 table that claims otherwise in its properties.
/// </summary>
public static class ReservedTableProperties
{
    /// <summary>The reserved property that selects the table format version.</summary>
    public const string FormatVersion = "format-version";

    /// <summary>The properties to store: <paramref name="properties"/> without the reserved keys, after checking them.</summary>
    /// <exception cref="FloeException">
    /// Unsupported for <c>format-version</c> 1 or 3 (Floe reads both but creates v2 tables); InvalidArgument for any
    /// other value.
    /// </exception>
    public static IReadOnlyDictionary<string, string>? WithoutReserved(IReadOnlyDictionary<string, string>? properties)
    {
        if (properties is null || !properties.TryGetValue(FormatVersion, out var value)) return properties;
        switch (value.Trim())
        {
            case "2":
                break;
            case "1":
            case "3":
                throw Errors.Unsupported($"{FormatVersion}={value.Trim()}: Floe creates format v2 tables only (it reads v1 and v3 tables); omit the property or use 2");
            default:
                throw Errors.InvalidArgument($"{FormatVersion} must be 1, 2 or 3, got '{value}'");
        }
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in properties)
        {
            if (k != FormatVersion) stored[k] = v;
        }
        return stored;
    }
}
