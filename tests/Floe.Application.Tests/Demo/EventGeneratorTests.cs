using Floe.Application.Demo;
using Floe.Core.Errors;
using NUnit.Framework;

namespace Floe.Application.Tests.Demo;

/// <summary>Generator settings that cannot describe events are refused before any file exists.</summary>
[TestFixture]
public sealed class EventGeneratorTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "floe-gen-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static IEnumerable<TestCaseData> Bad()
    {
        yield return new TestCaseData(new EventGenerator { Rows = -1 }, "--rows");
        yield return new TestCaseData(new EventGenerator { Days = 0 }, "--days");
        yield return new TestCaseData(new EventGenerator { Days = -3 }, "--days");
        yield return new TestCaseData(new EventGenerator { Days = int.MaxValue }, "--days");
        yield return new TestCaseData(new EventGenerator { Entities = 0 }, "--entities");
        yield return new TestCaseData(new EventGenerator { Entities = -5 }, "--entities");
    }

    [TestCaseSource(nameof(Bad))]
    public void WriteCsv_BadSetting_IsInvalidArgumentAndWritesNoFile(EventGenerator generator, string option)
    {
        var path = Path.Combine(_dir, "events.csv");
        var ex = Assert.Throws<FloeException>(() => generator.WriteCsv(path))!;
        Assert.That(ex.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(ex.Message, Does.StartWith(option));
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public void WriteCsv_ZeroRows_WritesOnlyTheHeaderAndNoTemporaryFile()
    {
        var path = Path.Combine(_dir, "events.csv");
        new EventGenerator { Rows = 0 }.WriteCsv(path);
        Assert.That(File.ReadAllLines(path), Is.EqualTo(new[] { "entity_id,event_time,amount,category" }));
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void WriteCsv_SomeRows_EntitiesStayInRange()
    {
        var path = Path.Combine(_dir, "events.csv");
        new EventGenerator { Rows = 500, Entities = 3, Days = 1 }.WriteCsv(path);
        var lines = File.ReadAllLines(path);
        Assert.That(lines, Has.Length.EqualTo(501));
        Assert.That(lines.Skip(1).Select(l => long.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)), Is.All.InRange(0L, 2L));
    }
}
