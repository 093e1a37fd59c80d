namespace Gateway.Domain.Limits;

/// <summary>
/// Go's <c>time.ParseDuration</c> syntax (what BricksLLM stores in <c>ttl</c>, <c>timeout</c>,
/// <c>cacheConfig.ttl</c>), plus <c>d</c> for days because BricksLLM's own examples write <c>2d</c>.
/// </summary>
/// <remarks>
/// A duration is an optional sign and a sequence of decimal numbers, each with an optional
/// fraction and a required unit: <c>ns</c>, <c>us</c> (or <c>µs</c>), <c>ms</c>, <c>s</c>,
/// <c>m</c>, <c>h</c>, <c>d</c>; e.g. <c>300ms</c>, <c>1.5h</c>, <c>1h30m</c>, <c>-2h45m</c>.
/// A bare <c>0</c> is zero. The range is Go's (±2^63 ns, about 292 years); precision is
/// .NET's 100 ns tick, so a value below 100 ns parses as zero.
/// </remarks>
public static class GoDuration
{
    private const ulong MaxMagnitude = 1UL << 63;
    private const ulong Nanosecond = 1;
    private const ulong Microsecond = 1000 * Nanosecond;
    private const ulong Millisecond = 1000 * Microsecond;
    private const ulong Second = 1000 * Millisecond;
    private const ulong Minute = 60 * Second;
    private const ulong Hour = 60 * Minute;
    private const ulong Day = 24 * Hour;

    public static bool TryParse(string? text, out TimeSpan duration) => TryParse(text.AsSpan(), out duration);

    public static bool TryParse(ReadOnlySpan<char> s, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (s[0] != '.' && !char.IsAsciiDigit(s[0]))
            {
                return false;
            }

            // The integer part.
            var digits = CountDigits(s);
            if (!TryParseInteger(s[..digits], out var value))
            {
                return false;
            }

            var hadInteger = digits > 0;
            s = s[digits..];

            // The fraction: kept as digits over a power of ten, as Go does.
            ulong fraction = 0;
            double scale = 1;
            var hadFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var fractionDigits = CountDigits(s);
                hadFraction = fractionDigits > 0;
                foreach (var c in s[..fractionDigits])
                {
                    // Digits beyond what fits are dropped, as in Go's leadingFraction.
                    if (fraction > (long.MaxValue - 9) / 10)
                    {
                        continue;
                    }

                    fraction = (fraction * 10) + (ulong)(c - '0');
                    scale *= 10;
                }

                s = s[fractionDigits..];
            }

            if (!hadInteger && !hadFraction)
            {
                return false;
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0 || !TryUnit(s[..unitLength], out var unit))
            {
                return false;
            }

            s = s[unitLength..];
            if (value > MaxMagnitude / unit)
            {
                return false;
            }

            value *= unit;
            if (fraction > 0)
            {
                value += (ulong)(fraction * (unit / scale));
                if (value > MaxMagnitude)
                {
                    return false;
                }
            }

            total += value;
            if (total > MaxMagnitude)
            {
                return false;
            }
        }

        if (!negative && total > MaxMagnitude - 1)
        {
            return false;
        }

        // 1 tick = 100 ns; long division truncates toward zero like a Go Duration to ticks would.
        var ticks = (long)(total / 100);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    private static int CountDigits(ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i;
    }

    private static bool TryParseInteger(ReadOnlySpan<char> digits, out ulong value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (value > (MaxMagnitude - 1) / 10)
            {
                return false;
            }

            value = (value * 10) + (ulong)(c - '0');
            if (value > MaxMagnitude)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryUnit(ReadOnlySpan<char> unit, out ulong nanoseconds)
    {
        nanoseconds = unit switch
        {
            "ns" => Nanosecond,
            "us" or "\u00b5s" or "\u03bcs" => Microsecond,
            "ms" => Millisecond,
            "s" => Second,
            "m" => Minute,
            "h" => Hour,
            "d" => Day,
            _ => 0,
        };
        return nanoseconds != 0;
    }
}
