namespace Gateway.Domain.Hosting;

/// <summary>
/// A non-HTTP function and what stands in for its trigger in local mode (a hosted service calling
/// the same handler). Registered by the feature that owns the handler; a test checks the generated
/// <c>functions.metadata</c> against these: same names, trigger types and settings.
/// </summary>
/// <param name="Function">The <c>[Function]</c> name.</param>
/// <param name="TriggerType">The binding type in functions.metadata, e.g. <c>timerTrigger</c>.</param>
/// <param name="Settings">The trigger's setting-valued properties as written in the attribute, e.g. <c>schedule = %ConfigRefreshSchedule%</c>.</param>
public sealed record LocalTrigger(string Function, string TriggerType, IReadOnlyDictionary<string, string> Settings);
