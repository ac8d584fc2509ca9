using System.Net;
using System.Text;
using System.Text.Json;
using Floe.Application.Catalogs;
using Floe.Application.Warehouses;
using Floe.Catalog.Rest.Client;
using Floe.Catalog.Rest.Server;
using Floe.Core.Errors;
using Floe.Iceberg.Catalog;

namespace Floe.Catalog.Rest.Tests;

/// <summary>Floe's REST server spoken to with plain HTTP (the wire format of the spec), and Floe's client against it.</summary>
[TestFixture]
public sealed class RestProtocolTests
{
    private const string Token = "t0ken";
    private string _dir = null!;
    private Warehouse _served = null!;
    private RestCatalogServer _server = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-rest-" + Guid.NewGuid().ToString("N"));
        _served = WarehouseFactory.Open(_dir, null, create: true);
        _server = CatalogServing.Start(_served, "127.0.0.1", port: 0, Token);
        _http = new HttpClient { BaseAddress = new Uri(_server.Url) };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
    }

    [TearDown]
    public void TearDown()
    {
        _http.Dispose();
        _server.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private (HttpStatusCode Status, JsonElement Body) Call(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = _http.Send(request);
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private RestCatalog Client(string? token = Token, string? credential = null) => new(_server.Url, _dir, token, credential);

    [Test]
    public void PortZero_TakesAFreePort_AndTheUrlNamesIt()
    {
        using var second = CatalogServing.Start(_served, "127.0.0.1", port: 0, Token);
        var first = new Uri(_server.Url);
        var other = new Uri(second.Url);

        Assert.That(first.Port, Is.GreaterThan(0));
        Assert.That(other.Port, Is.GreaterThan(0).And.Not.EqualTo(first.Port));
        using var http = new HttpClient { BaseAddress = other };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        Assert.That(http.GetAsync(new Uri("v1/config", UriKind.Relative)).GetAwaiter().GetResult().StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var taken = Assert.Throws<FloeException>(() => CatalogServing.Start(_served, "127.0.0.1", other.Port, Token));
        Assert.That(taken!.Code, Is.EqualTo(FloeErrorCode.Io));
        Assert.That(taken.Message, Does.Contain($"127.0.0.1:{other.Port}"));
        Assert.That(Assert.Throws<FloeException>(() => CatalogServing.Start(_served, "127.0.0.1", -1, Token))!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }

    [Test]
    public void Config_Namespaces_AndPagination_FollowTheSpec()
    {
        var (status, config) = Call(HttpMethod.Get, "v1/config");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(config.GetProperty("defaults").GetProperty("warehouse").GetString(), Is.EqualTo("file://" + _served.Directory));

        foreach (var ns in new[] { "b", "a", "c", "a.x" })
        {
            var levels = string.Join(',', ns.Split('.').Select(l => $"\"{l}\""));
            Assert.That(Call(HttpMethod.Post, "v1/namespaces", $"{{\"namespace\":[{levels}],\"properties\":{{\"owner\":\"{ns}\"}}}}").Status, Is.EqualTo(HttpStatusCode.OK));
        }
        var pages = new List<string>();
        string? token = null;
        do
        {
            var (_, page) = Call(HttpMethod.Get, "v1/namespaces?pageSize=2" + (token is null ? "" : "&pageToken=" + Uri.EscapeDataString(token)));
            foreach (var ns in page.GetProperty("namespaces").EnumerateArray()) pages.Add(string.Join('.', ns.EnumerateArray().Select(l => l.GetString())));
            token = page.TryGetProperty("next-page-token", out var next) ? next.GetString() : null;
        }
        while (token is not null);
        Assert.That(pages, Is.EqualTo(new[] { "a", "b", "c" }), "top level only, in pages of two");
        var (_, children) = Call(HttpMethod.Get, "v1/namespaces?parent=a");
        Assert.That(children.GetProperty("namespaces")[0].EnumerateArray().Select(l => l.GetString()), Is.EqualTo(new[] { "a", "x" }));

        var (updated, result) = Call(HttpMethod.Post, "v1/namespaces/b/properties", "{\"updates\":{\"team\":\"ml\"},\"removals\":[\"owner\",\"nope\"]}");
        Assert.That(updated, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(result.GetProperty("missing")[0].GetString(), Is.EqualTo("nope"));
        Assert.That(_served.Catalog.LoadNamespaceProperties("b"), Is.EquivalentTo(new Dictionary<string, string> { ["team"] = "ml" }));

        Assert.That(Call(HttpMethod.Head, "v1/namespaces/c").Status, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(Call(HttpMethod.Delete, "v1/namespaces/c").Status, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(Call(HttpMethod.Head, "v1/namespaces/c").Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(Call(HttpMethod.Head, "v1/namespaces/a%1Fx").Status, Is.EqualTo(HttpStatusCode.NoContent), "levels joined by 0x1F");
    }

    [Test]
    public void Errors_UseTheErrorModel_AndAuthIsEnforced()
    {
        var (status, missing) = Call(HttpMethod.Get, "v1/namespaces/nope/tables/t");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        var error = missing.GetProperty("error");
        Assert.That(error.GetProperty("code").GetInt32(), Is.EqualTo(404));
        Assert.That(error.GetProperty("type").GetString(), Is.EqualTo("NoSuchTableException").Or.EqualTo("NoSuchNamespaceException"));
        Assert.That(error.GetProperty("message").GetString(), Does.Contain("nope"));

        Call(HttpMethod.Post, "v1/namespaces", "{\"namespace\":[\"db\"]}");
        var (dup, exists) = Call(HttpMethod.Post, "v1/namespaces", "{\"namespace\":[\"db\"]}");
        Assert.That(dup, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(exists.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("AlreadyExistsException"));
        var (bad, badBody) = Call(HttpMethod.Post, "v1/namespaces", "{not json");
        Assert.That(bad, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(badBody.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("BadRequestException"));

        _http.DefaultRequestHeaders.Authorization = null;
        var (unauthorized, body) = Call(HttpMethod.Get, "v1/config");
        Assert.That(unauthorized, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("NotAuthorizedException"));

        var refused = Assert.Throws<FloeException>(() => Client(token: null));
        Assert.That(refused!.Message, Does.Contain("401").And.Contain("--catalog-token"));
        var wrongSecret = Assert.Throws<FloeException>(() => Client(token: null, credential: "me:wrong"));
        Assert.That(wrongSecret!.Message, Does.Contain("refused"));
        using var viaCredential = Client(token: null, credential: "me:" + Token);
        Assert.That(viaCredential.NamespaceExists("db"), Is.True, "client_credentials exchanged at /v1/oauth/tokens");
    }

    [Test]
    public void Tables_CreateLoadListRenameDrop_ThroughTheFloeClient()
    {
        using var client = Client();
        var warehouse = new Warehouse(_dir, client, client);
        var table = Events.Create(warehouse, "db.events");
        Events.Append(table, Events.Batch(new[] { 0, 1 }, 3, 0));
        for (var i = 0; i < 5; i++) Events.Create(warehouse, $"db.t{i}");

        var (_, page) = Call(HttpMethod.Get, "v1/namespaces/db/tables?pageSize=4");
        Assert.That(page.GetProperty("identifiers").GetArrayLength(), Is.EqualTo(4));
        Assert.That(page.TryGetProperty("next-page-token", out _), Is.True);
        Assert.That(client.ListTables("db"), Has.Count.EqualTo(6), "the client follows next-page-token");

        var (status, loaded) = Call(HttpMethod.Get, "v1/namespaces/db/tables/events");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(loaded.GetProperty("metadata-location").GetString(), Is.EqualTo(_served.Catalog.LoadMetadataLocation(table.Identifier)));
        Assert.That(loaded.GetProperty("metadata").GetProperty("current-snapshot-id").GetInt64(), Is.EqualTo(table.Metadata.CurrentSnapshotId));
        Assert.That(Call(HttpMethod.Head, "v1/namespaces/db/tables/events").Status, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(_served.IsRegistered(table.Identifier), Is.False, "a table the client created is a created table on the server");

        warehouse.RenameTable(table.Identifier, TableIdentifier.Parse("db.renamed"));
        Assert.That(Events.Count(warehouse.LoadTable(TableIdentifier.Parse("db.renamed"))), Is.EqualTo(6));
        Assert.That(client.TableExists(table.Identifier), Is.False);

        var purged = warehouse.DropTable(TableIdentifier.Parse("db.renamed"), purge: true);
        Assert.That(purged.DeletedFiles, Is.Not.Empty);
        Assert.That(purged.DeletedFiles.Select(l => new Uri(l).LocalPath).Where(File.Exists), Is.Empty);
        Assert.That(Call(HttpMethod.Get, "v1/namespaces/db/tables/renamed").Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void Commit_FailedRequirement_Is409_AndPropertyCommitsApply()
    {
        var table = Events.Create(_served, "db.events");
        Events.Append(table, Events.Batch(new[] { 0 }, 1, 0));
        var uuid = table.Metadata.TableUuid;
        var stale = "{\"requirements\":[{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":1}],\"updates\":[{\"action\":\"set-properties\",\"updates\":{\"k\":\"v\"}}]}";
        var before = _served.Catalog.LoadMetadataLocation(table.Identifier);

        var (status, body) = Call(HttpMethod.Post, "v1/namespaces/db/tables/events", stale);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(body.GetProperty("error").GetProperty("type").GetString(), Is.EqualTo("CommitFailedException"));
        Assert.That(_served.Catalog.LoadMetadataLocation(table.Identifier), Is.EqualTo(before));

        var good = $"{{\"requirements\":[{{\"type\":\"assert-table-uuid\",\"uuid\":\"{uuid}\"}},{{\"type\":\"assert-current-schema-id\",\"current-schema-id\":0}}],\"updates\":[{{\"action\":\"set-properties\",\"updates\":{{\"k\":\"v\"}}}}]}}";
        var (ok, committed) = Call(HttpMethod.Post, "v1/namespaces/db/tables/events", good);
        Assert.That(ok, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(committed.GetProperty("metadata").GetProperty("properties").GetProperty("k").GetString(), Is.EqualTo("v"));
        Assert.That(_served.LoadTable(table.Identifier).Metadata.Properties["k"], Is.EqualTo("v"));

        var (unsupported, _) = Call(HttpMethod.Post, "v1/namespaces/db/tables/events", "{\"requirements\":[],\"updates\":[{\"action\":\"add-schema\",\"schema\":{}}]}");
        Assert.That(unsupported, Is.EqualTo(HttpStatusCode.NotAcceptable));
    }

    [Test]
    public void LoadTable_SendsTheMetadataFileAsItIs_AndACorruptFileIsAnError()
    {
        var table = Events.Create(_served, "db.events");
        var file = new Uri(table.MetadataLocation).LocalPath;
        using (var request = new HttpRequestMessage(HttpMethod.Get, "v1/namespaces/db/tables/events"))
        using (var response = _http.Send(request))
        {
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            using var doc = JsonDocument.Parse(text);
            Assert.That(doc.RootElement.GetProperty("metadata").GetRawText(), Is.EqualTo(File.ReadAllText(file).Trim()));
        }

        File.WriteAllText(file, "{\"format-version\": 2, truncated");
        var (status, body) = Call(HttpMethod.Get, "v1/namespaces/db/tables/events");
        Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(body.GetProperty("error").GetProperty("message").GetString(), Does.Contain(Path.GetFileName(file)));
    }

    [Test]
    public void Register_RefusesFilesOutsideTheWarehouse_AndPurgeKeepsRegisteredFiles()
    {
        var outside = Path.Combine(Path.GetTempPath(), "floe-outside-" + Guid.NewGuid().ToString("N"));
        try
        {
            var elsewhere = new Warehouse(outside);
            var source = Events.Create(elsewhere, "x.src");
            Call(HttpMethod.Post, "v1/namespaces", "{\"namespace\":[\"db\"]}");
            var (refused, body) = Call(HttpMethod.Post, "v1/namespaces/db/register", $"{{\"name\":\"r\",\"metadata-location\":\"{source.MetadataLocation}\"}}");
            Assert.That(refused, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("error").GetProperty("message").GetString(), Does.Contain("outside the served warehouse"));

            // Copied into the warehouse but not in the table's own folder: a registered table, never purged by the server.
            var copy = Path.Combine(_dir, "imported", "metadata");
            Directory.CreateDirectory(copy);
            var file = Path.Combine(copy, Path.GetFileName(new Uri(source.MetadataLocation).LocalPath));
            File.Copy(new Uri(source.MetadataLocation).LocalPath, file);
            Assert.That(Call(HttpMethod.Post, "v1/namespaces/db/register", $"{{\"name\":\"r\",\"metadata-location\":\"file://{file}\"}}").Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_served.IsRegistered(TableIdentifier.Parse("db.r")), Is.True);
            var (purge, purgeBody) = Call(HttpMethod.Delete, "v1/namespaces/db/tables/r?purgeRequested=true");
            Assert.That(purge, Is.EqualTo(HttpStatusCode.NotAcceptable));
            Assert.That(purgeBody.GetProperty("error").GetProperty("message").GetString(), Does.Contain("registered"));
            Assert.That(File.Exists(file), Is.True);
        }
        finally
        {
            if (Directory.Exists(outside)) Directory.Delete(outside, recursive: true);
        }
    }

    [Test]
    public void Factory_OpensRestUris_AndReportsBadOnesClearly()
    {
        var opened = WarehouseFactory.Open(Path.Combine(_dir, "unused"), _server.Url, create: false, Token, credential: null);
        Assert.That(opened.Catalog, Is.InstanceOf<RestCatalog>());
        Assert.That(opened.Directory, Is.EqualTo(_served.Directory), "the server's warehouse folder is the data location");
        Assert.That(Directory.Exists(Path.Combine(_dir, "unused")), Is.False, "nothing created");

        var unreachable = Assert.Throws<FloeException>(() => WarehouseFactory.Open(_dir, $"http://127.0.0.1:{CatalogUnderTest.FreePort()}", create: false));
        Assert.That(unreachable!.Code, Is.EqualTo(FloeErrorCode.Io));
        Assert.That(unreachable.Message, Does.Contain("unreachable"));
        var badUri = Assert.Throws<FloeException>(() => WarehouseFactory.Open(_dir, "http://", create: false));
        Assert.That(badUri!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
    }
}
