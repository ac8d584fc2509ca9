using Floe.Core.Errors;

namespace Floe.Native.Tests;

[TestFixture]
public sealed class StatusMappingTests
{
    private static IEnumerable<TestCaseData> Mappings()
    {
        yield return new TestCaseData(new FloeException(FloeErrorCode.CommitConflict, "x"), FloeErrorCode.CommitConflict);
        yield return new TestCaseData(new ArgumentNullException("p"), FloeErrorCode.InvalidArgument);
        yield return new TestCaseData(new ArgumentOutOfRangeException("p"), FloeErrorCode.InvalidArgument);
        yield return new TestCaseData(new ObjectDisposedException("w"), FloeErrorCode.InvalidHandle);
        yield return new TestCaseData(new FileNotFoundException("f"), FloeErrorCode.NotFound);
        yield return new TestCaseData(new DirectoryNotFoundException("d"), FloeErrorCode.NotFound);
        yield return new TestCaseData(new EndOfStreamException(), FloeErrorCode.InvalidData);
        yield return new TestCaseData(new InvalidDataException(), FloeErrorCode.InvalidData);
        yield return new TestCaseData(new FormatException(), FloeErrorCode.InvalidData);
        yield return new TestCaseData(new IOException(), FloeErrorCode.Io);
        yield return new TestCaseData(new UnauthorizedAccessException(), FloeErrorCode.Io);
        yield return new TestCaseData(new NotSupportedException(), FloeErrorCode.Unsupported);
        yield return new TestCaseData(new OperationCanceledException(), FloeErrorCode.Cancelled);
        yield return new TestCaseData(new NullReferenceException(), FloeErrorCode.Internal);
        yield return new TestCaseData(new InvalidOperationException(), FloeErrorCode.Internal);
    }

    [TestCaseSource(nameof(Mappings))]
    public void ToCode_Exception_MapsToItsCode(Exception exception, FloeErrorCode expected)
    {
        Assert.That(StatusMapping.ToCode(exception), Is.EqualTo(expected));
    }

    [Test]
    public void CategoryName_EveryCode_MatchesFloeHeaderName()
    {
        // floe.h: FLOE_E<NAME> has category "<name>" (lower case), except FLOE_EEXISTS/"exists" and so on verbatim.
        var expected = new Dictionary<FloeErrorCode, string>
        {
            [FloeErrorCode.Internal] = "internal",
            [FloeErrorCode.InvalidArgument] = "invalid_argument",
            [FloeErrorCode.NotFound] = "not_found",
            [FloeErrorCode.AlreadyExists] = "exists",
            [FloeErrorCode.InvalidData] = "invalid_data",
            [FloeErrorCode.CommitConflict] = "conflict",
            [FloeErrorCode.Io] = "io",
            [FloeErrorCode.Unsupported] = "unsupported",
            [FloeErrorCode.InvalidHandle] = "invalid_handle",
            [FloeErrorCode.ValidationFailed] = "validation",
            [FloeErrorCode.Cancelled] = "cancelled",
        };
        Assert.That(expected, Has.Count.EqualTo(Enum.GetValues<FloeErrorCode>().Length));
        foreach (var (code, name) in expected)
        {
            Assert.That(StatusMapping.CategoryName((int)code), Is.EqualTo(name), code.ToString());
        }

        Assert.That(StatusMapping.CategoryName(0), Is.EqualTo("ok"));
        Assert.That(StatusMapping.CategoryName(-99), Is.EqualTo("unknown"));
        Assert.That(StatusMapping.CategoryName(5), Is.EqualTo("unknown"));
    }

    [Test]
    public void ToMessage_UnexpectedException_NamesFunctionAndType()
    {
        var exception = new NullReferenceException("boom");
        string message = StatusMapping.ToMessage(exception, StatusMapping.ToCode(exception), "floe_x");
        Assert.That(message, Is.EqualTo("floe_x: System.NullReferenceException: boom"));
    }

    [Test]
    public void ToMessage_FloeException_NamesFunctionOnly()
    {
        var exception = Errors.InvalidData("/w/metadata.json", "missing field 'schemas'");
        string message = StatusMapping.ToMessage(exception, exception.Code, "floe_x");
        Assert.That(message, Is.EqualTo("floe_x: /w/metadata.json: missing field 'schemas'"));
    }
}
