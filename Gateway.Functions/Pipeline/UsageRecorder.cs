using System.Text;
using Gateway.Domain.Usage;

namespace Gateway.Functions.Pipeline;

/// <summary>Collects, across a response's chunks or stream events, the usage numbers and completion text.</summary>
internal sealed class UsageRecorder
{
    private const int MaxTextChars = 1 << 20;
    private readonly Dictionary<string, long> _numbers = new(StringComparer.Ordinal);
    private StringBuilder? _text;
    private const string SecondsPath = "seconds";
    private double? _audioSeconds;
    private long? _usageSeconds;

    public void Add(JsonUsageTap tap)
    {
        if (tap.Duration is { } duration)
        {
            AudioSeconds = duration;
        }

        foreach (var (path, value) in tap.UsageNumbers)
        {
            if (path == SecondsPath)
            {
                _usageSeconds = Math.Max(value, _usageSeconds ?? 0);
                continue;
            }

            _numbers[path] = Math.Max(value, _numbers.GetValueOrDefault(path));
        }

        if (tap.Text is { Length: > 0 } text)
        {
            _text ??= new StringBuilder();
            if (_text.Length < MaxTextChars)
            {
                _text.Append(text);
            }
        }
    }

    /// <summary>Completion text read by a reader of its own (custom providers' configured locations).</summary>
    public void AddText(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        _text ??= new StringBuilder();
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

    public string? CompletionText => _text?.ToString();
}
