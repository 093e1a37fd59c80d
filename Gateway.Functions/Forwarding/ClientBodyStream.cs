namespace Gateway.Functions.Forwarding;

/// <summary>
/// The client's request body as the upstream request's content, remembering whether reading it
/// failed: HttpClient reports a failing source as an upstream error, but a malformed chunk or a
/// body above the limit is the client's (a 400 or 413), not the upstream's (a 502).
/// </summary>
internal sealed class ClientBodyStream(Stream inner) : ReadOnlyStream
{
    public Exception? ReadFailure { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException)
        {
            ReadFailure = ex;
            throw;
        }
    }

    /// <summary>The status a failure to read the client's body deserves: Kestrel's own (413 over the limit) or 400.</summary>
    public static int StatusOf(Exception failure)
    {
        for (var ex = failure; ex is not null; ex = ex.InnerException)
        {
            if (ex is BadHttpRequestException bad)
            {
                return bad.StatusCode;
            }
        }

        return StatusCodes.Status400BadRequest;
    }
}
