using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Gateway.Domain.Usage;

/// <summary>
/// Reads a provider's JSON as it streams past, chunk by chunk, in bounded memory, and keeps only
/// what costing needs: the numbers under <c>usage</c> (or <c>message.usage</c>), the completion
/// text, and whether the document is an OpenAI usage-only stream chunk (<c>choices: []</c> with
/// a <c>usage</c> object). Never throws on malformed input: it stops tapping instead.
/// </summary>
/// <remarks>
/// It runs on every proxied response, so it allocates nothing per token: property names are
/// compared as UTF-8 bytes and only those below a <c>usage</c> object are decoded (into a reused
/// path buffer), the usage keys that providers commonly send are shared strings, and text is
/// decoded straight into the text builder.
/// </remarks>
public sealed partial class JsonUsageTap
{
    // A single JSON token larger than this (say a 10 MB base64 string) stops the tap rather than buffering it.
    private const int MaxCarryBytes = 1 << 20;
    private const int MaxTextChars = 1 << 20;

    // Text tokens up to this many bytes are decoded on the stack; longer ones in a pooled array.
    private const int StackTextBytes = 256;

    private readonly Dictionary<string, long> _usage = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _usageByPath;
    private Frame[] _stack = new Frame[8];
    private int _depth;
    private Name _property;

    // Below a usage object, the names of the open containers under it, each followed by '.', are
    // _path[_pathStart.._pathLength], and the current property's name follows them (_nameLength
    // chars, not yet committed). _pathStart is -1 outside any usage object.
    private char[] _path = new char[64];
    private int _pathStart = -1;
    private int _pathLength;
    private int _nameLength;

    private byte[] _carry = [];
    private int _carryLength;
    private JsonReaderState _state;
    private StringBuilder? _text;
    private int _topLevelChoices = -1;
    private bool _usageObject;
    private bool _sawData;

    public JsonUsageTap() => _usageByPath = _usage.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// True when the input was not JSON, a token was too large, or a name below <c>usage</c> was not
    /// valid text; what was read stays valid. (Completion text that is not valid text is skipped.)
    /// </summary>
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
        _depth = 0;
        _usage.Clear();
        _pathStart = -1;
        _pathLength = 0;
        _nameLength = 0;
        _carryLength = 0;
        _state = default;
        _property = Name.None;
        _text?.Clear();
        _topLevelChoices = -1;
        _usageObject = false;
        _sawData = false;
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

        // Join the unread tail of the previous chunk with this one, in place.
        var needed = _carryLength + chunk.Length;
        if (needed > _carry.Length)
        {
            Array.Resize(ref _carry, Math.Max(needed, _carry.Length * 2));
        }

