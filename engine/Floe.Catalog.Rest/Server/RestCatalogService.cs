using System.Buffers;
using System.Text;
using System.Text.Json;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;
using Floe.Core.Types;
using Floe.Iceberg.Spec;
using Floe.Iceberg.Tables;
using Floe.Iceberg.Transactions.Updates;

namespace Floe.Catalog.Rest.Server;

/// <summary>
/// The Iceberg REST catalog protocol over one <see cref="Warehouse"/> (whatever catalog it uses): routing, request
/// parsing, the spec's error model and bearer-token checks, with no HTTP machinery of its own, so it can be driven
/// by a socket server or directly by tests. Commits are checked and applied by the same code as local commits
/// (<see cref="TableOperations.Commit(TableMetadata, string, TableCommit, long)"/>): a failed requirement is a 409
/// <c>CommitFailedException</c>; a compare-and-swap lost to another writer is retried here against the new metadata.
/// Tables are only created, registered and purged inside the warehouse folder, as local commands do.
/// </summary>
public sealed class RestCatalogService
{
    private const int CommitAttempts = 8;
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Warehouse _warehouse;
    private readonly string? _token;

    /// <summary>Serves <paramref name="warehouse"/>; with <paramref name="token"/> every request must carry it as a bearer token.</summary>
    public RestCatalogService(Warehouse warehouse, string? token)
    {
        ArgumentNullException.ThrowIfNull(warehouse);
        _warehouse = warehouse;
        _token = string.IsNullOrEmpty(token) ? null : token;
    }

    /// <summary>
    /// Answers one request. <paramref name="path"/> is the decoded path split at <c>/</c> (without the query),
    /// <paramref name="query"/> the decoded query parameters, <paramref name="authorization"/> the Authorization header.
    /// Never throws: every failure becomes an ErrorModel answer.
    /// </summary>
    public RestResponse Handle(string method, IReadOnlyList<string> path, IReadOnlyDictionary<string, string> query, string? authorization, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(query);
        var kind = ErrorKind.Generic;
        try
        {
            if (path.Count < 2 || path[0] != "v1") return Error(404, "NoSuchResourceException", "no such endpoint: /" + string.Join('/', path));
            if (path.Count == 3 && path[1] == "oauth" && path[2] == "tokens" && method == "POST") return Token(body);
            if (_token is not null && authorization != "Bearer " + _token)
            {
                return Error(401, "NotAuthorizedException", authorization is null ? "a bearer token is required" : "the bearer token is not valid");
            }
            var route = path.Skip(1).ToArray();
            switch (route)
            {
                case ["config"] when method == "GET":
                    return Config();
                case ["namespaces"] when method == "GET":
                    return ListNamespaces(query);
                case ["namespaces"] when method == "POST":
                    return CreateNamespace(body);
                case ["tables", "rename"] when method == "POST":
                    kind = ErrorKind.Table;
                    return Rename(body);
                case ["namespaces", var ns]:
                    kind = ErrorKind.Namespace;
                    return Namespace(method, RestNamespace.FromPath(ns));
                case ["namespaces", var ns, "properties"] when method == "POST":
                    kind = ErrorKind.Namespace;
                    return UpdateProperties(RestNamespace.FromPath(ns), body);
                case ["namespaces", var ns, "tables"] when method == "GET":
                    kind = ErrorKind.Namespace;
                    return ListTables(RestNamespace.FromPath(ns), query);
                case ["namespaces", var ns, "tables"] when method == "POST":
                    kind = ErrorKind.Namespace;
                    return CreateTable(RestNamespace.FromPath(ns), body);
                case ["namespaces", var ns, "register"] when method == "POST":
                    kind = ErrorKind.Namespace;
                    return Register(RestNamespace.FromPath(ns), body);
                case ["namespaces", var ns, "tables", var name]:
                    kind = ErrorKind.Table;
                    return Table(method, new TableIdentifier(RestNamespace.FromPath(ns), name), query, body);
                default:
                    return Error(method == "GET" || method == "POST" || method == "DELETE" || method == "HEAD" ? 404 : 405, "NoSuchResourceException", $"no endpoint {method} /{string.Join('/', path)}");
            }
        }
        catch (FloeException e)
        {
            return FromException(e, kind);
        }
        catch (JsonException e)
        {
            return Error(400, "BadRequestException", "the request body is not valid JSON: " + e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException or UriFormatException)
        {
            return Error(400, "BadRequestException", "malformed request: " + e.Message);
        }
#pragma warning disable CA1031 // The server must answer every request; anything else is reported as the spec's 500.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Error(500, "InternalServerError", e.Message);
        }
    }

