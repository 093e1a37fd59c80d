using Gateway.Domain.Limits;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Spend;

namespace Gateway.Domain.Tests.ProviderKeys;

/// <summary>An event of a caller's own provider key has no key id: it adds to no key's counters (and an empty id is no owner).</summary>
public sealed class KeylessSpendCounterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public void AddFor_EventWithoutKey_NoKeyCounters()
    {
        var counters = new List<SpendCounter>();

        SpendCounter.AddFor(new LedgerEntry("e1", string.Empty, null, 0.01m, At.ToUnixTimeSeconds(), false, true), At, counters);

        Assert.Empty(counters);
    }

    [Fact]
    public void AddFor_EventWithoutKeyButAChargedUser_OnlyTheUsersCounters()
    {
        var counters = new List<SpendCounter>();

        SpendCounter.AddFor(new LedgerEntry("e2", string.Empty, "user-row-1", 0.01m, At.ToUnixTimeSeconds(), false, true), At, counters);

        Assert.NotEmpty(counters);
        Assert.All(counters, c => Assert.Equal((SpendCounterKeys.Owner.User, "user-row-1"), (c.Owner, c.OwnerId)));
    }

    [Fact]
    public void AddFor_EventOfAKey_KeyTotalAndWindows()
    {
        var counters = new List<SpendCounter>();

        SpendCounter.AddFor(new LedgerEntry("e3", "key-1", null, 0.01m, At.ToUnixTimeSeconds(), false, true), At, counters);

        Assert.Equal(1 + SpendCounter.SpendUnits.Length, counters.Count);
        Assert.All(counters, c => Assert.Equal((SpendCounterKeys.Owner.Key, "key-1"), (c.Owner, c.OwnerId)));
    }
}
