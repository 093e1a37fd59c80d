namespace Gateway.Domain.Usage.Ingest;

/// <summary>What ingesting one event did.</summary>
public enum UsageIngestOutcome
{
    /// <summary>Stored and charged now.</summary>
    Ingested,

    /// <summary>Stored earlier but not yet charged (a consumer died between the steps): charged now.</summary>
    Resumed,

    /// <summary>Stored and charged earlier: a redelivery, nothing done.</summary>
    Duplicate,

    /// <summary>Not a usage event this ingest can store; retrying will not help (it goes to the poison queue).</summary>
    Malformed,
}
