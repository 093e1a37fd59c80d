namespace Gateway.Admin.Functions.Analytics;

/// <summary>Answer of the two event reporting endpoints; percentiles are <c>percentile_cont</c> over the same events.</summary>
internal sealed record ReportingResponse(List<DataPoint> DataPoints, double LatencyInMsMedian, double LatencyInMs99th);
