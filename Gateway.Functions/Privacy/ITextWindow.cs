namespace Gateway.Functions.Privacy;

/// <summary>
/// Rewrites a text that arrives in pieces (one answer's stream events): each piece in, the part
/// that is safe to send out; what might still change with the next piece is held back until then or the end.
/// </summary>
internal interface ITextWindow
{
    string Push(string text);

    string Flush();
}
