using System.Globalization;

namespace Gateway.Benchmarks;

/// <summary><c>[--seconds 10] [--rate 500] [--concurrency 32] [--trace 0] [--load-only 0] [--limits 1] [--telemetry 0] [--yarp 0] [--fixed 0]</c>.</summary>
/// <remarks>
/// <c>--load-only N</c>: the gateway alone, warmed up, then N s of closed-loop load (for an external profiler); no report. With <c>--yarp 1</c> the bare YARP proxy instead of the gateway; with <c>--fixed 1</c> open-loop load at <c>--rate</c> instead.
/// <c>--telemetry N</c>: only the gateway: telemetry off, metrics only, spans at the default sample ratio, spans at 1.0; N rounds, each round's ratios to its "off" and their medians (README, telemetry's cost).
/// </remarks>
internal sealed record BenchmarkOptions(int Seconds, int Rate, int Concurrency, int TraceSeconds, int LoadOnlySeconds = 0, bool Limits = true, int TelemetryRounds = 0, bool LoadOnlyYarp = false, bool LoadOnlyFixedRate = false)
{
    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions(10, 500, 32, 0);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--seconds" => options with { Seconds = value },
                "--rate" => options with { Rate = value },
                "--concurrency" => options with { Concurrency = value },
                "--trace" => options with { TraceSeconds = value },
                "--load-only" => options with { LoadOnlySeconds = value },
                "--limits" => options with { Limits = value != 0 },
                "--telemetry" => options with { TelemetryRounds = value },
                "--yarp" => options with { LoadOnlyYarp = value != 0 },
                "--fixed" => options with { LoadOnlyFixedRate = value != 0 },
                _ => throw new ArgumentException($"unknown option {args[i]}; expected --seconds, --rate, --concurrency, --trace, --load-only, --limits, --telemetry, --yarp, --fixed"),
            };
        }

        return options;
    }
}

internal static class ProxyPaths
{
    public const string Chat = "/api/providers/openai/v1/chat/completions";
}

/// <summary>One contender's figures; CPU and memory are absent for the upstream measured directly.</summary>
/// <param name="ClosedCpuPerRequest">The proxy's CPU time per request during the closed-loop phase (µs): what its one core could serve if it had that core to itself.</param>
/// <param name="ClosedCpuPercent">The proxy's CPU during the closed-loop phase, in % of one core: under ~90 % the proxy was not what bounded the throughput.</param>
internal sealed record ContenderResult(string Name, double Throughput, double P50, double P99, double? CpuPercent, double TtfbP50, double TtfbP99, double? PeakRssMiB, long Errors, string ErrorStatuses = "", double? ClosedCpuPerRequest = null, double? ClosedCpuPercent = null);
