using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// The clients of the usage queue, its poison queue, the claim-check container and the Service Bus
/// queue, built once from <see cref="UsageTransportOptions"/>. The Storage queue, poison queue and
/// blob container are created if missing on first use; the Service Bus queue is provisioned by the
/// deployment (infra/), reached over AMQP with a connection string or Microsoft Entra ID.
/// </summary>
public sealed class UsageQueueClients : IAsyncDisposable
{
    /// <summary>Claim-check blobs live here, named by event id.</summary>
    public const string ClaimContainerName = "usage-claims";

    private readonly UsageTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly Lazy<QueueClient> _queue;
    private readonly Lazy<QueueClient> _poisonQueue;
    private readonly Lazy<BlobContainerClient> _claims;
    private readonly Lazy<ServiceBusClient> _serviceBus;
    private readonly Lazy<ServiceBusSender> _serviceBusSender;
    private readonly CreateOnce _queueCreated;
    private readonly CreateOnce _poisonCreated;
    private readonly CreateOnce _claimsCreated;

    public UsageQueueClients(IOptions<UsageTransportOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _queue = new(() => CreateQueueClient(_options.QueueName, poisonUndecodable: true));
        _poisonQueue = new(() => CreateQueueClient(PoisonQueueName, poisonUndecodable: false));
        _claims = new(CreateClaimsClient);
        _serviceBus = new(CreateServiceBusClient);
        _serviceBusSender = new(() => _serviceBus.Value.CreateSender(_options.QueueName));
        _queueCreated = new(ct => Queue.CreateIfNotExistsAsync(cancellationToken: ct));
        _poisonCreated = new(ct => PoisonQueue.CreateIfNotExistsAsync(cancellationToken: ct));
        _claimsCreated = new(ct => ClaimContainer.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    public UsageTransportKind Kind => _options.Kind;

    public string QueueName => _options.QueueName;

    /// <summary>Where the Functions host moves a Storage message after <c>maxDequeueCount</c> failures; the standalone consumer does the same.</summary>
    public string PoisonQueueName => _options.QueueName + "-poison";

    /// <summary>Messages are Base64 text, which is what the Functions queue trigger decodes by default.</summary>
    public QueueClient Queue => _queue.Value;

    public QueueClient PoisonQueue => _poisonQueue.Value;

    public BlobContainerClient ClaimContainer => _claims.Value;

    /// <summary>One AMQP connection per process, shared by the sender and the processor.</summary>
    public ServiceBusClient ServiceBus => _serviceBus.Value;

    /// <summary>The usage queue's sender (thread-safe, kept for the process's lifetime).</summary>
    public ServiceBusSender ServiceBusSender => _serviceBusSender.Value;

    // A Storage queue message holds 64 KiB of Base64: 48 KiB of text, less room for the reason's growth.
    private const int MaxPoisonRecordBytes = 46 * 1024;

    public Task EnsureQueueAsync(CancellationToken cancellationToken) => _queueCreated.RunAsync(cancellationToken);

    public Task EnsurePoisonQueueAsync(CancellationToken cancellationToken) => _poisonCreated.RunAsync(cancellationToken);

    public Task EnsureClaimContainerAsync(CancellationToken cancellationToken) => _claimsCreated.RunAsync(cancellationToken);

    /// <summary>
    /// Storage answered 404 for the queue or the container (deleted after we created it): the next
    /// Ensure call creates it again, so a retry recovers instead of failing forever.
    /// </summary>
    public void OnNotFound(RequestFailedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Status == 404)
        {
            _queueCreated.Reset();
            _poisonCreated.Reset();
            _claimsCreated.Reset();
        }
    }

    /// <summary>
    /// Moves a message the ingest gave up on to <see cref="PoisonQueueName"/>, wrapped with the reason
    /// (<see cref="UsagePoisonMessage"/>), then deletes it from the usage queue.
    /// </summary>
    public async Task PoisonAsync(QueueMessage message, string body, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await EnsurePoisonQueueAsync(cancellationToken);
        // A gzip body is binary: as text it would be mangled beyond repair, so it is kept as Base64.
        var gzip = message.Body is { } raw && UsageGzip.IsGzip(raw.ToMemory().Span);
        var poison = new UsagePoisonMessage
        {
            Reason = reason,
            MessageId = message.MessageId,
            DequeueCount = message.DequeueCount,
            InsertedOn = message.InsertedOn,
            PoisonedOn = _time.GetUtcNow(),
            Body = gzip ? Convert.ToBase64String(message.Body!.ToMemory().Span) : body,
            BodyEncoding = gzip ? "base64" : null,
        };
        await SendPoisonAsync(poison, cancellationToken);
        await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }

    /// <summary>
    /// Puts a poison record on <see cref="PoisonQueueName"/>. A record too large for a queue message
    /// (64 KiB as Base64) keeps its body in the claim-check container (<c>poison/...</c>, named in
    /// <see cref="UsagePoisonMessage.BodyBlob"/>), so a large bad element never blocks its batch.
    /// </summary>
    public async Task SendPoisonAsync(UsagePoisonMessage poison, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poison);
        await EnsurePoisonQueueAsync(cancellationToken);
        var record = BinaryData.FromObjectAsJson(poison, UsageJsonContext.Queue.UsagePoisonMessage);
        if (record.ToMemory().Length > MaxPoisonRecordBytes)
        {
            await EnsureClaimContainerAsync(cancellationToken);
            var blobName = $"poison/{poison.BatchId ?? poison.MessageId ?? "message"}-{poison.Index ?? 0}-{Guid.NewGuid():n}";
            await ClaimContainer.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(poison.Body), overwrite: true, cancellationToken);
            poison.BodyBlob = $"{ClaimContainer.Name}/{blobName}";
            poison.Body = string.Empty;
            record = BinaryData.FromObjectAsJson(poison, UsageJsonContext.Queue.UsagePoisonMessage);
        }

