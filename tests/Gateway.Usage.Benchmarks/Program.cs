using System.Globalization;
using BenchmarkDotNet.Running;
using Gateway.Usage.Benchmarks;

// Usage pipeline benchmarks, on demand (real PostgreSQL, Redis and Azurite on loopback); commands
// and figures in README.md.
switch (args)
{
    case ["publisher", .. var rest]:
        await PublisherThroughput.RunAsync(Arg(rest, 0, 50_000), Arg(rest, 1, 10_000));
        break;
    case ["publisher-kill", .. var rest]:
        await PublisherCrash.RunAsync(Arg(rest, 0, 500), Arg(rest, 1, 10));
        break;
    case ["publisher-child", var storage, var queue, var spill, var run, var rate]:
        await PublisherCrash.ChildAsync(storage, queue, spill, run, int.Parse(rate, CultureInfo.InvariantCulture));
        break;
    case ["propagation", .. var rest]:
        await SpendPropagation.RunAsync(Arg(rest, 0, 200), Arg(rest, 1, 1000));
        break;
    case ["publisher-micro", .. var rest]:
        BenchmarkRunner.Run<PublisherBenchmarks>(args: rest);
        break;
    default:
        await IngestThroughput.RunAsync(Arg(args, 1, 20_000), Arg(args, 2, 32));
        break;
}

static int Arg(string[] args, int index, int fallback)
    => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
