using Floe.Core.Errors;
using Floe.Native.Exports;

namespace Floe.Native.Tests;

[TestFixture]
public sealed class NativeRequestTests
{
    [Test]
    public void BackfillRequest_AllFields_MapToTheRequest()
    {
        var request = BackfillExports.ReadRequest("""
            {"definition":"d.json","from":"2024-01-01","to":"2024-01-04","source":"demo.events","code_version":"abc",
             "branch":"stage","wap":true,"commit_every":2,"max_memory":"512m","resume":false}
            """);

        Assert.That(request.DefinitionPath, Is.EqualTo("d.json"));
        Assert.That(request.From, Is.EqualTo(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(request.To, Is.EqualTo(new DateTimeOffset(2024, 1, 4, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(request.Source, Is.EqualTo("demo.events"));
        Assert.That(request.CodeVersion, Is.EqualTo("abc"));
        Assert.That(request.Branch, Is.EqualTo("stage"));
        Assert.That(request.Wap, Is.True);
        Assert.That(request.CommitEveryDays, Is.EqualTo(2));
        Assert.That(request.MaxMemoryBytes, Is.EqualTo(512L * 1024 * 1024));
        Assert.That(request.Resume, Is.False);
    }

    [Test]
    public void BackfillRequest_NullsAndMissingFields_AreDefaults()
    {
        var request = BackfillExports.ReadRequest("""{"definition":"d.json","from":"2024-01-01","to":"2024-01-02","branch":null}""");

        Assert.That(request.Branch, Is.Null);
        Assert.That(request.Wap, Is.False);
        Assert.That(request.CommitEveryDays, Is.Zero);
        Assert.That(request.Resume, Is.True);
    }

    [TestCase("{not json", "request_json is not valid JSON")]
    [TestCase("\"text\"", "must be a JSON object")]
    [TestCase("""{"from":"2024-01-01","to":"2024-01-02"}""", "\"definition\" is required")]
    [TestCase("""{"definition":"d","from":"2024-01-01","to":"2024-01-02","Wap":true}""", "unknown field \"Wap\"")]
    [TestCase("""{"definition":"d","from":"2024-01-01","to":"2024-01-02","wap":1}""", "\"wap\" must be true or false")]
    [TestCase("""{"definition":"d","from":"2024-01-01","to":"2024-01-02","commit_every":"2"}""", "\"commit_every\" must be an integer")]
    [TestCase("""{"definition":"d","from":"2024-01-01","to":"2024-01-02","commit_every":-1}""", "\"commit_every\" must be a non-negative integer")]
    [TestCase("""{"definition":"d","from":"2024-01-01","to":"2024-01-02","commit_every":99999999999}""", "\"commit_every\"")]
    [TestCase("""{"definition":"d","from":"soon","to":"2024-01-02"}""", "\"from\": 'soon' is not a date")]
    [TestCase("""{"definition":"d","from":"2024-01-01"}""", "\"to\" is required")]
    [TestCase("""{"definition":"d","from":"2024-01-01","to":"2024-01-02","max_memory":"lots"}""", "field \"max_memory\"")]
    [TestCase("""{"definition":7,"from":"2024-01-01","to":"2024-01-02"}""", "\"definition\" must be a string")]
    public void BackfillRequest_Malformed_IsInvalidArgumentNamingTheField(string json, string expected)
    {
        var e = Assert.Throws<FloeException>(() => BackfillExports.ReadRequest(json));

        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void TrainingSetRequest_Fields_MapToTheRequest()
    {
        var request = TrainingSetExports.ReadRequest("""
            {"spine":"s.csv","spine_time":"t","features":["features.a:x,y","g.json"],"tag":"v1","max_age":"7d","output":"o.parquet"}
            """);

        Assert.That(request.SpinePath, Is.EqualTo("s.csv"));
        Assert.That(request.SpineTime, Is.EqualTo("t"));
        Assert.That(request.Features, Has.Count.EqualTo(2));
        Assert.That(request.Features[0].Group, Is.EqualTo("features.a"));
        Assert.That(request.Features[0].Names, Is.EqualTo(new[] { "x", "y" }));
        Assert.That(request.Tag, Is.EqualTo("v1"));
        Assert.That(request.MaxAgeMicros, Is.EqualTo(7L * 86_400 * 1_000_000));
        Assert.That(request.OutputPath, Is.EqualTo("o.parquet"));
    }

    [TestCase("""{"spine":"s.csv","output":"o.csv"}""", "\"features\" is required")]
    [TestCase("""{"spine":"s.csv","features":"a","output":"o.csv"}""", "\"features\" must be an array of strings")]
    [TestCase("""{"spine":"s.csv","features":[1],"output":"o.csv"}""", "\"features\" must be an array of strings")]
    [TestCase("""{"spine":"s.csv","features":["a"],"output":"o.csv","snapshot":"1"}""", "\"snapshot\" must be an integer")]
    [TestCase("""{"spine":"s.csv","features":["a"]}""", "\"output\" is required")]
    [TestCase("""{"spine":"s.csv","features":["a"],"output":"o.csv","max_age":"forever"}""", "field \"max_age\"")]
    public void TrainingSetRequest_Malformed_IsInvalidArgumentNamingTheField(string json, string expected)
    {
        var e = Assert.Throws<FloeException>(() => TrainingSetExports.ReadRequest(json));

        Assert.That(e!.Code, Is.EqualTo(FloeErrorCode.InvalidArgument));
        Assert.That(e.Message, Does.Contain(expected));
    }

    [Test]
    public void StringList_CommaSeparatedString_IsSplitWhenAllowed()
    {
        using var request = NativeRequest.Parse("""{"key_columns":"a, b"}""", "options_json", "key_columns");

        Assert.That(request.StringList("key_columns", splitCommas: true), Is.EqualTo(new[] { "a", "b" }));
    }
}
