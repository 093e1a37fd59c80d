using System.Diagnostics.CodeAnalysis;

namespace Gateway.Domain.Privacy;

/// <summary>The wire names of <see cref="PiiAction"/> (BricksLLM's four, plus <c>tokenize</c>) and of an event's <c>action</c>.</summary>
public static class PiiActions
{
    public const string Block = "block";
    public const string Warn = "allow_but_warn";
    public const string Redact = "allow_but_redact";
    public const string Allow = "allow";
    public const string Tokenize = "tokenize";

    public static IReadOnlyList<string> Names { get; } = [Block, Warn, Redact, Allow, Tokenize];

    public static bool TryParse(string? name, out PiiAction action)
    {
        switch (name)
        {
            case Block: action = PiiAction.Block; return true;
            case Warn: action = PiiAction.Warn; return true;
            case Redact: action = PiiAction.Redact; return true;
            case Allow: action = PiiAction.Allow; return true;
            case Tokenize: action = PiiAction.Tokenize; return true;
            default: action = PiiAction.Allow; return false;
        }
    }

    /// <summary>The event's <c>action</c>: <c>allowed | blocked | warned | redacted</c> (tokenized values are redacted upstream).</summary>
    [return: NotNullIfNotNull(nameof(action))]
    public static string? EventName(PiiAction? action) => action switch
    {
        null => null,
        PiiAction.Block => "blocked",
        PiiAction.Warn => "warned",
        PiiAction.Redact or PiiAction.Tokenize => "redacted",
        _ => "allowed",
    };
}
