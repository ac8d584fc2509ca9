using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Floe.Application.Streaming;
using Floe.Application.Tables;
using Floe.Features.Definitions;
using Floe.Iceberg.Catalog;
using Floe.Tests.Shared;
using NUnit.Framework;

namespace Floe.Online.Tests;

/// <summary>A redis-server of the test's own, stopped and restarted in the middle of a stream.</summary>
[TestFixture]
public sealed class RedisOutageTests
{
    private const string Definition = """
        {"name": "taps", "version": 1, "entity": "device", "timestamp": "ts", "source": {"table": "raw.taps"},
         "features": [{"name": "n_10m", "agg": "count", "window": "10m"}, {"name": "s_10m", "agg": "sum", "column": "v", "window": "10m"}]}
        """;

    private string _dir = null!;
    private int _port;
    private Process? _server;

    [SetUp]
    public void SetUp()
    {
        if (!File.Exists("/usr/bin/redis-server"))
        {
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) Assert.Fail("redis-server is not installed: .ci/install installs it");
            Assert.Ignore("redis-server is not installed");
        }
        _dir = Path.Combine(Path.GetTempPath(), "floe-outage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        // redis-server cannot be asked for a port of its own choosing and then say which, so a free port is probed
        // and handed to it; another process may take that port first (an outgoing connection's ephemeral port), and
        // then redis-server exits at once: try another.
        for (int attempt = 1; ; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            _port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (StartServer(mayExit: attempt < 5)) return;
        }
    }

    [TearDown]
    public void TearDown()
    {
        StopServer();
        if (_dir is not null && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Starts redis-server on <see cref="_port"/>; false when it exited at once and <paramref name="mayExit"/>.</summary>
    private bool StartServer(bool mayExit = false)
    {
        _server = Process.Start(new ProcessStartInfo("/usr/bin/redis-server", ["--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir])
        {
            RedirectStandardOutput = true,
        })!;
        _server.StandardOutput.ReadToEndAsync();
        for (int i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient("127.0.0.1", _port);
                return true;
            }
            catch (SocketException)
            {
                if (mayExit && _server.HasExited)
                {
                    _server.Dispose();
                    _server = null;
                    return false;
                }
                Thread.Sleep(50);
            }
        }
        Assert.Fail("redis-server did not start");
        return false;
    }

    private void StopServer()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            _server.WaitForExit();
        }
        _server?.Dispose();
        _server = null;
    }

    /// <summary>
    /// Events with redis-server killed at event 590 of 600 and started again (empty) a second later: the writes of
    /// the last micro-batch meet the outage, and only they can put every device back into the restarted server.
    /// </summary>
    private sealed class OutageSource(IReadOnlyList<string> lines, Action outage) : IStreamSource
    {
        private int _next;

        public string Id => "outage";

        public bool TryRead(TimeSpan wait, CancellationToken cancellation, out StreamRecord record, out bool ended)
        {
            record = default;
            ended = _next == lines.Count;
            if (ended) return false;
            if (_next == 590) outage();
            record = new StreamRecord(Encoding.UTF8.GetBytes(lines[_next]), (_next + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            _next++;
            return true;
        }

        public bool IsAfter(string position, string committed) => long.Parse(position, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(committed, System.Globalization.CultureInfo.InvariantCulture);

        public void Acknowledge(string position)
        {
        }

        public void Dispose()
        {
        }
    }

    [Test]
    [Category(TestTier.Stress)]
    public void RedisRestartedMidStream_TheStreamerRetriesAndLosesNothing()
    {
        var warehouse = new Warehouse(Path.Combine(_dir, "warehouse"));
        new TableService(warehouse).Create("raw.taps", "device:long not null,ts:timestamptz not null,v:double", "day(ts)");
        var def = FeatureGroupParser.Parse(Definition, DefinitionFormat.Json);
        var start = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var lines = Enumerable.Range(0, 600).Select(i => $"{{\"device\": {i % 7}, \"ts\": \"{start.AddSeconds(i * 20):yyyy-MM-ddTHH:mm:ssZ}\", \"v\": {i}}}").ToList();
        using var store = OnlineStore.Connect(new RedisSettings { Endpoint = $"127.0.0.1:{_port}", Prefix = "o" });
        var writer = new RedisOnlineWriter(store) { MaxOutage = TimeSpan.FromMinutes(1) };
        Thread? restart = null;
        void Outage()
        {
            StopServer();
            restart = new Thread(() =>
            {
                Thread.Sleep(1000);
                StartServer();
            });
            restart.Start();
        }

        var result = new StreamService(warehouse).Run(def, new OutageSource(lines, Outage),
            new StreamOptions { MicroBatchEvents = 25, CommitEveryEvents = 100, AllowedLateness = TimeSpan.FromSeconds(1) }, writer);
        restart?.Join();

        Assert.That(restart, Is.Not.Null, "the server was stopped mid-stream");
        Assert.That(result.Events, Is.EqualTo(600));
        // The restarted server started empty: every device is there only if the writes that met the outage landed
        // (StackExchange.Redis queues them while reconnecting; the writer retries longer outages with backoff).
        new Floe.Application.Backfill.BackfillService(warehouse).Run(new Floe.Application.Backfill.BackfillRequest
        {
            DefinitionPath = WriteDefinition(),
            From = start,
            To = start.AddDays(1),
            CodeVersion = "test",
        });
        var report = new ConsistencyCheck(warehouse, store).Run(def, sample: 100);
        Assert.That((report.Sampled, report.Mismatched, report.Missing, report.Stale), Is.EqualTo((7, 0, 0, 0)));
    }

    private string WriteDefinition()
    {
        var path = Path.Combine(_dir, "def.json");
        File.WriteAllText(path, Definition);
        return path;
    }
}
