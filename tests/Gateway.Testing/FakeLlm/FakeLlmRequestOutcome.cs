namespace Gateway.Testing.FakeLlm;

/// <summary>How the fake finished handling one request.</summary>
public enum FakeLlmRequestOutcome
{
    /// <summary>The handler is still running (for example, mid-stream).</summary>
    InProgress,

    /// <summary>The whole response was written.</summary>
    Completed,

    /// <summary>
    /// The client went away before the response was complete (<c>HttpContext.RequestAborted</c> fired):
    /// what the gateway must cause upstream when its own caller disconnects.
    /// </summary>
    ClientDisconnected,

    /// <summary>A <see cref="FakeLlmFault"/> aborted the connection on purpose.</summary>
    DroppedByFault,

    /// <summary>The server was disposed while the request was running.</summary>
    ServerStopped,

    /// <summary>The handler threw: a bug in the fake, not a simulated fault.</summary>
    HandlerFailed,
}
