namespace Gateway.Domain.Usage;

/// <summary>Where the full JSON of an oversized usage event is: a blob in the usage storage account.</summary>
public sealed class UsageClaimCheck
{
    public required string Container { get; set; }

    public required string Blob { get; set; }

    /// <summary>Length of the blob in bytes, to spot a truncated upload.</summary>
    public long Length { get; set; }
}