    private enum ErrorKind
    {
        Generic,
        Namespace,
        Table,
    }

    private RestResponse Config() => Json(200, w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("defaults");
        w.WriteString("warehouse", "file://" + _warehouse.Directory);
        w.WriteEndObject();
        w.WriteStartObject("overrides");
        w.WriteEndObject();
        w.WriteStartArray("endpoints");
        foreach (var e in Endpoints) w.WriteStringValue(e);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static readonly string[] Endpoints =
    {
        "GET /v1/{prefix}/namespaces", "POST /v1/{prefix}/namespaces", "GET /v1/{prefix}/namespaces/{namespace}",
        "HEAD /v1/{prefix}/namespaces/{namespace}", "DELETE /v1/{prefix}/namespaces/{namespace}",
        "POST /v1/{prefix}/namespaces/{namespace}/properties", "GET /v1/{prefix}/namespaces/{namespace}/tables",
        "POST /v1/{prefix}/namespaces/{namespace}/tables", "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
        "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}", "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}",
        "DELETE /v1/{prefix}/namespaces/{namespace}/tables/{table}", "POST /v1/{prefix}/namespaces/{namespace}/register",
        "POST /v1/{prefix}/tables/rename",
    };

    private RestResponse Token(ReadOnlyMemory<byte> body)
    {
        var form = ParseForm(Encoding.UTF8.GetString(body.Span));
        if (!form.TryGetValue("grant_type", out var grant) || grant != "client_credentials")
        {
            return OAuthError(400, "unsupported_grant_type", "only the client_credentials grant is supported");
        }
        form.TryGetValue("client_secret", out var secret);
        if (_token is not null && secret != _token) return OAuthError(401, "invalid_client", "the client credentials are not valid");
        return Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteString("access_token", _token ?? "floe");
            w.WriteString("token_type", "bearer");
            w.WriteString("issued_token_type", "urn:ietf:params:oauth:token-type:access_token");
            w.WriteNumber("expires_in", 3600);
            w.WriteEndObject();
        });
    }

    private RestResponse ListNamespaces(IReadOnlyDictionary<string, string> query)
    {
        var parent = query.TryGetValue("parent", out var p) && p.Length > 0 ? RestNamespace.FromPath(p) : null;
        if (parent is not null && !_warehouse.Catalog.NamespaceExists(parent))
        {
            throw Errors.NotFound($"namespace '{parent}' does not exist");
        }
        var depth = parent is null ? 1 : parent.Split('.').Length + 1;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var ns in _warehouse.Catalog.ListNamespaces())
        {
            if (parent is not null && !ns.StartsWith(parent + ".", StringComparison.Ordinal)) continue;
            var levels = ns.Split('.');
            if (levels.Length >= depth) names.Add(string.Join('.', levels, 0, depth));
        }
        var (page, next) = Page(names.ToList(), query);
        return Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("namespaces");
            foreach (var ns in page) WriteLevels(w, ns);
            w.WriteEndArray();
            if (next is not null) w.WriteString("next-page-token", next);
            w.WriteEndObject();
        });
    }

    private RestResponse CreateNamespace(ReadOnlyMemory<byte> body)
    {
        using var doc = JsonDocument.Parse(body);
        var ns = ReadLevels(doc.RootElement, "namespace");
        var properties = ReadStringMap(doc.RootElement, "properties");
        _warehouse.Catalog.CreateNamespace(ns, properties);
        return Json(200, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("namespace");
            WriteLevels(w, ns);
            WriteMap(w, "properties", properties);
            w.WriteEndObject();
        });
    }

    private RestResponse Namespace(string method, string ns)
    {
        switch (method)
        {
            case "GET":
                var properties = _warehouse.Catalog.LoadNamespaceProperties(ns);
                return Json(200, w =>
                {
                    w.WriteStartObject();
                    w.WritePropertyName("namespace");
                    WriteLevels(w, ns);
                    WriteMap(w, "properties", properties);
                    w.WriteEndObject();
                });
            case "HEAD":
                return RestResponse.Empty(_warehouse.Catalog.NamespaceExists(ns) ? 204 : 404);
            case "DELETE":
                _warehouse.Catalog.DropNamespace(ns);
                return RestResponse.Empty(204);
            default:
                return Error(405, "BadRequestException", $"{method} is not allowed on a namespace");
        }
    }

    private RestResponse UpdateProperties(string ns, ReadOnlyMemory<byte> body)
    {
        using var doc = JsonDocument.Parse(body);
        var updates = ReadStringMap(doc.RootElement, "updates");
        var removals = new List<string>();
        if (doc.RootElement.TryGetProperty("removals", out var r) && r.ValueKind == JsonValueKind.Array)
        {
            foreach (var key in r.EnumerateArray()) removals.Add(key.GetString() ?? throw Errors.InvalidArgument("removals must be strings"));
        }
        foreach (var key in removals)
        {
            if (updates.ContainsKey(key)) throw Errors.InvalidArgument($"property '{key}' is both updated and removed");
        }
        var missing = _warehouse.Catalog.UpdateNamespaceProperties(ns, updates, removals);
        return Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("updated");
            foreach (var key in updates.Keys) w.WriteStringValue(key);
            w.WriteEndArray();
            w.WriteStartArray("removed");
            foreach (var key in removals)
            {
                if (!missing.Contains(key)) w.WriteStringValue(key);
            }
            w.WriteEndArray();
            w.WriteStartArray("missing");
            foreach (var key in missing) w.WriteStringValue(key);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private RestResponse ListTables(string ns, IReadOnlyDictionary<string, string> query)
    {
        if (!_warehouse.Catalog.NamespaceExists(ns)) throw Errors.NotFound($"namespace '{ns}' does not exist");
        var names = new List<string>();
        foreach (var id in _warehouse.Catalog.ListTables(ns)) names.Add(id.Name);
        names.Sort(StringComparer.Ordinal);
        var (page, next) = Page(names, query);
        return Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("identifiers");
            foreach (var name in page) WriteIdentifier(w, new TableIdentifier(ns, name));
            w.WriteEndArray();
            if (next is not null) w.WriteString("next-page-token", next);
            w.WriteEndObject();
        });
    }

    private RestResponse CreateTable(string ns, ReadOnlyMemory<byte> body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var id = new TableIdentifier(ns, RequiredString(root, "name"));
        if (!_warehouse.Catalog.NamespaceExists(ns)) throw Errors.NotFound($"namespace '{ns}' does not exist");
        if (root.TryGetProperty("stage-create", out var stage) && stage.ValueKind == JsonValueKind.True)
        {
            throw Errors.Unsupported("staged table creation (stage-create) is not supported");
        }
        if (root.TryGetProperty("location", out var loc) && loc.ValueKind == JsonValueKind.String && loc.GetString() is { Length: > 0 } location
            && location.TrimEnd('/') != _warehouse.Catalog.DefaultTableLocation(id))
        {
            throw Errors.InvalidArgument($"location '{location}': Floe keeps a table's files in its warehouse folder ({_warehouse.Catalog.DefaultTableLocation(id)})");
        }
        if (!root.TryGetProperty("schema", out var schemaJson)) throw Errors.InvalidArgument("createTable needs a schema");
        var schema = SchemaParser.Parse(schemaJson.GetRawText(), "schema");
        var spec = PartitionSpec.Unpartitioned;
        if (root.TryGetProperty("partition-spec", out var specJson) && specJson.ValueKind == JsonValueKind.Object
            && specJson.TryGetProperty("fields", out var fields) && fields.GetArrayLength() > 0)
        {
            spec = PartitionSpecParser.Parse(fields.GetRawText(), "partition-spec");
        }
        if (root.TryGetProperty("write-order", out var order) && order.ValueKind == JsonValueKind.Object
            && order.TryGetProperty("fields", out var orderFields) && orderFields.GetArrayLength() > 0)
        {
            throw Errors.Unsupported("a write-order (sort order) on table creation is not supported yet");
        }
        var table = _warehouse.CreateTable(id, schema, spec, ReadStringMap(root, "properties"));
        return LoadResult(table.Io, table.MetadataLocation);
    }

    private RestResponse Register(string ns, ReadOnlyMemory<byte> body)
    {
        using var doc = JsonDocument.Parse(body);
        var id = new TableIdentifier(ns, RequiredString(doc.RootElement, "name"));
        if (doc.RootElement.TryGetProperty("overwrite", out var overwrite) && overwrite.ValueKind == JsonValueKind.True)
        {
            throw Errors.Unsupported("registering with overwrite is not supported; drop the table first");
        }
        if (!_warehouse.Catalog.NamespaceExists(ns)) throw Errors.NotFound($"namespace '{ns}' does not exist");
        var location = RequiredString(doc.RootElement, "metadata-location");
        var path = location.StartsWith("file://", StringComparison.Ordinal) ? new Uri(location).LocalPath : location;
        if (!Path.IsPathFullyQualified(path)) throw Errors.InvalidArgument($"metadata-location '{location}' must be an absolute file:// location");
        path = Path.GetFullPath(path);
        // A network client may only point the catalog at files of this warehouse: the server never reads elsewhere.
        if (!path.StartsWith(_warehouse.Directory.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw Errors.InvalidArgument($"metadata-location '{location}' is outside the served warehouse {_warehouse.Directory}");
        }
        Table table;
        var ownFolder = WarehouseLayout.TableFolder(_warehouse.Directory, id) + "/metadata/";
        if (path.StartsWith(ownFolder, StringComparison.Ordinal)
            && TableOperations.ReadMetadata(new Floe.Core.Io.LocalFileIO(), path).Location.TrimEnd('/') == _warehouse.Catalog.DefaultTableLocation(id))
        {
            // Written in this table's own warehouse folder (a Floe client's createTable): a created table, not a
            // registered one, so maintenance and purge may delete its files as for a local table.
            if (_warehouse.Catalog.TableExists(id)) throw Errors.AlreadyExists($"table '{id}' already exists");
            _warehouse.Catalog.CreateTableEntry(id, "file://" + path);
            table = _warehouse.LoadTable(id);
        }
        else
        {
            table = _warehouse.RegisterTable(id, path);
        }
        return LoadResult(table.Io, table.MetadataLocation);
    }

    private RestResponse Table(string method, TableIdentifier id, IReadOnlyDictionary<string, string> query, ReadOnlyMemory<byte> body)
    {
        switch (method)
        {
            case "GET":
                // The metadata file goes out as it is, unparsed: a 10,000-snapshot table's 6 MiB need no round trip.
                return LoadResult(_warehouse.TableIo(id), _warehouse.Catalog.LoadMetadataLocation(id));
            case "HEAD":
                return RestResponse.Empty(_warehouse.Catalog.TableExists(id) ? 204 : 404);
            case "DELETE":
                var purge = query.TryGetValue("purgeRequested", out var p) && p.Equals("true", StringComparison.OrdinalIgnoreCase);
                _warehouse.DropTable(id, purge, deleteRegisteredFiles: false);
                return RestResponse.Empty(204);
            case "POST":
                return Commit(id, body);
            default:
                return Error(405, "BadRequestException", $"{method} is not allowed on a table");
        }
    }

    private RestResponse Commit(TableIdentifier id, ReadOnlyMemory<byte> body)
    {
        var table = _warehouse.LoadTable(id);
        var ops = table.Operations;
        using var doc = JsonDocument.Parse(body);
        if (doc.RootElement.TryGetProperty("identifier", out var ident) && ident.ValueKind == JsonValueKind.Object)
        {
            var named = new TableIdentifier(ReadLevels(ident, "namespace"), RequiredString(ident, "name"));
            if (named != id) throw Errors.InvalidArgument($"the commit names table '{named}' but was sent to '{id}'");
        }
        var commit = TableCommitJson.Read(doc.RootElement, table.Metadata.FormatVersion, $"commit to '{id}'");
        for (var attempt = 1; ; attempt++)
        {
            var (metadata, location) = ops.Refresh();
            try
            {
                var committed = ops.Commit(metadata, location, commit, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                return LoadResult(ops.Io, committed);
            }
            catch (FloeException e) when (e.Code == FloeErrorCode.CommitConflict && attempt < CommitAttempts)
            {
                // Retry only when another writer moved the pointer between our read and our swap; a requirement
                // that failed against an unchanged table is the client's conflict.
                if (ops.Catalog.LoadMetadataLocation(id) == location) throw;
            }
        }
    }

    private RestResponse Rename(ReadOnlyMemory<byte> body)
    {
        using var doc = JsonDocument.Parse(body);
        var from = ReadIdentifier(doc.RootElement, "source");
        var to = ReadIdentifier(doc.RootElement, "destination");
        if (!_warehouse.Catalog.TableExists(from)) throw Errors.NotFound($"table '{from}' does not exist");
        if (!_warehouse.Catalog.NamespaceExists(to.Namespace))
        {
            return Error(404, "NoSuchNamespaceException", $"namespace '{to.Namespace}' does not exist");
        }
        _warehouse.RenameTable(from, to);
        return RestResponse.Empty(204);
    }

    private static RestResponse LoadResult(Floe.Core.Io.IFileIO io, string metadataLocation)
    {
        byte[] raw;
        using (var stream = io.OpenRead(metadataLocation))
        using (var buffer = new MemoryStream())
        {
            stream.CopyTo(buffer);
            raw = buffer.ToArray();
        }
        if (!IsJson(raw)) throw Errors.InvalidData(metadataLocation, "the table's metadata file is not valid JSON");
        return Json(200, w =>
        {
            w.WriteStartObject();
            w.WriteString("metadata-location", metadataLocation);
            w.WritePropertyName("metadata");
            w.WriteRawValue(raw, skipInputValidation: true);
            w.WriteStartObject("config");
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static bool IsJson(byte[] raw)
    {
        var reader = new Utf8JsonReader(raw);
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private RestResponse FromException(FloeException e, ErrorKind kind)
    {
        var message = e.Message;
        switch (e.Code)
        {
            case FloeErrorCode.NotFound:
                var type = message.StartsWith("namespace", StringComparison.Ordinal) || kind == ErrorKind.Namespace ? "NoSuchNamespaceException" : "NoSuchTableException";
                return Error(404, type, message);
            case FloeErrorCode.AlreadyExists:
                return Error(409, "AlreadyExistsException", message);
            case FloeErrorCode.CommitConflict:
                return Error(409, "CommitFailedException", message);
            case FloeErrorCode.InvalidArgument when message.Contains("is not empty", StringComparison.Ordinal):
                return Error(409, "NamespaceNotEmptyException", message);
            case FloeErrorCode.InvalidArgument:
                return Error(400, "BadRequestException", message);
            case FloeErrorCode.InvalidData when kind == ErrorKind.Table && message.Contains(".metadata.json", StringComparison.Ordinal):
                return Error(500, "InternalServerError", message);
            case FloeErrorCode.InvalidData:
                return Error(400, "BadRequestException", message);
            case FloeErrorCode.Unsupported:
                return Error(406, "UnsupportedOperationException", message);
            case FloeErrorCode.Io:
                return Error(503, "ServiceUnavailableException", message);
            default:
                return Error(500, "InternalServerError", message);
        }
    }

    /// <summary>An ErrorModel answer: <c>{"error":{"message","type","code"}}</c>.</summary>
    internal static RestResponse Error(int status, string type, string message) => Json(status, w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteString("type", type);
        w.WriteNumber("code", status);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static RestResponse OAuthError(int status, string error, string description) => Json(status, w =>
    {
        w.WriteStartObject();
        w.WriteString("error", error);
        w.WriteString("error_description", description);
        w.WriteEndObject();
    });

    private static RestResponse Json(int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) write(w);
        return new RestResponse(status, buffer.WrittenSpan.ToArray());
    }

    /// <summary>Keyset paging: the token is the last name of the previous page, so concurrent creations never shift pages.</summary>
    private static (List<string> Page, string? Next) Page(List<string> sorted, IReadOnlyDictionary<string, string> query)
    {
        var start = 0;
        if (query.TryGetValue("pageToken", out var token) && token.Length > 0)
        {
            while (start < sorted.Count && string.CompareOrdinal(sorted[start], token) <= 0) start++;
        }
        var size = sorted.Count - start;
        if (query.TryGetValue("pageSize", out var s) && s.Length > 0)
        {
            if (!int.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var requested) || requested < 1)
            {
                throw Errors.InvalidArgument($"pageSize '{s}' must be a positive integer");
            }
            size = Math.Min(size, requested);
        }
        var page = sorted.GetRange(start, size);
        return (page, start + size < sorted.Count ? page[^1] : null);
    }

    private static Dictionary<string, string> ParseForm(string form)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            result[key] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        }
        return result;
    }

    private static string RequiredString(JsonElement obj, string key) =>
        obj.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Errors.InvalidArgument($"request field '{key}' must be a string");

    private static string ReadLevels(JsonElement obj, string key)
    {
        if (!obj.TryGetProperty(key, out var v) || v.ValueKind != JsonValueKind.Array || v.GetArrayLength() == 0)
        {
            throw Errors.InvalidArgument($"request field '{key}' must be a non-empty array of namespace levels");
        }
        var levels = new List<string>();
        foreach (var level in v.EnumerateArray()) levels.Add(level.GetString() ?? throw Errors.InvalidArgument($"'{key}' levels must be strings"));
        foreach (var level in levels)
        {
            if (level.Contains('.', StringComparison.Ordinal)) throw Errors.InvalidArgument($"namespace level '{level}' contains a dot, which Floe uses to join levels");
        }
        var ns = RestNamespace.FromLevels(levels);
        _ = new TableIdentifier(ns, "x");
        return ns;
    }

    private static TableIdentifier ReadIdentifier(JsonElement obj, string key)
    {
        if (!obj.TryGetProperty(key, out var v) || v.ValueKind != JsonValueKind.Object) throw Errors.InvalidArgument($"request field '{key}' must be a table identifier");
        return new TableIdentifier(ReadLevels(v, "namespace"), RequiredString(v, "name"));
    }

    private static Dictionary<string, string> ReadStringMap(JsonElement obj, string key)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!obj.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return map;
        if (v.ValueKind != JsonValueKind.Object) throw Errors.InvalidArgument($"request field '{key}' must be an object of strings");
        foreach (var p in v.EnumerateObject())
        {
            map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Errors.InvalidArgument($"'{key}.{p.Name}' must be a string");
        }
        return map;
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

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map) w.WriteString(k, v);
        w.WriteEndObject();
    }
}
