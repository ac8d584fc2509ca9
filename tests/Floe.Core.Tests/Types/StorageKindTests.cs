using System.Buffers.Binary;
using Floe.Core.Types;

namespace Floe.Core.Tests.Types;

/// <summary>
/// Every type id has a storage kind, and the kind agrees with the width of the type's single-value serialization
/// (the spec's bound bytes), which is written independently of the kind for booleans and fixed-width numbers.
/// </summary>
[TestFixture]
public sealed class StorageKindTests
{
    private static IEnumerable<TypeId> AllIds() => Enum.GetValues<TypeId>();

    [TestCaseSource(nameof(AllIds))]
    public void Storage_EveryTypeId_IsClassified(TypeId id) =>
        Assert.That(Enum.IsDefined(id.Storage()), Is.True);

    [Test]
    public void Storage_NumericTypes_MatchTheirSerializedWidth()
    {
        Assert.Multiple(() =>
        {
            var types = new[]
            {
                PrimitiveType.Boolean, PrimitiveType.Int, PrimitiveType.Long, PrimitiveType.Float, PrimitiveType.Double,
                PrimitiveType.Date, PrimitiveType.Time, PrimitiveType.Timestamp, PrimitiveType.TimestampTz,
                PrimitiveType.TimestampNs, PrimitiveType.TimestampTzNs,
            };
            foreach (var type in types)
            {
                var id = type.Id;
                switch (id.Storage())
                {
                    case StorageKind.Int32:
                        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(Conversions.ToBytes(type, -5)), Is.EqualTo(-5), id.ToString());
                        break;
                    case StorageKind.Int64:
                        Assert.That(BinaryPrimitives.ReadInt64LittleEndian(Conversions.ToBytes(type, -5L)), Is.EqualTo(-5L), id.ToString());
                        break;
                    case StorageKind.Float32:
                        Assert.That(Conversions.ToBytes(type, 1.5f), Has.Length.EqualTo(4), id.ToString());
                        break;
                    case StorageKind.Float64:
                        Assert.That(Conversions.ToBytes(type, 1.5d), Has.Length.EqualTo(8), id.ToString());
                        break;
                    case StorageKind.Boolean:
                        Assert.That(Conversions.ToBytes(type, true), Is.EqualTo(new byte[] { 1 }), id.ToString());
                        break;
                }
            }
        });
    }
}
