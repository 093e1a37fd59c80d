namespace Gateway.Domain.Privacy;

/// <summary>A value found in a text and what the policy does with it.</summary>
public readonly record struct PiiFinding(PiiMatch Match, PiiAction Action);
