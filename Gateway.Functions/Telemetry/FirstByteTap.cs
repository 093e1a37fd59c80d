using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Telemetry;

/// <summary>Notes when the first body byte reached the client (<see cref="ProxyContext.FirstByteTimestamp"/>): time to first byte, time to first chunk.</summary>
internal sealed class FirstByteTap(ProxyContext context, TimeProvider time) : IResponseTap
{
    public void Start(int status, string? contentType)
    {
    }

    public void Delivered(ReadOnlySpan<byte> bytes)
    {
        if (context.FirstByteTimestamp == 0 && !bytes.IsEmpty)
        {
            context.FirstByteTimestamp = time.GetTimestamp();
        }
    }

    public void End(bool complete)
    {
    }
}
