namespace Gateway.Domain.Privacy;

/// <summary>A detector behind a network call (Azure AI Language): the entities patterns cannot find (names, addresses...).</summary>
public interface IPiiCloudDetector
{
    /// <summary>False when no endpoint is configured: policies that name cloud-only entities then count as a detector error.</summary>
    bool IsConfigured { get; }

    /// <summary>The matches per text (same order), of the wanted entity types only.</summary>
    /// <exception cref="PiiDetectorException">The service failed, refused the request, or did not answer in time.</exception>
    Task<IReadOnlyList<IReadOnlyList<PiiMatch>>> DetectAsync(IReadOnlyList<string> texts, IReadOnlyCollection<string> entities, CancellationToken cancellationToken);
}
