using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Domain.Privacy;
using Gateway.Domain.Privacy.Detection;

namespace Gateway.Privacy.Benchmarks;

/// <summary>
/// What the local detector adds to a request: scan a prompt and redact what it finds, for a
/// typical policy (e-mail, phone, card) and for <c>all</c> (every local recogniser), on a 4 KB and
/// a 100 KB prompt of prose with a value every ~500 characters.
/// </summary>
[MemoryDiagnoser]
public class LocalDetectorBenchmarks
{
    private static readonly string[] Values = ["jane.doe@example.com", "+44 20 7946 0958", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32", "192.168.10.20", "password=hunter2"];

    private CompiledPolicy _typical = null!;
    private CompiledPolicy _all = null!;
    private string _prompt = null!;

    [Params(4 * 1024, 100 * 1024)]
    public int PromptBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _typical = PolicyCompiler.Compile(new Policy
        {
            Id = "typical",
            Config = new PolicyConfig { Rules = new() { [PiiEntity.Email] = PiiActions.Redact, [PiiEntity.Phone] = PiiActions.Redact, [PiiEntity.CreditDebitNumber] = PiiActions.Block } },
        });
        _all = PolicyCompiler.Compile(new Policy { Id = "all", Config = new PolicyConfig { Rules = new() { [PiiEntity.All] = PiiActions.Redact } } });
        var text = new StringBuilder(PromptBytes);
        var i = 0;
        while (text.Length < PromptBytes)
        {
            text.Append("The quarterly review covers revenue, churn and the roadmap for the next release of the product, ");
            text.Append("with notes from support about response times and the backlog of open tickets. ");
            text.Append("Contact ").Append(Values[i++ % Values.Length]).Append(" for details. ");
        }

        _prompt = text.ToString(0, PromptBytes);
    }

    [Benchmark(Baseline = true)]
    public string TypicalPolicy() => Redact(_typical);

    [Benchmark]
    public string AllLocalEntities() => Redact(_all);

    private string Redact(CompiledPolicy policy) => new PlaceholderBook().Apply(_prompt, LocalPiiDetector.Detect(_prompt, policy));
}
