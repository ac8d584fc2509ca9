using Floe.Core.Errors;
using StackExchange.Redis;

namespace Floe.Online;

/// <summary>
/// Where the online store lives and how to reach it: <c>HOST:PORT</c>, <c>redis://[user:password@]host:port</c> or a
/// full StackExchange.Redis configuration string, with optional user, password (ACL or AUTH), TLS, and the key
/// prefix that keeps one deployment's keys apart from another's.
/// </summary>
public sealed record RedisSettings
{
    /// <summary>The server: <c>HOST:PORT</c>, <c>redis://…</c>/<c>rediss://…</c>, or a StackExchange.Redis configuration string.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The ACL user (null: the default user).</summary>
    public string? User { get; init; }

    /// <summary>The password (null: none).</summary>
    public string? Password { get; init; }

    /// <summary>Whether to connect with TLS.</summary>
    public bool Tls { get; init; }

    /// <summary>The first part of every key (default <c>floe</c>).</summary>
    public string Prefix { get; init; } = "floe";

    /// <summary>The settings from <c>$FLOE_REDIS</c> (or <c>$FLOE_REDIS_URL</c>), or null when neither is set.</summary>
    public static RedisSettings? FromEnvironment()
    {
        var endpoint = Environment.GetEnvironmentVariable("FLOE_REDIS") is { Length: > 0 } e ? e : Environment.GetEnvironmentVariable("FLOE_REDIS_URL");
        return string.IsNullOrEmpty(endpoint) ? null : new RedisSettings { Endpoint = endpoint };
    }

    /// <summary>
    /// The StackExchange.Redis options these settings describe. A configuration string's own <c>connectTimeout</c>,
    /// <c>syncTimeout</c> and <c>asyncTimeout</c> are kept; otherwise connecting may take 5 s and a command 30 s.
    /// </summary>
    public ConfigurationOptions ToOptions()
    {
        ConfigurationOptions options;
        var endpoint = Endpoint.Trim();
        if (endpoint.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) || endpoint.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                throw Errors.InvalidArgument($"redis '{endpoint}' is not a redis://host:port URI");
            }
            options = new ConfigurationOptions();
            options.EndPoints.Add(uri.Host, uri.Port > 0 ? uri.Port : 6379);
            if (uri.UserInfo.Length > 0)
            {
                var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0) options.Password = Uri.UnescapeDataString(uri.UserInfo);
                else
                {
                    if (colon > 0) options.User = Uri.UnescapeDataString(uri.UserInfo[..colon]);
                    options.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
                }
            }
            options.Ssl = endpoint.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            try
            {
                options = ConfigurationOptions.Parse(endpoint);
            }
            catch (ArgumentException e)
            {
                throw Errors.InvalidArgument($"redis '{endpoint}': {e.Message}");
            }
        }
        if (options.EndPoints.Count == 0) throw Errors.InvalidArgument($"redis '{endpoint}' names no server (HOST:PORT)");
        if (User is not null) options.User = User;
        if (Password is not null) options.Password = Password;
        if (Tls) options.Ssl = true;
        options.AbortOnConnectFail = true;
        // Defaults for what the endpoint leaves unsaid; a configuration string's own timeouts are the user's choice.
        if (!Names(endpoint, "connectTimeout")) options.ConnectTimeout = 5000;
        if (!Names(endpoint, "syncTimeout")) options.SyncTimeout = 30000;
        if (!Names(endpoint, "asyncTimeout")) options.AsyncTimeout = 30000;
        return options;
    }

    // Whether a StackExchange.Redis configuration string sets `option=` (its names are case-insensitive).
    private static bool Names(string configuration, string option)
    {
        foreach (var part in configuration.Split(','))
        {
            var setting = part.AsSpan().Trim();
            if (setting.StartsWith(option, StringComparison.OrdinalIgnoreCase) && setting[option.Length..].TrimStart().StartsWith("=")) return true;
        }
        return false;
    }
}
