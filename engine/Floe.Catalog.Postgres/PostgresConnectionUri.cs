using System.Globalization;
using Floe.Core.Errors;
using Npgsql;

namespace Floe.Catalog.Postgres;

/// <summary>
/// Reads a catalog URI <c>postgresql://user[:password]@host[:port]/database[?sslmode=require&amp;...]</c> into an
/// Npgsql connection string. User and password may be percent-encoded; the password never appears in messages.
/// </summary>
public static class PostgresConnectionUri
{
    private static readonly Dictionary<string, string> Options = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["timeout"] = "Timeout",
        ["command_timeout"] = "Command Timeout",
        ["application_name"] = "Application Name",
        ["search_path"] = "Search Path",
        ["catalog"] = "",
    };

    /// <summary>Whether <paramref name="uri"/> names a PostgreSQL catalog.</summary>
    public static bool IsPostgres(string uri) =>
        uri.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string, and the catalog name (<c>?catalog=NAME</c>, default <c>floe</c>).</summary>
    public static (string ConnectionString, string CatalogName) Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!IsPostgres(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            throw Errors.InvalidArgument($"catalog '{Redacted(uri)}' is not a postgresql://user[:password]@host[:port]/database URI");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parsed.Host,
            Port = parsed.IsDefaultPort || parsed.Port < 0 ? 5432 : parsed.Port,
            Database = Uri.UnescapeDataString(parsed.AbsolutePath.Trim('/')),
            Pooling = true,
        };
        if (string.IsNullOrEmpty(builder.Database)) throw Errors.InvalidArgument($"catalog '{Redacted(uri)}' names no database (postgresql://host/DATABASE)");
        if (parsed.UserInfo.Length > 0)
        {
            var colon = parsed.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? parsed.UserInfo : parsed.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(parsed.UserInfo[(colon + 1)..]);
        }
        var catalogName = "floe";
        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!Options.TryGetValue(key, out var keyword))
            {
                throw Errors.InvalidArgument($"catalog URI option '{key}' is not supported (supported: {string.Join(", ", Options.Keys)})");
            }
            if (key.Equals("catalog", StringComparison.OrdinalIgnoreCase)) catalogName = value;
            else builder[keyword] = value;
        }
        return (builder.ConnectionString, catalogName);
    }

    /// <summary>The URI with any password replaced, fit for a message.</summary>
    public static string Redacted(string uri)
    {
        var at = uri.IndexOf('@', StringComparison.Ordinal);
        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0) return uri;
        var colon = uri.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? uri[..(colon + 1)] + "***" + uri[at..] : uri;
    }

    internal static string Describe(NpgsqlConnectionStringBuilder b) =>
        string.Create(CultureInfo.InvariantCulture, $"{b.Host}:{b.Port}/{b.Database}");
}
