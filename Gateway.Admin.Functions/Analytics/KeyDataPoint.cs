namespace Gateway.Admin.Functions.Analytics;

/// <summary>A key and what it spent in the requested range.</summary>
internal sealed record KeyDataPoint(string KeyId, double CostInUsd);
