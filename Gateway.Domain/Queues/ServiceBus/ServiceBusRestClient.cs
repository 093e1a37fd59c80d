using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>
/// One Azure Service Bus queue over the documented REST runtime API ("Service Bus REST API
/// reference", learn.microsoft.com/rest/api/servicebus), on the Azure.Core pipeline: the
/// Azure.Messaging.ServiceBus package cannot be restored for this project.
/// </summary>
/// <remarks>
/// Operations used:
/// <code>
/// Send Message         POST   {queue}/messages               body, Content-Type, BrokerProperties header  -> 201
/// Send Message Batch   POST   {queue}/messages               application/vnd.microsoft.servicebus.json,
///                                                            [{"Body","BrokerProperties","UserProperties"}] -> 201
/// Peek-Lock Message    POST   {queue}/messages/head?timeout=N                  -> 201 + BrokerProperties + Location | 204
/// Delete Message       DELETE {queue}/messages/{sequenceNumber|messageId}/{lockToken}  (complete)          -> 200
/// Unlock Message       PUT    same URI                                          (abandon)                  -> 200
/// Renew-Lock           POST   same URI                                                                     -> 200
/// </code>
/// The lock URI is the <c>Location</c> header Peek-Lock returns, used unchanged (rebuilt from
/// SequenceNumber and LockToken only when it points at another host than the one this client talks to).
/// <para>
/// Dead-lettering: the REST runtime API has no dead-letter operation. The broker moves a message to
/// <c>{queue}/$deadletterqueue</c> by itself once it has been delivered MaxDeliveryCount times (each
/// abandon or lock expiry ends one delivery), so a consumer that cannot process a poison message
/// abandons it. The dead-letter queue is read with this client by naming the queue
/// <c>{queue}/$deadletterqueue</c>.
/// </para>
/// <para>
/// Authentication: a connection string gives SAS tokens (<see cref="ServiceBusSasTokenProvider"/>),
/// scoped to the queue, cached and renewed before expiry; a namespace plus a
/// <see cref="TokenCredential"/> gives Microsoft Entra ID bearer tokens for
/// <c>https://servicebus.azure.net/.default</c> (Azure.Core refuses bearer tokens over plain http).
/// </para>
/// <para>
/// Errors: any other status raises <see cref="RequestFailedException"/> with that status. The pipeline
/// retries network failures and 408/429/500/502/503/504; 401, 403, 404, 410 and 413 are final. A retried
/// send can enqueue a message twice and a retried batch split can resend the parts that went through:
/// delivery is at-least-once, each message keeps its MessageId (queue duplicate detection can use it) and
/// consumers are idempotent.
/// </para>
/// </remarks>
internal sealed partial class ServiceBusRestClient
{
    /// <summary>The Microsoft Entra ID scope of Service Bus data-plane calls.</summary>
    public const string EntraScope = "https://servicebus.azure.net/.default";

    /// <summary>The only content type Send Message Batch accepts.</summary>
    public const string BatchContentType = "application/vnd.microsoft.servicebus.json";

    private const string BrokerPropertiesHeader = "BrokerProperties";

    private static readonly StatusCodeClassifier s_created = new([201]);
    private static readonly StatusCodeClassifier s_createdOrNoContent = new([201, 204]);
    private static readonly StatusCodeClassifier s_ok = new([200]);

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly Uri _messagesUri;
    private readonly int _maxBatchBytes;
    private readonly TimeSpan _networkTimeout;

