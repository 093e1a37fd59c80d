using Azure;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// The claim check: an event too large for its queue is written whole to a blob named after its
/// event id, and the queue carries <see cref="UsageMessageCodec.ClaimCheckEnvelope"/>. Nothing is
/// dropped or truncated. Uploads overwrite, so a retried send is idempotent.
/// </summary>
public sealed class UsageClaimCheckStore(UsageQueueClients clients)
{
    /// <summary>The bytes to put on the queue: the event itself when it fits in <paramref name="maxBytes"/>, else a claim check.</summary>
    public async Task<byte[]> EncodeForQueueAsync(UsageEventMessage message, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = UsageMessageCodec.Serialize(message);
        return body.Length <= maxBytes ? body : await ClaimAsync(message, body, cancellationToken);
    }

    /// <summary>Writes <paramref name="json"/> (the whole event) to its blob and returns the claim-check form the queue carries instead.</summary>
    public async Task<byte[]> ClaimAsync(UsageEventMessage message, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await clients.EnsureClaimContainerAsync(cancellationToken);
        var blob = clients.ClaimContainer.GetBlobClient(message.EventId);
        await blob.UploadAsync(BinaryData.FromBytes(json), overwrite: true, cancellationToken);
        var envelope = UsageMessageCodec.ClaimCheckEnvelope(message, new UsageClaimCheck
        {
            Container = clients.ClaimContainer.Name,
            Blob = message.EventId,
            Length = json.Length,
        });
        return UsageMessageCodec.Serialize(envelope);
    }

    /// <summary>
    /// The whole event behind a claim check, or null and why when it cannot be had (the message is
    /// poison). Storage errors other than a missing blob throw: they are transient.
    /// </summary>
    public async Task<(UsageEventMessage? Message, string? Error)> ResolveAsync(UsageEventMessage envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var claim = envelope.ClaimCheck!;
        if (!string.Equals(claim.Container, clients.ClaimContainer.Name, StringComparison.Ordinal))
        {
            return (null, $"claim check names container '{claim.Container}'; claim checks live in '{clients.ClaimContainer.Name}'");
        }

        BinaryData content;
        try
        {
            content = (await clients.ClaimContainer.GetBlobClient(claim.Blob).DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, $"claim-check blob '{claim.Container}/{claim.Blob}' does not exist");
        }

        var message = UsageMessageCodec.TryParse(content.ToMemory().Span, out var error);
        if (message is null)
        {
            return (null, $"claim-check blob '{claim.Blob}': {error}");
        }

        if (!string.Equals(message.EventId, envelope.EventId, StringComparison.Ordinal) || message.ClaimCheck is not null)
        {
            return (null, $"claim-check blob '{claim.Blob}' holds event '{message.EventId}', not '{envelope.EventId}'");
        }

        return (message, null);
    }
}
