using NUnit.Framework;

namespace Floe.Online.Tests;

/// <summary>The redis-server the tests share: <c>FLOE_REDIS_URL</c>, which <c>.ci/run</c> starts on a free port.</summary>
internal static class TestRedis
{
    /// <summary>The server's URL; missing is a failure under CI and a skip elsewhere.</summary>
    public static string Url()
    {
        var url = Environment.GetEnvironmentVariable("FLOE_REDIS_URL");
        if (string.IsNullOrEmpty(url))
        {
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 }) Assert.Fail("FLOE_REDIS_URL is not set: .ci/run must start redis-server");
            Assert.Ignore("FLOE_REDIS_URL is not set (run through .ci/run, which starts redis-server)");
        }
        return url!;
    }
}
