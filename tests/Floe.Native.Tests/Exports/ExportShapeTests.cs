using System.Reflection;
using System.Runtime.InteropServices;

namespace Floe.Native.Tests.Exports;

/// <summary>Checks every export's shape by reflection, so a new export cannot skip the house rules.</summary>
[TestFixture]
public sealed class ExportShapeTests
{
    private static IEnumerable<MethodInfo> Exports() =>
        typeof(NativeCall).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(m => m.GetCustomAttribute<UnmanagedCallersOnlyAttribute>() is not null);

    [Test]
    public void Exports_AllNamedFloe()
    {
        var names = Exports().Select(m => m.GetCustomAttribute<UnmanagedCallersOnlyAttribute>()!.EntryPoint).ToList();
        Assert.That(names, Is.Not.Empty);
        Assert.That(names, Has.All.Match("^floe_[a-z0-9_]+$"));
        Assert.That(names, Is.Unique);
    }

    [Test]
    public void Exports_WholeBodyInTryCatchException()
    {
        // An exception crossing an [UnmanagedCallersOnly] frame ends the process, so each body must start inside a
        // try block whose handler catches System.Exception (a Debug build puts one nop before it).
        foreach (MethodInfo export in Exports())
        {
            var clauses = export.GetMethodBody()!.ExceptionHandlingClauses;
            Assert.That(
                clauses.Any(c => c.Flags == ExceptionHandlingClauseOptions.Clause && c.TryOffset <= 1 && c.CatchType == typeof(Exception)),
                Is.True,
                $"{export.DeclaringType!.Name}.{export.Name} must wrap its whole body in try {{ }} catch (Exception)");
        }
    }
}
