namespace Gateway.Admin.Functions.Analytics;

/// <summary>Answer of <c>POST /api/reporting/top-keys</c>.</summary>
internal sealed record TopKeysResponse(List<KeyDataPoint> DataPoints);
