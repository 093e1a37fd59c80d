using System.Globalization;
using Gateway.Domain.Telemetry;

namespace Gateway.Benchmarks;

/// <summary>Prints the gateway with telemetry off and on, round by round, and the cost of telemetry (issue 17's target: ≤ 5 %).</summary>
internal static class TelemetryReport
{
    private static readonly string DefaultRatio = TracesTelemetryOptions.DefaultSampleRatio.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// What each round measures, in this order: off; metrics only (Prometheus aggregating); metrics and
    /// spans at the default sample ratio; metrics and spans with every trace recorded. The optional
    /// instrumentations (Redis, HTTP client) stay at their defaults. No span exporter runs (none is configured):
    /// the figures are the cost of making and recording spans, not of shipping them.
    /// </summary>
    public static readonly (string Name, Dictionary<string, string> Settings)[] Variants =
    [
        ("off", new() { ["Telemetry__Enabled"] = "false" }),
        ("metrics", new() { ["Telemetry__Enabled"] = "true", ["Telemetry__Traces__Enabled"] = "false", ["Telemetry__Prometheus__Enabled"] = "true" }),
        ($"traces {DefaultRatio}", new() { ["Telemetry__Enabled"] = "true", ["Telemetry__Traces__Enabled"] = "true", ["Telemetry__Traces__SampleRatio"] = DefaultRatio, ["Telemetry__Prometheus__Enabled"] = "true" }),
        ("traces 1.0", new() { ["Telemetry__Enabled"] = "true", ["Telemetry__Traces__Enabled"] = "true", ["Telemetry__Traces__SampleRatio"] = "1.0", ["Telemetry__Prometheus__Enabled"] = "true" }),
    ];

    public static void Print(IReadOnlyList<ContenderResult[]> rounds, BenchmarkOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"| round | telemetry | throughput, {options.Concurrency} connections (req/s) | vs off | p50 at {options.Rate} req/s (ms) | p99 (ms) | CPU (% of one core) | CPU vs off | TTFB p50 (ms) | peak RSS (MiB) | non-2xx |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < rounds.Count; i++)
        {
            var off = rounds[i][0];
            for (var v = 0; v < Variants.Length; v++)
            {
                var r = rounds[i][v];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i + 1} | {Variants[v].Name} | {r.Throughput:0} | {r.Throughput / off.Throughput:0.000}× | {r.P50:0.00} | {r.P99:0.00} | {r.CpuPercent:0} | {r.CpuPercent / off.CpuPercent:0.000}× | {r.TtfbP50:0.00} | {r.PeakRssMiB:0} | {r.Errors} |"));
            }
        }

        // Each round's ratio to the same round's "off" (the shared machine drifts between rounds), then the median over rounds.
        Console.WriteLine();
        for (var v = 1; v < Variants.Length; v++)
        {
            var throughput = Median(rounds.Select(r => r[v].Throughput / r[0].Throughput));
            var cpu = Median(rounds.Select(r => (r[v].CpuPercent ?? 0) / (r[0].CpuPercent ?? 1)));
            var p50 = Median(rounds.Select(r => r[v].P50 - r[0].P50));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Variants[v].Name} vs off (median of {rounds.Count} rounds): throughput {throughput:0.000}× (cost {(1 - throughput) * 100:0.0} %; target ≤ 5 %), CPU at {options.Rate} req/s {cpu:0.000}×, p50 {p50:+0.00;-0.00} ms"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
