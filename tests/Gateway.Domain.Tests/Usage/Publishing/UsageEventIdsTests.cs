using System.Collections.Concurrent;
using System.Globalization;
using Gateway.Domain.Usage.Publishing;

namespace Gateway.Domain.Tests.Usage.Publishing;

/// <summary>Event ids keep the shape <see cref="Guid.CreateVersion7(DateTimeOffset)"/> gives them: UUIDv7, time-ordered, unique.</summary>
public sealed class UsageEventIdsTests
{
    [Fact]
    public void NewVersion7_IsAVersion7RfcUuidCarryingTheMilliseconds()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_764_460_800_123);

        var id = UsageEventIds.NewVersion7(at);
        var framework = Guid.CreateVersion7(at);

        Assert.Equal(7, id.Version);
        Assert.Equal(8, id.Variant & 0xC); // RFC 9562 variant: bits 10
        Assert.Equal(at.ToUnixTimeMilliseconds(), long.Parse(id.ToString("N")[..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal(framework.ToString()[..15], id.ToString()[..15]); // the same timestamp and version digits as the framework's
        Assert.Equal(36, id.ToString().Length);
    }

    [Fact]
    public void NewVersion7_LaterMilliseconds_SortLater()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_764_460_800_000);
        var ids = Enumerable.Range(0, 1_000).Select(i => UsageEventIds.NewVersion7(start.AddMilliseconds(i)).ToString()).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task NewVersion7_ManyThreadsInOneMillisecond_AllDistinct()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_764_460_800_000);
        var ids = new ConcurrentBag<Guid>();

        // 4 x 5,000 ids: each thread refills its random bytes many times over.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                ids.Add(UsageEventIds.NewVersion7(at));
            }
        })));

        Assert.Equal(20_000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));
    }

    [Fact]
    public void NewVersion7_BeforeTheUnixEpoch_IsRefusedLikeTheFrameworks()
    {
        var before = DateTimeOffset.FromUnixTimeMilliseconds(-1);

        Assert.Throws<ArgumentOutOfRangeException>(() => Guid.CreateVersion7(before));
        Assert.Throws<ArgumentOutOfRangeException>(() => UsageEventIds.NewVersion7(before));
    }
}
