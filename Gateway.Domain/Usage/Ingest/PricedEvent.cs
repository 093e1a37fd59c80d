using Gateway.Domain.Usage.Costing;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>A decoded event with its cost: what the ledger stores.</summary>
public sealed record PricedEvent(UsageEventMessage Message, UsageCost Cost);
