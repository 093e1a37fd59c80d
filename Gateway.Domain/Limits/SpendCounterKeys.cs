namespace Gateway.Domain.Limits;

/// <summary>
/// Names of the Redis spend counters (integer nano-dollars), shared by the ingest app that adds to
/// them and the proxy that checks them. Names exclude the deployment's key prefix.
/// </summary>
/// <remarks>
/// Nano-dollars, not BricksLLM's micro-dollars: a call costing $0.00000008 (an embedding of a few
/// tokens) rounded to whole micro-dollars was never counted. The counters were renamed with the unit
/// (<c>spend-nusd:</c>, formerly <c>spend:</c> in micro-dollars), so a proxy never compares a
/// micro-dollar counter with a nano-dollar limit: the old counters expire or are left unread, and the
/// refresh timer writes the new ones from the ledger's running totals (see <c>Usage/README.md</c>).
/// 2^63 nano-dollars is $9.2 billion, and Lua's doubles are exact to 2^53 ($9 million) per counter.
/// </remarks>
public static class SpendCounterKeys
{
    /// <summary>Nano-dollars per US dollar.</summary>
    public const long NanoPerUsd = 1_000_000_000;

    /// <summary>Whose spend: a gateway key or an end user.</summary>
    public enum Owner
    {
        Key,
        User,
    }

    public static string Total(Owner owner, string id) => $"spend-nusd:{OwnerAndId(owner, id)}:total";

    public static string Window(Owner owner, string id, LimitUnit unit, DateTimeOffset windowStart)
        => Window(OwnerAndId(owner, id), unit, windowStart);

    public static string Rate(Owner owner, string id, LimitUnit unit, DateTimeOffset windowStart)
        => Rate(OwnerAndId(owner, id), unit, windowStart);

    /// <summary>The counters' middle part, <c>key:{id}</c> or <c>user:{id}</c>, for callers that build many names for one subject.</summary>
    internal static string OwnerAndId(Owner owner, string id) => $"{Prefix(owner)}:{id}";

    internal static string Window(string ownerAndId, LimitUnit unit, DateTimeOffset windowStart)
        => $"spend-nusd:{ownerAndId}:{unit.Code()}:{windowStart.ToUnixTimeSeconds()}";

    internal static string Rate(string ownerAndId, LimitUnit unit, DateTimeOffset windowStart)
        => $"rate:{ownerAndId}:{unit.Code()}:{windowStart.ToUnixTimeSeconds()}";

    /// <summary>
    /// USD to the integer nano-dollars the counters hold. The ledger keeps costs to 10 decimals; an
    /// event is rounded once, here, and the ledger's running totals sum the same rounded values.
    /// </summary>
    public static long ToNanoDollars(decimal usd) => (long)decimal.Round(usd * NanoPerUsd, MidpointRounding.AwayFromZero);

    /// <summary>The owner as the <c>spend_totals.owner_kind</c> column stores it.</summary>
    public static string Prefix(Owner owner) => owner == Owner.Key ? "key" : "user";
}
