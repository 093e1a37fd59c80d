using System.Text;
using System.Text.Json;

namespace Gateway.Domain.Usage;

/// <summary>
/// Reads a provider's JSON as it streams past, chunk by chunk, in bounded memory, and keeps only
/// what costing needs: the numbers under <c>usage</c> (or <c>message.usage</c>), the completion
/// text, and whether the document is an OpenAI usage-only stream chunk (<c>choices: []</c> with
/// a <c>usage</c> object). Never throws on malformed input: it stops tapping instead.
/// </summary>
public sealed class JsonUsageTap
{
    // A single JSON token larger than this (say a 10 MB base64 string) stops the tap rather than buffering it.
    private const int MaxCarryBytes = 1 << 20;
    private const int MaxTextChars = 1 << 20;

    private readonly List<Frame> _stack = [];
    private readonly Dictionary<string, long> _usage = new(StringComparer.Ordinal);
    private byte[] _carry = [];
    private int _carryLength;
    private JsonReaderState _state;
    private string? _property;
    private StringBuilder? _text;
    private int _topLevelChoices = -1;
    private bool _usageObject;

    /// <summary>True when the input was not JSON or a token was too large; what was read stays valid.</summary>
    public bool Failed { get; private set; }

    /// <summary>Numbers found under <c>usage</c>, by their path below it (e.g. <c>prompt_tokens_details.cached_tokens</c>).</summary>
    public IReadOnlyDictionary<string, long> UsageNumbers => _usage;

    /// <summary>Completion text seen so far (message content, stream deltas, Anthropic text blocks), bounded.</summary>
    public string? Text => _text?.ToString();

    /// <summary>Top-level <c>duration</c> in seconds (OpenAI <c>verbose_json</c> transcriptions), when present.</summary>
    public double? Duration { get; private set; }

    /// <summary>
    /// The model the response names: top-level <c>model</c>, or Anthropic's <c>message.model</c>.
    /// Read once and kept across <see cref="Reset"/> (every event of a stream names the same model).
    /// </summary>
    public string? Model { get; private set; }

    /// <summary>An OpenAI usage-only chunk: top-level <c>choices</c> is an empty array and <c>usage</c> is an object.</summary>
    public bool IsUsageOnlyChunk => _topLevelChoices == 0 && _usageObject;

    public void Reset()
    {
        _stack.Clear();
        _usage.Clear();
        _carryLength = 0;
        _state = default;
        _property = null;
        _text?.Clear();
        _topLevelChoices = -1;
        _usageObject = false;
        Duration = null;
        Failed = false;
    }

    public void Append(ReadOnlySpan<byte> chunk, bool isFinal)
    {
        if (Failed)
        {
            return;
        }

        if (_carryLength == 0)
        {
            Consume(chunk, isFinal);
            return;
        }

        // Join the unread tail of the previous chunk with this one.
        var needed = _carryLength + chunk.Length;
        if (needed > _carry.Length)
        {
            Array.Resize(ref _carry, Math.Max(needed, _carry.Length * 2));
        }

        chunk.CopyTo(_carry.AsSpan(_carryLength));
        var joined = _carry.AsSpan(0, needed).ToArray();
        _carryLength = 0;
        Consume(joined, isFinal);
    }

    private void Consume(ReadOnlySpan<byte> data, bool isFinal)
    {
        var reader = new Utf8JsonReader(data, isFinal, _state);
        try
        {
            while (reader.Read())
            {
                OnToken(ref reader);
            }
        }
        catch (JsonException)
        {
            Failed = true;
            return;
        }

        _state = reader.CurrentState;
        var rest = data[(int)reader.BytesConsumed..];
        if (rest.Length > MaxCarryBytes)
        {
            Failed = true;
            return;
        }

        if (rest.Length > _carry.Length)
        {
            _carry = new byte[Math.Max(rest.Length, 4096)];
        }

        rest.CopyTo(_carry);
        _carryLength = rest.Length;
    }

    private void OnToken(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _property = reader.GetString();
                break;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                if (_stack.Count > 0 && _stack[^1].IsArray)
                {
                    _stack[^1] = _stack[^1] with { Children = _stack[^1].Children + 1 };
                }

                if (reader.TokenType == JsonTokenType.StartObject && _stack.Count == 1 && _property == "usage")
                {
                    _usageObject = true;
                }

                _stack.Add(new Frame(_stack.Count == 0 ? string.Empty : CurrentName(), reader.TokenType == JsonTokenType.StartArray, 0));
                _property = null;
                break;
            case JsonTokenType.EndObject:
            case JsonTokenType.EndArray:
                var frame = _stack[^1];
                _stack.RemoveAt(_stack.Count - 1);
                if (frame.IsArray && _stack.Count == 1 && frame.Name == "choices")
                {
                    _topLevelChoices = frame.Children;
                }

                _property = null;
                break;
            case JsonTokenType.Number:
                if (_stack.Count == 1 && _property == "duration" && reader.TryGetDouble(out var seconds))
                {
                    Duration = seconds;
                }

                if (reader.TryGetInt64(out var number) && UsagePath() is { } path)
                {
                    _usage[path] = Math.Max(number, _usage.GetValueOrDefault(path));
                }

                _property = null;
                break;
            case JsonTokenType.String:
                if (Model is null && _property == "model" && (_stack.Count == 1 || (_stack.Count == 2 && _stack[1].Name == "message" && !_stack[1].IsArray)))
                {
                    Model = reader.GetString();
                }

                if (IsTextPath())
                {
                    _text ??= new StringBuilder();
                    if (_text.Length < MaxTextChars)
                    {
                        _text.Append(reader.GetString());
                    }
                }

                _property = null;
                break;
            default:
                _property = null;
                break;
        }
    }

    private string CurrentName() => _stack[^1].IsArray ? _stack[^1].Name : _property ?? string.Empty;

    // The path of the current number below the nearest "usage" object, or null when not inside one.
    private string? UsagePath()
    {
        if (_property is null)
        {
            return null;
        }

        for (var i = _stack.Count - 1; i >= 1; i--)
        {
            if (_stack[i].Name == "usage" && !_stack[i].IsArray)
            {
                var builder = new StringBuilder();
                for (var j = i + 1; j < _stack.Count; j++)
                {
                    builder.Append(_stack[j].Name).Append('.');
                }

                return builder.Append(_property).ToString();
            }
        }

        return null;
    }

    // The stack holds a frame per open container; an array's elements are named after the array.
    // OpenAI-style: choices[].message.content, choices[].delta.content, choices[].text.
    // Anthropic: content[].text (a message), delta.text (a stream's content_block_delta).
    private bool IsTextPath()
    {
        var depth = _stack.Count;
        var inChoices = depth >= 3 && _stack[1].IsArray && _stack[1].Name == "choices";
        return (_property == "content" && depth == 4 && inChoices && _stack[3].Name is "message" or "delta")
            || (_property == "text" && depth == 3 && inChoices)
            || (_property == "text" && depth == 3 && _stack[1].IsArray && _stack[1].Name == "content")
            || (_property == "text" && depth == 2 && _stack[1].Name == "delta");
    }

    private readonly record struct Frame(string Name, bool IsArray, int Children);
}
