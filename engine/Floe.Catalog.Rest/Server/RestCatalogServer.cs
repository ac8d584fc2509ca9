using System.Net;
using Floe.Core.Errors;

namespace Floe.Catalog.Rest.Server;

/// <summary>
/// Serves a <see cref="RestCatalogService"/> over HTTP/1.1 with <see cref="HttpListener"/>: part of the base library,
/// trim- and AOT-clean, and far smaller in the NativeAOT binary than ASP.NET Core. Requests are handled
/// concurrently; the service and the catalogs beneath it are thread-safe.
/// </summary>
public sealed class RestCatalogServer : IDisposable
{
    private const int MaxBodyBytes = 64 << 20;

    private readonly RestCatalogService _service;
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>Prepares a server for <paramref name="service"/> on <paramref name="bind"/>:<paramref name="port"/>.</summary>
    public RestCatalogServer(RestCatalogService service, string bind, int port)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(bind);
        if (port is < 1 or > 65535) throw Errors.InvalidArgument($"--port {port} must be between 1 and 65535");
        if (bind.Length == 0 || bind.Contains('/', StringComparison.Ordinal)) throw Errors.InvalidArgument($"--bind '{bind}' is not a host address");
        _service = service;
        var host = bind is "0.0.0.0" or "*" or "::" ? "+" : bind.Contains(':', StringComparison.Ordinal) ? "[" + bind + "]" : bind;
        Url = $"http://{(host == "+" ? "0.0.0.0" : host)}:{port}/";
        _listener.Prefixes.Add($"http://{host}:{port}/");
    }

    /// <summary>The URL the server answers on (the catalog URI to give clients).</summary>
    public string Url { get; }

    /// <summary>Starts listening; throws Io when the address is taken or cannot be bound.</summary>
    public void Start()
    {
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException e)
        {
            throw new FloeException(FloeErrorCode.Io, $"cannot listen on {Url}: {e.Message}", e);
        }
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>Blocks until <paramref name="token"/> is cancelled, then stops the server.</summary>
    public void RunUntil(CancellationToken token)
    {
        token.WaitHandle.WaitOne();
        Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends by the listener closing under it.
        }
        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Serve(context));
        }
    }

    private void Serve(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var request = context.Request;
            var raw = request.RawUrl ?? "/";
            var q = raw.IndexOf('?', StringComparison.Ordinal);
            var pathPart = q < 0 ? raw : raw[..q];
            var segments = new List<string>();
            foreach (var s in pathPart.Split('/', StringSplitOptions.RemoveEmptyEntries)) segments.Add(Uri.UnescapeDataString(s));
            var query = new Dictionary<string, string>(StringComparer.Ordinal);
            if (q >= 0)
            {
                foreach (var pair in raw[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    query[Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                }
            }
            RestResponse answer;
            if (request.ContentLength64 > MaxBodyBytes)
            {
                answer = RestCatalogService.Error(413, "BadRequestException", $"request body over {MaxBodyBytes} bytes");
            }
            else
            {
                using var body = new MemoryStream();
                request.InputStream.CopyTo(body);
                answer = _service.Handle(request.HttpMethod, segments, query, request.Headers["Authorization"], body.GetBuffer().AsMemory(0, (int)body.Length));
            }
            response.StatusCode = answer.Status;
            if (answer.Status == 401) response.AddHeader("WWW-Authenticate", "Bearer");
            if (answer.Body.Length > 0 && request.HttpMethod != "HEAD")
            {
                response.ContentType = "application/json";
                response.ContentLength64 = answer.Body.Length;
                response.OutputStream.Write(answer.Body);
            }
            else
            {
                response.ContentLength64 = 0;
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away mid-answer: nothing left to tell it.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }
}