        await PoisonQueue.SendMessageAsync(record, visibilityTimeout: null, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken);
    }

    private QueueClient CreateQueueClient(string name, bool poisonUndecodable)
    {
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (poisonUndecodable)
        {
            // A message that is not Base64 (another producer) would fail every receive batch it is in.
            clientOptions.MessageDecodingFailed += async args =>
            {
                if (args.ReceivedMessage is { } received && !args.IsRunningSynchronously)
                {
                    await PoisonAsync(received, received.Body.ToString(), "the message is not Base64 text (the usage queue's encoding)", args.CancellationToken);
                }
            };
        }

        if (!_options.StorageUsesIdentity)
        {
            return new QueueClient(_options.StorageConnectionString, name, clientOptions);
        }

        var serviceUri = _options.StorageQueueServiceUri
            ?? throw new InvalidOperationException($"Set {UsageTransportOptions.StorageSetting}__queueServiceUri to use the usage Storage queue with Microsoft Entra ID.");
        return new QueueServiceClient(serviceUri, Credential(_options.StorageClientId), clientOptions).GetQueueClient(name);
    }

    private BlobContainerClient CreateClaimsClient()
        => _options.StorageUsesIdentity
            ? new BlobServiceClient(_options.StorageBlobServiceUri!, Credential(_options.StorageClientId)).GetBlobContainerClient(ClaimContainerName)
            : new BlobContainerClient(_options.StorageConnectionString, ClaimContainerName);

    private ServiceBusClient CreateServiceBusClient()
    {
        var options = new ServiceBusClientOptions { Identifier = "gateway-usage" };
        return _options.ServiceBusConnectionString is { } connectionString
            ? new ServiceBusClient(connectionString, options)
            : new ServiceBusClient(_options.ServiceBusNamespace, Credential(_options.ServiceBusClientId), options);
    }

    public async ValueTask DisposeAsync()
    {
        if (_serviceBus.IsValueCreated)
        {
            await _serviceBus.Value.DisposeAsync();
        }
    }

    private static DefaultAzureCredential Credential(string? clientId)
        => new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });

    /// <summary>Runs a create-if-missing call once; a failed or cancelled attempt is retried by the next caller.</summary>
    private sealed class CreateOnce(Func<CancellationToken, Task> create)
    {
        private readonly Lock _gate = new();
        private Task? _task;

        public Task RunAsync(CancellationToken cancellationToken)
        {
            Task task;
            lock (_gate)
            {
                if (_task is null || _task.IsFaulted || _task.IsCanceled)
                {
                    // Not the caller's token: one caller giving up must not fail the others' shared attempt.
                    _task = create(CancellationToken.None);
                }

                task = _task;
            }

            return task.WaitAsync(cancellationToken);
        }

        public void Reset()
        {
            lock (_gate)
            {
                _task = null;
            }
        }
    }
}
