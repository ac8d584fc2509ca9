using NUnit.Framework;

namespace Floe.Parquet.Tests;

/// <summary>Deletes the shared <see cref="LayoutFiles"/> after every fixture of the namespace has run.</summary>
[SetUpFixture]
public sealed class LayoutFilesCleanup
{
    /// <summary>Runs once, after the last fixture.</summary>
    [OneTimeTearDown]
    public void DeleteLayoutFiles() => LayoutFiles.Delete();
}
