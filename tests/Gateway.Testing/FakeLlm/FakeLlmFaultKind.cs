namespace Gateway.Testing.FakeLlm;

/// <summary>The kinds of misbehaviour <see cref="FakeLlmFault"/> can inject.</summary>
public enum FakeLlmFaultKind
{
    /// <summary>Answer with a fixed status code and an error body instead of the normal response.</summary>
    Status,

    /// <summary>Send the response headers and the first N SSE events, then abort the connection.</summary>
    DropStream,

    /// <summary>Abort the connection before any response byte is sent.</summary>
    ResetConnection,
}
