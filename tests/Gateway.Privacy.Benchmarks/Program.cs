using System.Diagnostics;
using BenchmarkDotNet.Running;
using Gateway.Privacy.Benchmarks;

// `--cpu N`: CPU time per operation over N runs of each case (this process's user+system time),
// which a machine shared with other work inflates far less than wall-clock means.
if (args is ["--cpu", var count])
{
    var runs = int.Parse(count, System.Globalization.CultureInfo.InvariantCulture);
    foreach (var bytes in (int[])[4 * 1024, 100 * 1024])
    {
        var benchmarks = new LocalDetectorBenchmarks { PromptBytes = bytes };
        benchmarks.Setup();
        foreach (var (name, run) in (ValueTuple<string, Func<string>>[])[("TypicalPolicy", benchmarks.TypicalPolicy), ("AllLocalEntities", benchmarks.AllLocalEntities)])
        {
            for (var i = 0; i < 20; i++)
            {
                run();
            }

            var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < runs; i++)
            {
                run();
            }

            process.Refresh();
            var perOpCpu = (process.TotalProcessorTime - cpu).TotalMicroseconds / runs;
            Console.WriteLine($"{name,-17} {bytes / 1024,4} KB  cpu {perOpCpu,10:0.0} us/op  wall {wall.Elapsed.TotalMicroseconds / runs,10:0.0} us/op");
        }
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(LocalDetectorBenchmarks).Assembly).Run(args);
