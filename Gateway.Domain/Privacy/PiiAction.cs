namespace Gateway.Domain.Privacy;

/// <summary>What a policy does with a value it found; the numeric order is the precedence (block wins).</summary>
public enum PiiAction
{
    Allow = 0,

    /// <summary>Replaced by a typed placeholder (<c>[EMAIL_1]</c>) in what goes upstream.</summary>
    Redact = 1,

    /// <summary>As <see cref="Redact"/>, and the placeholders in the answer are turned back into the values for the client.</summary>
    Tokenize = 2,

    Warn = 3,
    Block = 4,
}
