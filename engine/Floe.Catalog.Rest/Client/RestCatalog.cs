using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Transactions.Updates;

namespace Floe.Catalog.Rest.Client;

/// <summary>
/// A catalog reached over the Iceberg REST protocol (Floe's own <c>floe catalog serve</c>, Polaris, Lakekeeper,
/// Gravitino, ...). Commits are POSTed as requirements + updates for the server to validate; a 409 is a retryable
/// CommitConflict exactly like a lost compare-and-swap. The tables' files are read and written directly, so the
/// warehouse folder must be the same path on the client and the server (one machine or a shared mount).
/// A table Floe creates is written in the warehouse and recorded with <c>register</c>.
/// </summary>
public sealed class RestCatalog : ICatalog, IUpdatingCatalog, ILocationMappingStore, IDisposable
{
    private readonly HttpClient _http;
    private readonly string _base;
    private readonly string _described;
    private readonly string _warehouse;
    private readonly Dictionary<TableIdentifier, (string Location, ReadOnlyMemory<byte> Metadata)> _loaded = new();
    private string _prefix = "";
    private string? _bearer;

    /// <summary>
    /// Connects to the REST catalog at <paramref name="uri"/> (<c>http(s)://host:port[/path]</c>; <c>/v1/...</c> is
    /// appended) for tables whose files live under <paramref name="warehouse"/>, fetching <c>/v1/config</c> (its
    /// <c>prefix</c> override is honoured). <paramref name="token"/> is sent as a bearer token;
    /// <paramref name="credential"/> (<c>client_id:client_secret</c>) is exchanged for one at <c>/v1/oauth/tokens</c>.
    /// </summary>
    /// <exception cref="FloeException">InvalidArgument (bad URI, credentials refused), Io (unreachable server).</exception>
    public RestCatalog(string uri, string warehouse, string? token = null, string? credential = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(warehouse);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host.Length == 0)
        {
            throw Errors.InvalidArgument($"catalog '{uri}' is not an http(s)://host:port[/path] URI");
        }
        if (parsed.UserInfo.Length > 0) throw Errors.InvalidArgument($"catalog '{parsed.Scheme}://{parsed.Host}': pass credentials with --catalog-token or --catalog-credential, not in the URI");
        _base = parsed.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _described = _base;
        _warehouse = Path.GetFullPath(warehouse);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(60) };
        _bearer = string.IsNullOrEmpty(token) ? null : token;
        if (!string.IsNullOrEmpty(credential)) _bearer = FetchToken(credential);
        using var config = Send(HttpMethod.Get, _base + "/v1/config", null, ErrorKind.Generic);
        var root = config!.RootElement;
        if (root.TryGetProperty("overrides", out var overrides) && overrides.ValueKind == JsonValueKind.Object)
        {
            if (overrides.TryGetProperty("prefix", out var prefix) && prefix.GetString() is { Length: > 0 } p) _prefix = p.Trim('/') + "/";
        }
        else if (root.TryGetProperty("defaults", out var defaults) && defaults.ValueKind == JsonValueKind.Object
            && defaults.TryGetProperty("prefix", out var prefix) && prefix.GetString() is { Length: > 0 } p)
        {
            _prefix = p.Trim('/') + "/";
        }
        if (root.TryGetProperty("defaults", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("warehouse", out var w)
            && w.GetString() is { } served && served.StartsWith("file://", StringComparison.Ordinal))
        {
            ServedWarehouse = new Uri(served).LocalPath;
        }
        if (root.TryGetProperty("overrides", out var o2) && o2.ValueKind == JsonValueKind.Object && o2.TryGetProperty("warehouse", out var w2)
            && w2.GetString() is { } forced && forced.StartsWith("file://", StringComparison.Ordinal))
        {
            ServedWarehouse = new Uri(forced).LocalPath;
        }
        Name = "rest";
    }

    /// <summary>The local folder the server says its tables live in (<c>warehouse</c> in its config), when it names one.</summary>
    public string? ServedWarehouse { get; }

    /// <inheritdoc />
    public string Name { get; }

    private enum ErrorKind
    {
        Generic,
        Namespace,
        Table,
    }

    /// <inheritdoc />
    public void CreateNamespace(string ns, IReadOnlyDictionary<string, string>? properties = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        _ = new TableIdentifier(ns, "x");
        using var answered = Send(HttpMethod.Post, Url("namespaces"), Body(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("namespace");
            WriteLevels(w, ns);
            w.WriteStartObject("properties");
            foreach (var (k, v) in properties ?? new Dictionary<string, string>()) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteEndObject();
        }), ErrorKind.Namespace);
    }

    /// <inheritdoc />
    public bool NamespaceExists(string ns) => Exists(Url("namespaces/" + RestNamespace.ToPath(ns)));

    /// <inheritdoc />
    public IReadOnlyList<string> ListNamespaces()
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string?>();
        pending.Push(null);
        while (pending.Count > 0)
        {
            var parent = pending.Pop();
            foreach (var child in Paged(Url("namespaces") + (parent is null ? "" : "?parent=" + RestNamespace.ToPath(parent)), "namespaces", ErrorKind.Namespace))
            {
                var ns = ReadLevels(child);
                if (result.Add(ns)) pending.Push(ns);
            }
        }
        return result.ToList();
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> LoadNamespaceProperties(string ns)
    {
        using var doc = Send(HttpMethod.Get, Url("namespaces/" + RestNamespace.ToPath(ns)), null, ErrorKind.Namespace);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (doc!.RootElement.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in props.EnumerateObject()) result[p.Name] = p.Value.GetString() ?? "";
        }
        return result;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> UpdateNamespaceProperties(string ns, IReadOnlyDictionary<string, string> updates, IReadOnlyList<string> removals)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(removals);
        using var doc = Send(HttpMethod.Post, Url("namespaces/" + RestNamespace.ToPath(ns) + "/properties"), Body(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("removals");
            foreach (var key in removals) w.WriteStringValue(key);
            w.WriteEndArray();
            w.WriteStartObject("updates");
            foreach (var (k, v) in updates) w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteEndObject();
        }), ErrorKind.Namespace);
        var missing = new List<string>();
        if (doc!.RootElement.TryGetProperty("missing", out var m) && m.ValueKind == JsonValueKind.Array)
        {
            foreach (var key in m.EnumerateArray()) missing.Add(key.GetString() ?? "");
        }
        return missing;
    }

    /// <inheritdoc />
    public void DropNamespace(string ns)
    {
        using var answered = Send(HttpMethod.Delete, Url("namespaces/" + RestNamespace.ToPath(ns)), null, ErrorKind.Namespace);
    }

    /// <inheritdoc />
    public IReadOnlyList<TableIdentifier> ListTables(string? ns = null)
    {
        var result = new List<TableIdentifier>();
        foreach (var space in ns is null ? ListNamespaces() : new[] { ns })
        {
            foreach (var e in Paged(Url("namespaces/" + RestNamespace.ToPath(space) + "/tables"), "identifiers", ErrorKind.Namespace))
            {
                var text = ReadLevels(e.GetProperty("namespace")) + "." + e.GetProperty("name").GetString();
                // Tables other engines named in ways Floe cannot turn into folders are not Floe's to address.
                if (TableIdentifier.IsValid(text)) result.Add(TableIdentifier.Parse(text));
            }
        }
        result.Sort((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));
        return result;
    }

    /// <inheritdoc />
    public string LoadMetadataLocation(TableIdentifier id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var bytes = SendBytes(HttpMethod.Get, TableUrl(id), null, ErrorKind.Table);
        var (location, metadata) = SplitLoadResult(bytes, id);
        // Kept for the Refresh that follows, so the metadata is parsed once, from the answer, not again from its file.
        lock (_loaded) _loaded[id] = (location, metadata);
        return location;
    }

    /// <inheritdoc />
    public TableMetadata? LoadedMetadata(TableIdentifier id, string location)
    {
        ArgumentNullException.ThrowIfNull(id);
        (string Location, ReadOnlyMemory<byte> Metadata) entry;
        lock (_loaded)
        {
            if (!_loaded.Remove(id, out entry)) return null;
        }
        return entry.Location == location && entry.Metadata.Length > 0 ? TableMetadataParser.Parse(entry.Metadata, location) : null;
    }

    /// <summary>The <c>metadata-location</c> and the raw <c>metadata</c> object of a LoadTableResult, found with one reader pass.</summary>
    private (string Location, ReadOnlyMemory<byte> Metadata) SplitLoadResult(byte[] bytes, TableIdentifier id)
    {
        string? location = null;
        var metadata = ReadOnlyMemory<byte>.Empty;
        try
        {
            var reader = new Utf8JsonReader(bytes);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (name == "metadata-location" && reader.TokenType == JsonTokenType.String)
                    {
                        location = reader.GetString();
                    }
                    else if (name == "metadata" && reader.TokenType == JsonTokenType.StartObject)
                    {
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        metadata = bytes.AsMemory(start, (int)reader.BytesConsumed - start);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException e)
        {
            throw Errors.InvalidData($"catalog {_described}: loadTable of '{id}' answered with invalid JSON ({e.Message})");
        }
        return location is not null
            ? (location, metadata)
            : throw Errors.InvalidData($"catalog {_described}: loadTable of '{id}' answered without a metadata-location");
    }

    /// <inheritdoc />
    public bool TableExists(TableIdentifier id) => Exists(TableUrl(id));

    /// <inheritdoc />
    public void CreateTableEntry(TableIdentifier id, string metadataLocation)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!NamespaceExists(id.Namespace)) CreateNamespace(id.Namespace);
        using var answered = Send(HttpMethod.Post, Url("namespaces/" + RestNamespace.ToPath(id.Namespace) + "/register"), Body(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", id.Name);
            w.WriteString("metadata-location", metadataLocation);
            w.WriteEndObject();
        }), ErrorKind.Table);
    }

    /// <inheritdoc />
    /// <remarks>A REST catalog applies commits itself (<see cref="CommitTable"/>); there is no pointer to swap.</remarks>
    public void SwapMetadataLocation(TableIdentifier id, string expectedMetadataLocation, string newMetadataLocation) =>
        throw Errors.Unsupported($"catalog {_described}: a REST catalog takes commits as table updates, not pointer swaps");

    /// <inheritdoc />
    public (TableMetadata Metadata, string Location) CommitTable(TableIdentifier id, TableCommit commit, int formatVersion)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(commit);
        var bytes = SendBytes(HttpMethod.Post, TableUrl(id), Body(w => commit.WriteJson(w, id, formatVersion)), ErrorKind.Table);
        var (location, metadata) = SplitLoadResult(bytes, id);
        if (metadata.Length == 0) throw Errors.InvalidData($"catalog {_described}: the commit to '{id}' answered without metadata");
        return (TableMetadataParser.Parse(metadata, location), location);
    }

    /// <inheritdoc />
    public void RenameTable(TableIdentifier from, TableIdentifier to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        using var answered = Send(HttpMethod.Post, Url("tables/rename"), Body(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("source");
            WriteIdentifier(w, from);
            w.WritePropertyName("destination");
            WriteIdentifier(w, to);
            w.WriteEndObject();
        }), ErrorKind.Table);
    }

    /// <inheritdoc />
    /// <remarks>Never asks the server to purge: Floe deletes a purged table's files itself, under its own rules.</remarks>
    public void DropTableEntry(TableIdentifier id)
    {
        using var answered = Send(HttpMethod.Delete, TableUrl(id) + "?purgeRequested=false", null, ErrorKind.Table);
    }

    /// <inheritdoc />
    public string DefaultTableLocation(TableIdentifier id) => "file://" + WarehouseLayout.TableFolder(_warehouse, id);

    /// <inheritdoc />
    /// <remarks>
    /// A REST catalog has nowhere to keep location mappings, so only tables in their own folder (the identity
    /// mapping) can be registered through one.
    /// </remarks>
    public void Save(TableIdentifier id, IReadOnlyList<(string From, string To)> mappings)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        foreach (var (from, to) in mappings)
        {
            if (from.TrimEnd('/') != "file://" + to.TrimEnd('/') && from.TrimEnd('/') != to.TrimEnd('/'))
            {
                throw Errors.Unsupported($"table '{id}': registering with a location map is not supported through a REST catalog (it cannot keep the map)");
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<(string From, string To)> Load(TableIdentifier id) => Array.Empty<(string, string)>();

    /// <inheritdoc />
    public void Remove(TableIdentifier id)
    {
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private string Url(string relative) => _base + "/v1/" + _prefix + relative;

    private string TableUrl(TableIdentifier id) => Url("namespaces/" + RestNamespace.ToPath(id.Namespace) + "/tables/" + Uri.EscapeDataString(id.Name));

    private IEnumerable<JsonElement> Paged(string url, string field, ErrorKind kind)
    {
        string? token = null;
        do
        {
            var page = token is null ? url : url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "pageToken=" + Uri.EscapeDataString(token);
            using var doc = Send(HttpMethod.Get, page, null, kind);
            var items = new List<JsonElement>();
            if (doc!.RootElement.TryGetProperty(field, out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var e in array.EnumerateArray()) items.Add(e.Clone());
            }
            token = doc.RootElement.TryGetProperty("next-page-token", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            foreach (var e in items) yield return e;
        }
        while (!string.IsNullOrEmpty(token));
    }

    private bool Exists(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        using var response = Transmit(request);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (response.IsSuccessStatusCode) return true;
        throw Failure(response, ErrorKind.Generic);
    }

    private string FetchToken(string credential)
    {
        var colon = credential.IndexOf(':', StringComparison.Ordinal);
        var (id, secret) = colon < 0 ? ("", credential) : (credential[..colon], credential[(colon + 1)..]);
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "client_credentials"),
            new("client_id", id),
            new("client_secret", secret),
            new("scope", "PRINCIPAL_ROLE:ALL"),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, _base + "/v1/oauth/tokens") { Content = new FormUrlEncodedContent(form) };
        using var response = Transmit(request);
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            throw Errors.InvalidArgument($"catalog {_described}: the client credentials were refused ({(int)response.StatusCode}{Describe(text)})");
        }
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.TryGetProperty("access_token", out var t) && t.GetString() is { Length: > 0 } access
            ? access
            : throw Errors.InvalidData($"catalog {_described}: /v1/oauth/tokens answered without an access_token");
    }

    private JsonDocument? Send(HttpMethod method, string url, byte[]? body, ErrorKind kind)
    {
        var bytes = SendBytes(method, url, body, kind);
        if (bytes.Length == 0) return null;
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw Errors.InvalidData($"catalog {_described}: {method} {url} answered with invalid JSON ({e.Message})");
        }
    }

    private byte[] SendBytes(HttpMethod method, string url, byte[]? body, ErrorKind kind)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }
        using var response = Transmit(request);
        if (!response.IsSuccessStatusCode) throw Failure(response, kind);
        return response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
    }

    private HttpResponseMessage Transmit(HttpRequestMessage request)
    {
        if (_bearer is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _bearer);
        try
        {
            return _http.Send(request);
        }
        catch (HttpRequestException e)
        {
            throw new FloeException(FloeErrorCode.Io, $"catalog {_described} is unreachable: {e.Message}", e);
        }
        catch (TaskCanceledException e)
        {
            throw new FloeException(FloeErrorCode.Io, $"catalog {_described} did not answer {request.Method} {request.RequestUri?.AbsolutePath} within {_http.Timeout.TotalSeconds:0}s", e);
        }
    }

    private FloeException Failure(HttpResponseMessage response, ErrorKind kind)
    {
        var status = (int)response.StatusCode;
        string? type = null;
        string? message = null;
        try
        {
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (text.Length > 0)
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    type = error.TryGetProperty("type", out var t) ? t.GetString() : null;
                    message = error.TryGetProperty("message", out var m) ? m.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            // Not an ErrorModel (a proxy's page): the status alone speaks.
        }
        var what = $"catalog {_described}: {message ?? response.ReasonPhrase ?? "error"} (HTTP {status}{(type is null ? "" : " " + type)})";
        return status switch
        {
            401 => Errors.InvalidArgument($"catalog {_described}: not authorized (HTTP 401{(message is null ? "" : ": " + message)}); pass --catalog-token or --catalog-credential"),
            403 => Errors.InvalidArgument($"catalog {_described}: forbidden (HTTP 403{(message is null ? "" : ": " + message)})"),
            404 => Errors.NotFound(message is not null ? $"catalog {_described}: {message}" : kind == ErrorKind.Namespace ? what + " (no such namespace)" : what),
            409 when type is "CommitFailedException" => Errors.CommitConflict(what),
            409 when type is "NamespaceNotEmptyException" => Errors.InvalidArgument(what),
            409 => Errors.AlreadyExists(what),
            400 or 422 => Errors.InvalidArgument(what),
            406 or 501 => Errors.Unsupported(what),
            _ => new FloeException(FloeErrorCode.Io, what),
        };
    }

    private static string Describe(string text) => text.Length == 0 ? "" : ": " + (text.Length > 200 ? text[..200] : text);

    private static byte[] Body(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return buffer.WrittenSpan.ToArray();
    }

    private static string ReadLevels(JsonElement array)
    {
        var levels = new List<string>();
        foreach (var level in array.EnumerateArray()) levels.Add(level.GetString() ?? "");
        return RestNamespace.FromLevels(levels);
    }

    private static void WriteLevels(Utf8JsonWriter w, string ns)
    {
        w.WriteStartArray();
        foreach (var level in ns.Split('.')) w.WriteStringValue(level);
        w.WriteEndArray();
    }

    private static void WriteIdentifier(Utf8JsonWriter w, TableIdentifier id)
    {
        w.WriteStartObject();
        w.WritePropertyName("namespace");
        WriteLevels(w, id.Namespace);
        w.WriteString("name", id.Name);
        w.WriteEndObject();
    }
}