    /// <param name="options">Validated by <see cref="ServiceBusOptionsValidator"/>; invalid options throw <see cref="ArgumentException"/>.</param>
    /// <param name="credential">Required with <see cref="ServiceBusOptions.FullyQualifiedNamespace"/>; not allowed with a connection string.</param>
    /// <param name="clientOptions">Retry and transport settings.</param>
    /// <param name="timeProvider">The clock of SAS token expiry.</param>
    public ServiceBusRestClient(ServiceBusOptions options, TokenCredential? credential = null, ServiceBusRestClientOptions? clientOptions = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new ServiceBusOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        clientOptions ??= new ServiceBusRestClientOptions();
        string host;
        HttpPipelinePolicy authentication;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (credential is not null)
            {
                throw new ArgumentException("A TokenCredential goes with ServiceBus__FullyQualifiedNamespace, not with a connection string.", nameof(credential));
            }

            var connection = ServiceBusConnectionString.TryParse(options.ConnectionString, out _)!;
            host = connection.FullyQualifiedNamespace;
            QueueName = string.IsNullOrWhiteSpace(options.QueueName) ? connection.EntityPath! : options.QueueName;
            // Scoped to the queue: works with a namespace-level key and with a queue-level one.
            var tokens = new ServiceBusSasTokenProvider($"https://{host}/{QueueName}", connection.KeyName, connection.Key, clientOptions.SasTokenLifetime, timeProvider ?? TimeProvider.System);
            authentication = new ServiceBusSasAuthenticationPolicy(tokens);
        }
        else
        {
            if (credential is null)
            {
                throw new ArgumentException("ServiceBus__FullyQualifiedNamespace needs a TokenCredential (Microsoft Entra ID).", nameof(credential));
            }

            host = options.FullyQualifiedNamespace!;
            QueueName = options.QueueName!;
            authentication = new BearerTokenAuthenticationPolicy(credential, EntraScope);
        }

        var endpoint = options.Endpoint ?? new Uri($"https://{host}/");
        if (credential is not null && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("Microsoft Entra ID bearer tokens are sent over https only.", nameof(options));
        }

