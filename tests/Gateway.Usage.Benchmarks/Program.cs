using BenchmarkDotNet.Running;
using Gateway.Usage.Benchmarks;

// Usage pipeline benchmarks, on demand (real PostgreSQL, Redis and Azurite on loopback):
//
//   dotnet run -c Release --project tests/Gateway.Usage.Benchmarks -- ingest [events] [concurrency]
//       events per second through ingest: Storage queue → consumer → PostgreSQL + Redis, and the
//       handler alone (no queue) for comparison.
//   dotnet run -c Release --project tests/Gateway.Usage.Benchmarks -- propagation [samples] [load events/s]
//       spend propagation: send of the event crossing a key's limit → the limiter's first refusal,
//       p50/p99 with the default consumer settings, under background load.
//   dotnet run -c Release --project tests/Gateway.Usage.Benchmarks -- publisher
//       BenchmarkDotNet: the proxy-path cost of UsageEventPublisher.Publish, and the per-event work
//       the publisher's background loop and ingest do (serialize, cost).
//
// Measured on the development machine (2 vCPU, PostgreSQL, Redis and Azurite on the same machine):
//   handler only: ~1,500 events/s; Storage queue → ingest end to end: ~260 events/s, bound by
//   Azurite (one Node.js process at 100% CPU; its receive slows down with the backlog);
//   Publish: 23 ns and 14 B per event on the request path; Serialize 1.4 µs, costing 0.25 µs with
//   provider usage, 82 µs when counting ~900 tokens with SharpToken.
if (args is ["publisher", ..])
{
    BenchmarkRunner.Run<PublisherBenchmarks>(args: args[1..]);
    return;
}

if (args is ["propagation", ..])
{
    await SpendPropagation.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000);
    return;
}

var events = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
var concurrency = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 32;
await IngestThroughput.RunAsync(events, concurrency);
