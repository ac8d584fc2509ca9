using System.Net;
using System.Net.Sockets;
using System.Text;
using Floe.Core.Errors;

namespace Floe.Catalog.Rest.Server;

/// <summary>
/// Serves a <see cref="RestCatalogService"/> over a minimal HTTP/1.1 server on raw sockets: persistent connections,
/// <c>Content-Length</c> bodies, one write per response with Nagle off. Chosen over <see cref="HttpListener"/>
/// (whose sockets keep Nagle on, so every response larger than one segment waited ~40 ms for a delayed ACK) and
/// over ASP.NET Core (many megabytes more in the NativeAOT binary for four verbs and JSON). Connections are served
/// concurrently; the service and the catalogs beneath it are thread-safe.
/// </summary>
public sealed class RestCatalogServer : IDisposable
{
    private const int MaxHeaderBytes = 64 << 10;
    private const int MaxBodyBytes = 64 << 20;
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(120);

    private readonly RestCatalogService _service;
    private readonly IPEndPoint _endpoint;
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Task? _loop;
    private int _disposed;

    /// <summary>Prepares a server for <paramref name="service"/> on <paramref name="bind"/>:<paramref name="port"/>.</summary>
    /// <exception cref="FloeException">InvalidArgument for a port out of range or an address that is not an IP address.</exception>
    public RestCatalogServer(RestCatalogService service, string bind, int port)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(bind);
        if (port is < 0 or > 65535) throw Errors.InvalidArgument($"--port {port} must be between 1 and 65535 (0: any free port)");
        var host = bind == "localhost" ? "127.0.0.1" : bind;
        if (!IPAddress.TryParse(host, out var address)) throw Errors.InvalidArgument($"--bind '{bind}' is not an IP address (127.0.0.1, 0.0.0.0, ::1, ...)");
        _service = service;
        _endpoint = new IPEndPoint(address, port);
        Url = UrlOf(_endpoint);
    }

    /// <summary>
    /// The URL the server answers on (the catalog URI to give clients); once started, with the port the system chose
    /// when the server was asked for port 0.
    /// </summary>
    public string Url { get; private set; }

    private static string UrlOf(IPEndPoint endpoint) =>
        $"http://{(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + endpoint.Address + "]" : endpoint.Address.ToString())}:{endpoint.Port}/";

    /// <summary>Starts listening; throws Io when the address is taken or cannot be bound.</summary>
    public void Start()
    {
        var socket = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(_endpoint);
            socket.Listen(512);
            // Port 0 binds a free port in the same call: no window in which another process can take it, as there
            // is between probing for a free port and binding it.
            Url = UrlOf((IPEndPoint)socket.LocalEndPoint!);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new FloeException(FloeErrorCode.Io, $"cannot listen on {Url}: {e.Message}", e);
        }
        _listener = socket;
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
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _listener?.Dispose();
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
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            client.NoDelay = true;
            _ = Task.Run(() => ServeConnection(client));
        }
    }

    private async Task ServeConnection(Socket client)
    {
        using var socket = client;
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var buffer = new byte[8192];
        var filled = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                // Read until the end of the headers.
                int headerEnd;
                while ((headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (filled == buffer.Length)
                    {
                        if (buffer.Length >= MaxHeaderBytes)
                        {
                            await Write(stream, RestCatalogService.Error(431, "BadRequestException", "request headers too large"), keepAlive: false).ConfigureAwait(false);
                            return;
                        }
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    idle.CancelAfter(IdleTimeout);
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), idle.Token).ConfigureAwait(false);
                    if (read == 0) return;
                    filled += read;
                }
                var head = Encoding.ASCII.GetString(buffer, 0, headerEnd);
                var lines = head.Split("\r\n");
                var requestLine = lines[0].Split(' ');
                if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
                {
                    await Write(stream, RestCatalogService.Error(400, "BadRequestException", "malformed HTTP request line"), keepAlive: false).ConfigureAwait(false);
                    return;
                }
                string? authorization = null;
                long contentLength = 0;
                var keepAlive = requestLine[2] == "HTTP/1.1";
                var expectContinue = false;
                for (var i = 1; i < lines.Length; i++)
                {
                    var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0) continue;
                    var name = lines[i][..colon].Trim();
                    var value = lines[i][(colon + 1)..].Trim();
                    if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) authorization = value;
                    else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !long.TryParse(value, out contentLength)) contentLength = -1;
                    else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)) keepAlive = !value.Equals("close", StringComparison.OrdinalIgnoreCase) && (keepAlive || value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase));
                    else if (name.Equals("Expect", StringComparison.OrdinalIgnoreCase)) expectContinue = value.Equals("100-continue", StringComparison.OrdinalIgnoreCase);
                    else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) contentLength = -2;
                }
                if (contentLength is < 0 or > MaxBodyBytes)
                {
                    var message = contentLength == -2 ? "chunked request bodies are not supported; send Content-Length" : "invalid or too large Content-Length";
                    await Write(stream, RestCatalogService.Error(contentLength == -2 ? 411 : 413, "BadRequestException", message), keepAlive: false).ConfigureAwait(false);
                    return;
                }
                var bodyStart = headerEnd + 4;
                var total = bodyStart + (int)contentLength;
                if (expectContinue && filled < total) await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
                if (buffer.Length < total) Array.Resize(ref buffer, total);
                while (filled < total)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token).ConfigureAwait(false);
                    if (read == 0) return;
                    filled += read;
                }
                var body = buffer.AsSpan(bodyStart, (int)contentLength).ToArray();
                var (segments, query) = ParseTarget(requestLine[1]);
                var answer = _service.Handle(requestLine[0], segments, query, authorization, body);
                await Write(stream, answer, keepAlive, head: requestLine[0] == "HEAD").ConfigureAwait(false);
                // Keep any bytes of a pipelined next request.
                Buffer.BlockCopy(buffer, total, buffer, 0, filled - total);
                filled -= total;
                if (!keepAlive) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or idled out: nothing left to tell it.
        }
    }

    private static (List<string> Segments, Dictionary<string, string> Query) ParseTarget(string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? target : target[..q];
        var segments = new List<string>();
        foreach (var s in path.Split('/', StringSplitOptions.RemoveEmptyEntries)) segments.Add(Uri.UnescapeDataString(s));
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (q >= 0)
        {
            foreach (var pair in target[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                query[Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq])] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
        }
        return (segments, query);
    }

    private static async Task Write(NetworkStream stream, RestResponse answer, bool keepAlive, bool head = false)
    {
        var header = new StringBuilder();
        header.Append("HTTP/1.1 ").Append(answer.Status).Append(' ').Append(Reason(answer.Status)).Append("\r\n");
        if (answer.Body.Length > 0) header.Append("Content-Type: application/json\r\n");
        header.Append("Content-Length: ").Append(answer.Body.Length).Append("\r\n");
        if (answer.Status == 401) header.Append("WWW-Authenticate: Bearer\r\n");
        header.Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
        header.Append("\r\n");
        var headerBytes = Encoding.ASCII.GetBytes(header.ToString());
        var bodyLength = head ? 0 : answer.Body.Length;
        // One write: with Nagle off, headers and body leave together rather than in two segments.
        var message = new byte[headerBytes.Length + bodyLength];
        headerBytes.CopyTo(message, 0);
        if (bodyLength > 0) answer.Body.CopyTo(message, headerBytes.Length);
        await stream.WriteAsync(message).ConfigureAwait(false);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
