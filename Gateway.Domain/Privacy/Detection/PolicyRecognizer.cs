namespace Gateway.Domain.Privacy.Detection;

/// <summary>A recogniser a policy uses and the action its rule names.</summary>
internal readonly record struct PolicyRecognizer(PatternRecognizer Recognizer, PiiAction Action);
