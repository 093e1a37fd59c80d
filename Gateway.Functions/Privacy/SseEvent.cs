using System.Buffers;
using System.Text;

namespace Gateway.Functions.Privacy;

/// <summary>One server-sent event as text: its other fields (<c>event:</c>, <c>id:</c>) kept as they were, and its data.</summary>
internal sealed class SseEvent
{
    private readonly List<string> _fields = [];

    public string? Data { get; set; }

    public static SseEvent Parse(ReadOnlySpan<byte> bytes)
    {
        var sse = new SseEvent();
        StringBuilder? data = null;
        foreach (var range in Encoding.UTF8.GetString(bytes).AsSpan().TrimEnd("\r\n").EnumerateLines())
        {
            var line = range.ToString();
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data = data is null ? new StringBuilder() : data.Append('\n');
                data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
            }
            else
            {
                sse._fields.Add(line);
            }
        }

        sse.Data = data?.ToString();
        return sse;
    }

    public static void Write(IBufferWriter<byte> output, string? eventName, string data)
    {
        var text = eventName is null ? $"data: {data}\n\n" : $"event: {eventName}\ndata: {data}\n\n";
        Encoding.UTF8.GetBytes(text, output);
    }

    public void WriteTo(IBufferWriter<byte> output)
    {
        var text = new StringBuilder();
        foreach (var field in _fields)
        {
            text.Append(field).Append('\n');
        }

        if (Data is not null)
        {
            text.Append("data: ").Append(Data).Append('\n');
        }

        Encoding.UTF8.GetBytes(text.Append('\n').ToString(), output);
    }
}