        chunk.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength = 0;
        Consume(_carry.AsSpan(0, needed), isFinal);
    }

    private void Consume(ReadOnlySpan<byte> data, bool isFinal)
    {
        if (data.IsEmpty && !_sawData)
        {
            // Nothing read yet (an SSE event without JSON, such as "[DONE]"): no document to end, and
            // Utf8JsonReader would throw for the empty final block (an exception per streamed response).
            return;
        }

        _sawData = true;
        var reader = new Utf8JsonReader(data, isFinal, _state);
        try
        {
            while (reader.Read())
            {
                OnToken(ref reader);
                if (Failed)
                {
                    return;
                }
            }
        }
        catch (JsonException)
        {
            Failed = true;
            return;
        }

        _state = reader.CurrentState;

        // Whitespace between tokens means nothing: a document's trailing newline is not carried.
        var rest = data[(int)reader.BytesConsumed..].TrimStart(" \t\r\n"u8);
        if (rest.Length > MaxCarryBytes)
        {
            Failed = true;
            return;
        }

        if (rest.Length > _carry.Length)
        {
            _carry = new byte[Math.Max(rest.Length, 256)];
        }

        // The rest may already lie in _carry (Append joined the chunks there): CopyTo allows the overlap.
        rest.CopyTo(_carry);
        _carryLength = rest.Length;
    }

    private void OnToken(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _property = NameOf(ref reader);
                if (_pathStart >= 0)
                {
                    TakeName(ref reader);
                }

                break;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                Push(reader.TokenType == JsonTokenType.StartArray);
                break;
            case JsonTokenType.EndObject:
            case JsonTokenType.EndArray:
                var frame = _stack[--_depth];
                if (frame.IsArray && _depth == 1 && frame.Name == Name.Choices)
                {
                    _topLevelChoices = frame.Children;
                }

                _pathStart = frame.PathStart;
                _pathLength = frame.PathLength;
                _property = Name.None;
                break;
            case JsonTokenType.Number:
                if (_depth == 1 && _property == Name.Duration && reader.TryGetDouble(out var seconds))
                {
                    Duration = seconds;
                }

                if (_pathStart >= 0 && _property != Name.None && reader.TryGetInt64(out var number))
                {
                    AddUsageNumber(number);
                }

                _property = Name.None;
                break;
            case JsonTokenType.String:
                if (Model is null && _property == Name.Model && (_depth == 1 || (_depth == 2 && _stack[1].Name == Name.Message && !_stack[1].IsArray)))
                {
                    Model = DecodeOrNull(ref reader);
                }

                if (IsTextPath())
                {
                    AppendText(ref reader);
                }

                _property = Name.None;
                break;
            default:
                _property = Name.None;
                break;
        }
    }

    // The stack holds a frame per open container; an array's elements are named after the array.
    private void Push(bool isArray)
    {
        var name = Name.None;
        if (_depth > 0)
        {
            ref var parent = ref _stack[_depth - 1];
            if (parent.IsArray)
            {
                parent.Children++;
            }

            name = parent.IsArray ? parent.Name : _property;
            if (!isArray && _depth == 1 && _property == Name.Usage)
            {
                _usageObject = true;
            }
        }

        if (_depth == _stack.Length)
        {
            Array.Resize(ref _stack, _stack.Length * 2);
        }

        _stack[_depth] = new Frame(name, isArray, PathStart: _pathStart, PathLength: _pathLength);
        if (_depth > 0 && !isArray && name == Name.Usage)
        {
            // The nearest usage object is the one paths are relative to.
            _pathStart = _pathLength;
        }
        else if (_pathStart >= 0)
        {
            CommitSegment();
        }

        _depth++;
        _property = Name.None;
    }

    // Below usage: the new container's name becomes part of the path (an array element's is the array's).
    private void CommitSegment()
    {
        var parent = _stack[_depth - 1];
        if (parent.IsArray)
        {
            var start = parent.PathLength;
            var length = _pathLength - 1 - start;
            EnsurePathCapacity(_pathLength + length + 1);
            _path.AsSpan(start, length).CopyTo(_path.AsSpan(_pathLength));
            _nameLength = length;
        }

        _pathLength += _nameLength;
        _path[_pathLength++] = '.';
        _nameLength = 0;
    }

    // Below usage: decode the property name after the path, where a number or container will use it.
    private void TakeName(ref Utf8JsonReader reader)
    {
        // A name never decodes to more UTF-16 chars than it has bytes; one more for the '.' after it.
        EnsurePathCapacity(_pathLength + reader.ValueSpan.Length + 1);
        try
        {
            _nameLength = reader.CopyString(_path.AsSpan(_pathLength));
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 or a lone escaped surrogate: no path can name it.
            Failed = true;
        }
    }

    private void EnsurePathCapacity(int length)
    {
        if (length > _path.Length)
        {
            Array.Resize(ref _path, Math.Max(length, _path.Length * 2));
        }
    }

    private void AddUsageNumber(long number)
    {
        if (_usage.Count == 0)
        {
            // OpenAI's chat usage has nine numbers: room for them at once instead of three growths.
            _usage.EnsureCapacity(9);
        }

        // A common key is found as its shared string; any other is looked up by its chars and becomes a string only when new.
        var path = _path.AsSpan(_pathStart, _pathLength + _nameLength - _pathStart);
        ref var value = ref KnownUsagePaths.TryGetValue(path, out var known)
            ? ref CollectionsMarshal.GetValueRefOrAddDefault(_usage, known, out _)
            : ref CollectionsMarshal.GetValueRefOrAddDefault(_usageByPath, path, out _);

        // A path seen twice keeps its largest number; a new one starts from 0 (so a negative number reads as 0).
        value = Math.Max(number, value);
    }

    // OpenAI-style: choices[].message.content, choices[].delta.content, choices[].text.
    // Anthropic: content[].text (a message), delta.text (a stream's content_block_delta).
    private bool IsTextPath()
    {
        var depth = _depth;
        var inChoices = depth >= 3 && _stack[1].IsArray && _stack[1].Name == Name.Choices;
        return (_property == Name.Content && depth == 4 && inChoices && _stack[3].Name is Name.Message or Name.Delta)
            || (_property == Name.Text && depth == 3 && inChoices)
            || (_property == Name.Text && depth == 3 && _stack[1].IsArray && _stack[1].Name == Name.Content)
            || (_property == Name.Text && depth == 2 && _stack[1].Name == Name.Delta);
    }

    private void AppendText(ref Utf8JsonReader reader)
    {
        _text ??= new StringBuilder();
        if (_text.Length >= MaxTextChars)
        {
            return;
        }

        var length = reader.ValueSpan.Length;
        char[]? rented = null;
        Span<char> chars = length <= StackTextBytes ? stackalloc char[StackTextBytes] : (rented = ArrayPool<char>.Shared.Rent(length));
        try
        {
            _text.Append(chars[..reader.CopyString(chars)]);
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 or a lone escaped surrogate (a stream may split an emoji's escapes across
            // chunks): this piece of text is skipped, the usage after it is still read.
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static string? DecodeOrNull(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>An open container; below usage, where the path stood when it opened (restored when it closes).</summary>
    private record struct Frame(Name Name, bool IsArray, int Children = 0, int PathStart = -1, int PathLength = 0);
}
