using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Gateway.Privacy.Benchmarks.LocalDetectorBenchmarks).Assembly).Run(args);
