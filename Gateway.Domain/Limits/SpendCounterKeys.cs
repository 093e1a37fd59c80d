namespace Gateway.Domain.Limits;

/// <summary>
/// Names of the Redis spend counters (micro-dollars, integers), shared by the ingest app that
/// adds to them and the proxy that checks them. Names exclude the deployment's key prefix.
/// </summary>
public static class SpendCounterKeys
{
    /// <summary>Whose spend: a gateway key or an end user.</summary>
    public enum Owner
    {
        Key,
        User,
    }

    public static string Total(Owner owner, string id) => $"spend:{Prefix(owner)}:{id}:total";

    public static string Window(Owner owner, string id, LimitUnit unit, DateTimeOffset windowStart)
        => $"spend:{Prefix(owner)}:{id}:{unit.Code()}:{windowStart.ToUnixTimeSeconds()}";

    public static string Rate(Owner owner, string id, LimitUnit unit, DateTimeOffset windowStart)
        => $"rate:{Prefix(owner)}:{id}:{unit.Code()}:{windowStart.ToUnixTimeSeconds()}";

    /// <summary>USD to the integer micro-dollars the counters hold (BricksLLM's unit).</summary>
    public static long ToMicroDollars(decimal usd) => (long)decimal.Round(usd * 1_000_000m, MidpointRounding.AwayFromZero);

    private static string Prefix(Owner owner) => owner == Owner.Key ? "key" : "user";
}
