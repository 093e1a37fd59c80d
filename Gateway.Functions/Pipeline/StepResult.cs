namespace Gateway.Functions.Pipeline;

/// <summary>A step's answer: go on to the next step, or end the request with <see cref="Outcome"/>.</summary>
internal readonly record struct StepResult(ProxyOutcome? Outcome)
{
    public static StepResult Continue => default;

    public static StepResult End(ProxyOutcome outcome) => new(outcome);

    public static ValueTask<StepResult> ContinueTask => ValueTask.FromResult(default(StepResult));

    public static ValueTask<StepResult> EndTask(ProxyOutcome outcome) => ValueTask.FromResult(new StepResult(outcome));
}
