namespace Floe.Stress.Tests;

/// <summary>A fresh folder under the temp directory, deleted on dispose unless FLOE_KEEP_TEMP is set or the test failed.</summary>
internal sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TempDirectory(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Deletes the folder, keeping it (and saying where) when the test failed or FLOE_KEEP_TEMP is set.</summary>
    public void Dispose()
    {
        var failed = TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed;
        if (failed || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("FLOE_KEEP_TEMP")))
        {
            TestContext.Out.WriteLine($"kept {Path}");
            return;
        }
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
