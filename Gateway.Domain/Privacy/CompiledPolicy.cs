using System.Collections.Frozen;
using Gateway.Domain.Privacy.Detection;

namespace Gateway.Domain.Privacy;

/// <summary>
/// A policy turned into what the detectors run: the local recognisers it needs (admin regex
/// rules first, then the built-in ones in priority order), the entity types only the cloud
/// detector finds, and the action per entity type. Built once per policy row (<see cref="PolicyCompiler"/>).
/// </summary>
public sealed class CompiledPolicy
{
    internal CompiledPolicy(Policy policy, IReadOnlyList<PolicyRecognizer> local, FrozenDictionary<string, PiiAction> actions, FrozenSet<string> cloudEntities, PiiAction? allAction)
    {
        Policy = policy;
        Local = local;
        Actions = actions;
        CloudEntities = cloudEntities;
        AllAction = allAction;
    }

    public Policy Policy { get; }

    public string Id => Policy.Id;

    internal IReadOnlyList<PolicyRecognizer> Local { get; }

    /// <summary>Entity type → action, for the entities named by <c>config.rules</c>.</summary>
    public FrozenDictionary<string, PiiAction> Actions { get; }

    /// <summary>Entity types the local detector cannot find, for Azure AI Language.</summary>
    public FrozenSet<string> CloudEntities { get; }

    /// <summary>The action of the <c>all</c> rule, for entity types without a rule of their own.</summary>
    public PiiAction? AllAction { get; }

    /// <summary>Whether anything would be looked for at all.</summary>
    public bool IsEmpty => Local.Count == 0 && CloudEntities.Count == 0;

    public bool WantsCardDetails => ActionFor(PiiEntity.CreditDebitCvv) is not null || ActionFor(PiiEntity.CreditDebitExpiry) is not null;

    public PiiAction? ActionFor(string entity)
        => Actions.TryGetValue(entity, out var action) ? action : AllAction;
}
