using Gateway.Admin.Functions.Http;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;

namespace Gateway.Admin.Functions.Limits;

/// <summary>
/// Validation of the limit fields of keys and users, with BricksLLM's rules: an amount and its
/// unit go together; 0 (or an empty unit) means "no limit"; negative amounts are invalid.
/// </summary>
internal static class LimitFields
{
    public const int MaxTtlLength = 64;
    public const int MaxPathLength = 1024;

    private static readonly HashSet<string> RateUnits = new(StringComparer.Ordinal) { "s", "m", "h", "d" };
    private static readonly HashSet<string> CostUnits = new(StringComparer.Ordinal) { "m", "h", "d", "mo" };
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };

    /// <summary>On create, an absent field means no limit.</summary>
    public static SubjectLimits ForCreate(LimitFieldsRequest request, FieldErrors errors)
        => ForUpdate(request, new SubjectLimits(), errors, bothRequired: false);

    /// <summary>On update, an absent field keeps its value; an amount and its unit must be given together.</summary>
    public static SubjectLimits ForUpdate(LimitFieldsRequest request, SubjectLimits current, FieldErrors errors)
        => ForUpdate(request, current, errors, bothRequired: true);

    private static SubjectLimits ForUpdate(LimitFieldsRequest request, SubjectLimits current, FieldErrors errors, bool bothRequired)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(errors);
        var result = current with { };
        if (request.CostLimitInUsd is not null)
        {
            result.CostLimitInUsd = Total(errors, request.CostLimitInUsd);
        }

        if (request.RateLimitOverTime is not null || request.RateLimitUnit is not null)
        {
            var (amount, unit) = Window(errors, "rateLimitOverTime", request.RateLimitOverTime, "rateLimitUnit", request.RateLimitUnit, RateUnits, bothRequired);
            result.RateLimitOverTime = amount is null ? null : (int)amount.Value;
            result.RateLimitUnit = unit;
        }

        if (request.CostLimitInUsdOverTime is not null || request.CostLimitInUsdUnit is not null)
        {
            var (amount, unit) = Window(errors, "costLimitInUsdOverTime", request.CostLimitInUsdOverTime, "costLimitInUsdUnit", request.CostLimitInUsdUnit, CostUnits, bothRequired);
            result.CostLimitInUsdOverTime = amount;
            result.CostLimitInUsdUnit = unit;
        }

        if (request.Ttl is not null)
        {
            result.Ttl = Ttl(errors, request.Ttl);
        }

        if (Paths(errors, request.AllowedPaths) is { } paths)
        {
            result.AllowedPaths = paths;
        }

        return result;
    }

    private static decimal? Total(FieldErrors errors, decimal? amount)
    {
        if (amount < 0)
        {
            errors.Add("costLimitInUsd", "must not be negative");
        }

        return amount > 0 ? amount : null;
    }

    /// <summary>An amount over a window unit. Returns (null, null) for "no limit".</summary>
    private static (decimal? Amount, string? Unit) Window(
        FieldErrors errors, string amountField, decimal? amount, string unitField, string? unit, HashSet<string> units, bool bothRequired)
    {
        var unitList = string.Join(", ", units);
        if (bothRequired && amount is null)
        {
            errors.Add(amountField, $"is required when {unitField} is given (0 with an empty {unitField} removes the limit)");
            return (null, null);
        }

        if (bothRequired && unit is null)
        {
            errors.Add(unitField, $"is required when {amountField} is given (one of {unitList}; empty with {amountField} 0 removes the limit)");
            return (null, null);
        }

        if (amount < 0)
        {
            errors.Add(amountField, "must not be negative");
            return (null, null);
        }

        var hasAmount = amount > 0;
        var hasUnit = !string.IsNullOrEmpty(unit);
        if (hasAmount && !hasUnit)
        {
            errors.Add(unitField, $"is required when {amountField} is given (one of {unitList})");
            return (null, null);
        }

        if (!hasAmount && hasUnit)
        {
            errors.Add(amountField, $"is required when {unitField} is given, and must be greater than 0");
            return (null, null);
        }

        if (hasUnit && !units.Contains(unit!))
        {
            errors.Add(unitField, $"must be one of {unitList}, got '{unit}'");
            return (null, null);
        }

        return hasAmount ? (amount, unit) : (null, null);
    }

    private static (decimal? Amount, string? Unit) Window(
        FieldErrors errors, string amountField, int? amount, string unitField, string? unit, HashSet<string> units, bool bothRequired)
        => Window(errors, amountField, (decimal?)amount, unitField, unit, units, bothRequired);

    /// <summary>A positive Go duration (<c>30s</c>, <c>10m</c>, <c>1h30m</c>, <c>2d</c>); empty means none.</summary>
    public static string? Ttl(FieldErrors errors, string? ttl, string field = "ttl")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrEmpty(ttl))
        {
            return null;
        }

        if (ttl.Length > MaxTtlLength || !GoDuration.TryParse(ttl, out var duration) || duration <= TimeSpan.Zero)
        {
            errors.Add(field, $"must be a positive duration such as 30s, 10m, 2h, 1h30m or 2d, got '{Truncate(ttl)}'");
            return null;
        }

        return ttl;
    }

    /// <summary>Null when not given; otherwise the validated list (methods upper-cased).</summary>
    private static List<AllowedPath>? Paths(FieldErrors errors, List<AllowedPathItem?>? items)
    {
        if (items is null)
        {
            return null;
        }

        var paths = new List<AllowedPath>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"allowedPaths[{i}]";
            var item = items[i];
            if (item is null)
            {
                errors.Add(field, "must be an object {path, method}");
                continue;
            }

            var valid = true;
            if (string.IsNullOrWhiteSpace(item.Path) || !item.Path.StartsWith('/') || item.Path.Length > MaxPathLength || item.Path.Any(char.IsWhiteSpace))
            {
                errors.Add($"{field}.path", $"must be a path starting with / (at most {MaxPathLength} characters, no spaces), e.g. /api/providers/openai/v1/chat/completions");
                valid = false;
            }

            var method = item.Method?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(method) || !Methods.Contains(method))
            {
                errors.Add($"{field}.method", $"must be one of {string.Join(", ", Methods)}");
                valid = false;
            }

            if (valid)
            {
                paths.Add(new AllowedPath(item.Path!, method!));
            }
        }

        return paths;
    }

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "...";
}
