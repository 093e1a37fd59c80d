namespace Gateway.Domain.Limits;

/// <summary>
/// A fixed UTC calendar window (BricksLLM's semantics): the current second, minute, hour, day
/// or month. Rate limits use s/m/h/d; spend limits m/h/d/mo.
/// </summary>
public enum LimitUnit
{
    Second,
    Minute,
    Hour,
    Day,
    Month,
}

public static class LimitUnits
{
    /// <summary>Parses BricksLLM's unit codes: <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>, <c>mo</c>.</summary>
    public static bool TryParse(string? code, out LimitUnit unit)
    {
        switch (code)
        {
            case "s": unit = LimitUnit.Second; return true;
            case "m": unit = LimitUnit.Minute; return true;
            case "h": unit = LimitUnit.Hour; return true;
            case "d": unit = LimitUnit.Day; return true;
            case "mo": unit = LimitUnit.Month; return true;
            default: unit = default; return false;
        }
    }

    public static string Code(this LimitUnit unit) => unit switch
    {
        LimitUnit.Second => "s",
        LimitUnit.Minute => "m",
        LimitUnit.Hour => "h",
        LimitUnit.Day => "d",
        LimitUnit.Month => "mo",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, null),
    };

    /// <summary>The window containing <paramref name="now"/>: [start, end).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Window(this LimitUnit unit, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var start = unit switch
        {
            LimitUnit.Second => new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second, DateTimeKind.Utc),
            LimitUnit.Minute => new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc),
            LimitUnit.Hour => new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc),
            LimitUnit.Day => new DateTime(utc.Year, utc.Month, utc.Day, 0, 0, 0, DateTimeKind.Utc),
            LimitUnit.Month => new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, null),
        };
        var end = unit switch
        {
            LimitUnit.Second => start.AddSeconds(1),
            LimitUnit.Minute => start.AddMinutes(1),
            LimitUnit.Hour => start.AddHours(1),
            LimitUnit.Day => start.AddDays(1),
            _ => start.AddMonths(1),
        };
        return (new DateTimeOffset(start), new DateTimeOffset(end));
    }
}
