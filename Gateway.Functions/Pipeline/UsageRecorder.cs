using System.Text;
using Gateway.Domain.Usage;

namespace Gateway.Functions.Pipeline;

/// <summary>Collects, across a response's chunks or stream events, the usage numbers and completion text.</summary>
internal sealed class UsageRecorder
{
    private const int MaxTextChars = 1 << 20;
    private readonly Dictionary<string, long> _numbers = new(StringComparer.Ordinal);
    // A whole (unstreamed) answer has one piece of text: kept as is; a builder only once a second piece comes.
    private string? _firstText;
    private StringBuilder? _text;
    private const string SecondsPath = "seconds";
    private double? _audioSeconds;
    private long? _usageSeconds;

    public void Add(JsonUsageTap tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        ResponseModel ??= tap.Model;
        if (tap.Duration is { } duration)
        {
            AudioSeconds = duration;
        }

        var numbers = tap.UsageNumbers;
        if (_numbers.Count == 0)
        {
            // Sized once for the answer's numbers (nine for an OpenAI chat) instead of growing 3 → 7 → 17.
            _numbers.EnsureCapacity(numbers.Count);
        }

        foreach (var (path, value) in numbers)
        {
            if (path == SecondsPath)
            {
                _usageSeconds = Math.Max(value, _usageSeconds ?? 0);
                continue;
            }

            _numbers[path] = Math.Max(value, _numbers.GetValueOrDefault(path));
        }

        if (tap.Text is { } text)
        {
            AddText(text);
        }
    }

    /// <summary>Completion text read by a reader of its own (custom providers' configured locations).</summary>
    public void AddText(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (_firstText is null)
        {
            _firstText = text;
            return;
        }

        _text ??= new StringBuilder(_firstText);
        if (_text.Length < MaxTextChars)
        {
            _text.Append(text);
        }
    }

    // Transcriptions report audio length as usage {"type":"duration","seconds":N}, or as verbose_json's duration.
    public double? AudioSeconds
    {
        get => _audioSeconds ?? _usageSeconds;
        private set => _audioSeconds = value;
    }

    public TokenUsage? Usage => TokenUsage.FromUsageNumbers(_numbers);

    /// <summary>The model the response names (<c>model</c>, Anthropic <c>message.model</c>): <c>gen_ai.response.model</c>.</summary>
    public string? ResponseModel { get; private set; }

    public string? CompletionText => _text?.ToString() ?? _firstText;
}
