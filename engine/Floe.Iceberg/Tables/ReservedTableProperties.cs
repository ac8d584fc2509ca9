using Floe.Core.Errors;

namespace Floe.Iceberg.Tables;

/// <summary>
/// Table properties that Iceberg reserves at creation rather than storing (as Iceberg Java does):
/// <c>format-version</c> chooses the metadata format. Floe creates format v2 (the default) and v3 tables; v1 is
/// refused instead of creating a table that claims otherwise in its properties.
/// </summary>
public static class ReservedTableProperties
{
    /// <summary>The reserved property that selects the table format version.</summary>
    public const string FormatVersion = "format-version";

    /// <summary>The format version new tables get without the property.</summary>
    public const int DefaultFormatVersion = 2;

    /// <summary>The newest format version Floe creates or upgrades to.</summary>
    public const int MaxFormatVersion = 3;

    /// <summary>The format version <paramref name="properties"/> asks for (<see cref="DefaultFormatVersion"/> without the property).</summary>
    /// <exception cref="FloeException">
    /// Unsupported for <c>format-version</c> 1 (Floe reads v1 tables but creates v2 and v3); InvalidArgument for any
    /// value other than 1, 2 or 3.
    /// </exception>
    public static int FormatVersionOf(IReadOnlyDictionary<string, string>? properties)
    {
        if (properties is null || !properties.TryGetValue(FormatVersion, out var value)) return DefaultFormatVersion;
        return value.Trim() switch
        {
            "2" => 2,
            "3" => 3,
            "1" => throw Errors.Unsupported($"{FormatVersion}=1: Floe creates format v2 and v3 tables only (it reads v1 tables); omit the property or use 2 or 3"),
            _ => throw Errors.InvalidArgument($"{FormatVersion} must be 1, 2 or 3, got '{value}'"),
        };
    }

    /// <summary>The properties to store: <paramref name="properties"/> without the reserved keys, after checking them.</summary>
    /// <exception cref="FloeException">As <see cref="FormatVersionOf"/>.</exception>
    public static IReadOnlyDictionary<string, string>? WithoutReserved(IReadOnlyDictionary<string, string>? properties)
    {
        FormatVersionOf(properties);
        if (properties is null || !properties.ContainsKey(FormatVersion)) return properties;
        var stored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in properties)
        {
            if (k != FormatVersion) stored[k] = v;
        }
        return stored;
    }
}
