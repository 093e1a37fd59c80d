using System.Text;

namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>A message to send: a body and the broker properties the REST API carries.</summary>
internal sealed class ServiceBusRestMessage
{
    public ServiceBusRestMessage(ReadOnlyMemory<byte> body) => Body = body;

    public ServiceBusRestMessage(string body) : this(Encoding.UTF8.GetBytes(body ?? throw new ArgumentNullException(nameof(body))))
    {
    }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Sent as <c>BrokerProperties.MessageId</c>; one is generated when empty, so retries of the same request carry the same id.</summary>
    public string? MessageId { get; init; }

    /// <summary>The <c>Content-Type</c> of a single send. Send Message Batch has no per-message content type, so batches drop it.</summary>
    public string? ContentType { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>Sent as <c>BrokerProperties.TimeToLive</c> (seconds); the queue's default applies when null.</summary>
    public TimeSpan? TimeToLive { get; init; }

    /// <summary>Custom properties: one HTTP header each on a single send, <c>UserProperties</c> in a batch.</summary>
    public IDictionary<string, string> UserProperties { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyAsString() => Encoding.UTF8.GetString(Body.Span);
}