        _endpoint = endpoint.AbsolutePath.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        _messagesUri = new Uri(_endpoint, QueueName + "/messages");
        _maxBatchBytes = options.MaxBatchBytes;
        _networkTimeout = clientOptions.Retry.NetworkTimeout;
        _pipeline = HttpPipelineBuilder.Build(clientOptions, [], [authentication], new ResponseClassifier());
    }

    /// <summary>The queue (or <c>{queue}/$deadletterqueue</c>) this client sends to and receives from.</summary>
    public string QueueName { get; }

    /// <summary>Where requests go: <c>https://{namespace}/</c> or the configured override.</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>Send Message: one message, its body as is, its properties in the <c>BrokerProperties</c> header.</summary>
    public async Task SendAsync(ServiceBusRestMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Body.Length > _maxBatchBytes)
        {
            throw new ArgumentException($"The message body is {message.Body.Length} bytes; the limit is {_maxBatchBytes}.", nameof(message));
        }

        using var http = CreateMessage(RequestMethod.Post, _messagesUri, s_created);
        var request = http.Request;
        request.Headers.SetValue(BrokerPropertiesHeader, JsonSerializer.Serialize(ToBrokerProperties(message), ServiceBusJsonContext.Default.ServiceBusBrokerProperties));
        if (message.ContentType is { } contentType)
        {
            request.Headers.SetValue(HttpHeader.Names.ContentType, contentType);
        }

        foreach (var (name, value) in message.UserProperties)
        {
            if (!IsUserPropertyHeaderName(name))
            {
                throw new ArgumentException($"The custom property name '{name}' cannot be sent as an HTTP header.", nameof(message));
            }

            // A JSON string (quoted, non-ASCII escaped) keeps the value a string on the broker and
            // header-safe; the service reads unquoted values as numbers or booleans when they parse.
            request.Headers.SetValue(name, JsonSerializer.Serialize(value, ServiceBusJsonContext.Default.String));
        }

        request.Content = RequestContent.Create(message.Body);
        await SendAsync(http, cancellationToken);
    }

    /// <summary>
    /// Send Message Batch, split into as many requests as it takes to keep each request body within
    /// <see cref="ServiceBusOptions.MaxBatchBytes"/>. Returns the number of requests sent.
    /// </summary>
    /// <remarks>
    /// Bodies must be UTF-8 text (the batch format carries each body as a JSON string); send a binary
    /// body with <see cref="SendAsync(ServiceBusRestMessage, CancellationToken)"/>. Every message is
    /// checked before the first request, so an unsendable message sends nothing.
    /// </remarks>
    public async Task<int> SendBatchAsync(IEnumerable<ServiceBusRestMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var entries = new List<byte[]>();
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            var entry = SerializeBatchEntry(message);
            if (entry.Length + 2 > _maxBatchBytes)
            {
                throw new ArgumentException($"Message '{message.MessageId}' takes {entry.Length} bytes in a batch; the limit is {_maxBatchBytes}.", nameof(messages));
            }

            entries.Add(entry);
        }

        var requests = 0;
        var start = 0;
        var size = 2; // "[" and "]"
        for (var i = 0; i < entries.Count; i++)
        {
            var added = entries[i].Length + (i > start ? 1 : 0); // "," between entries
            if (size + added > _maxBatchBytes)
            {
                await SendBatchRequestAsync(entries, start, i, size, cancellationToken);
                requests++;
                start = i;
                size = 2 + entries[i].Length;
            }
            else
            {
                size += added;
            }
        }

        if (start < entries.Count)
        {
            await SendBatchRequestAsync(entries, start, entries.Count, size, cancellationToken);
            requests++;
        }

        return requests;
    }

    /// <summary>
    /// Peek-Lock Message: the next message, locked for the queue's lock duration, or null when none
    /// arrives within <paramref name="timeout"/> (the service long-polls; 204).
    /// </summary>
    public async Task<ServiceBusRestReceivedMessage?> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        // The long poll must end on the server's side before the pipeline's per-try network timeout.
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(timeout, _networkTimeout - TimeSpan.FromSeconds(5));
        var seconds = ((long)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        using var http = CreateMessage(RequestMethod.Post, new Uri($"{_messagesUri.AbsoluteUri}/head?timeout={seconds}"), s_createdOrNoContent);
        http.Request.Content = RequestContent.Create(ReadOnlyMemory<byte>.Empty); // POST with Content-Length: 0
        var response = await SendAsync(http, cancellationToken);
        return response.Status == 204 ? null : ParseReceived(response);
    }

    /// <summary>Delete Message: processing succeeded; the message leaves the queue. 404 once the lock is lost.</summary>
    public Task CompleteAsync(ServiceBusRestReceivedMessage message, CancellationToken cancellationToken = default)
        => SettleAsync(RequestMethod.Delete, message, cancellationToken);

    /// <summary>Unlock Message: give the message back for redelivery (DeliveryCount + 1; dead-lettered past MaxDeliveryCount).</summary>
    public Task AbandonAsync(ServiceBusRestReceivedMessage message, CancellationToken cancellationToken = default)
        => SettleAsync(RequestMethod.Put, message, cancellationToken);

    /// <summary>Renew-Lock for a Message: keep the lock for another lock duration.</summary>
    public Task RenewLockAsync(ServiceBusRestReceivedMessage message, CancellationToken cancellationToken = default)
        => SettleAsync(RequestMethod.Post, message, cancellationToken);

    private async Task SettleAsync(RequestMethod method, ServiceBusRestReceivedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var http = CreateMessage(method, message.LockLocation, s_ok);
        if (method != RequestMethod.Delete)
        {
            http.Request.Content = RequestContent.Create(ReadOnlyMemory<byte>.Empty);
        }

        await SendAsync(http, cancellationToken);
    }

    private async Task SendBatchRequestAsync(List<byte[]> entries, int start, int end, int size, CancellationToken cancellationToken)
    {
        var body = new byte[size];
        body[0] = (byte)'[';
        var offset = 1;
        for (var i = start; i < end; i++)
        {
            if (i > start)
            {
                body[offset++] = (byte)',';
            }

            entries[i].CopyTo(body, offset);
            offset += entries[i].Length;
        }

        body[offset++] = (byte)']';
        Debug.Assert(offset == size, "The batch size accounting must match the bytes written.");

        using var http = CreateMessage(RequestMethod.Post, _messagesUri, s_created);
        http.Request.Headers.SetValue(HttpHeader.Names.ContentType, BatchContentType);
        http.Request.Content = RequestContent.Create(body);
        await SendAsync(http, cancellationToken);
    }

    private HttpMessage CreateMessage(RequestMethod method, Uri uri, ResponseClassifier classifier)
    {
        var message = _pipeline.CreateMessage();
        message.ResponseClassifier = classifier;
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken);
        return message.Response.IsError ? throw new RequestFailedException(message.Response) : message.Response;
    }
}
