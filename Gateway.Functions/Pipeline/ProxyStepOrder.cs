namespace Gateway.Functions.Pipeline;

/// <summary>
/// Where each step runs; gaps leave room for the steps later issues insert (privacy after read
/// body, cache before forward, routing's attempts) without touching the others.
/// </summary>
internal static class ProxyStepOrder
{
    public const int Authenticate = 100;
    public const int Authorize = 200;
    public const int ReadBody = 300;
    public const int Privacy = 350;
    public const int OneApiResolve = 390;
    public const int AuthorizeModelAndUser = 400;
    public const int Limits = 500;
    public const int Cache = 600;
    public const int Attempts = 700;
    public const int OneApiAttempts = 750;
    public const int Forward = 800;

    /// <summary>Final steps run even when an earlier step ended the request.</summary>
    public const int UsageEvent = 1000;
}

/// <summary>A step's place in the pipeline; <paramref name="AlwaysRuns"/> steps also run after the request ended.</summary>
internal sealed record ProxyStepRegistration(int Order, Type StepType, bool AlwaysRuns);
