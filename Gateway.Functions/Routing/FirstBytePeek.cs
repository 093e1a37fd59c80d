using System.Net.Http.Headers;
using Gateway.Functions.Forwarding;

namespace Gateway.Functions.Routing;

/// <summary>
/// Reads the first bytes of an answer before anything is sent to the client, so that an upstream
/// that fails after its headers but before its first byte (a stream cut or stalled at once) can
/// still be failed over; the bytes read are handed on in front of the rest of the body.
/// </summary>
internal static class FirstBytePeek
{
    private const int PeekBytes = 4096;

    /// <summary>True when the first read came (or the body is empty); false when the upstream failed or stalled before it.</summary>
    public static async Task<bool> TryAsync(HttpResponseMessage response, ForwardTimeouts timeouts, TimeSpan idleTimeout, CancellationToken clientAborted)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(timeouts);
        var original = response.Content;
        var buffer = new byte[PeekBytes];
        int read;
        Stream body;
        try
        {
            timeouts.Arm(idleTimeout);
            body = await original.ReadAsStreamAsync(timeouts.Token);
            read = await body.ReadAsync(buffer, timeouts.Token);
        }
        catch (OperationCanceledException) when (!clientAborted.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !clientAborted.IsCancellationRequested)
        {
            return false;
        }

        var content = new StreamContent(new PrefixedStream(buffer.AsMemory(0, read), body));
        CopyHeaders(original.Headers, content.Headers);
        response.Content = content;
        return true;
    }

    // The raw values (NonValidated): enumerating the headers themselves would parse and re-print them.
    private static void CopyHeaders(HttpContentHeaders from, HttpContentHeaders to)
    {
        foreach (var (name, values) in from.NonValidated)
        {
            to.TryAddWithoutValidation(name, (IEnumerable<string>)values);
        }
    }

    /// <summary>The peeked bytes, then the rest of the upstream body; disposing it disposes the upstream body.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.IsEmpty)
            {
                return await rest.ReadAsync(buffer, cancellationToken);
            }

            var count = Math.Min(buffer.Length, _prefix.Length);
            _prefix[..count].CopyTo(buffer);
            _prefix = _prefix[count..];
            return count;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
