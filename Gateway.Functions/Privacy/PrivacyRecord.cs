using Gateway.Domain.Privacy;

namespace Gateway.Functions.Privacy;

/// <summary>
/// What the key's policy did to one request, for its usage event: the policy, the strongest
/// action, and the entity types found with their counts (request and answer), never the values.
/// </summary>
internal sealed class PrivacyRecord(string policyId)
{
    private readonly Dictionary<string, int> _entities = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string PolicyId { get; } = policyId;

    public PiiAction Action { get; private set; } = PiiAction.Allow;

    public string EventAction => PiiActions.EventName(Action);

    public void Add(PiiAction action, IReadOnlyDictionary<string, int> counts)
    {
        lock (_lock)
        {
            Action = action > Action ? action : Action;
            foreach (var (entity, count) in counts)
            {
                _entities[entity] = _entities.GetValueOrDefault(entity) + count;
            }
        }
    }

    public void Add(PiiFinding finding)
    {
        lock (_lock)
        {
            Action = finding.Action > Action ? finding.Action : Action;
            _entities[finding.Match.Entity] = _entities.GetValueOrDefault(finding.Match.Entity) + 1;
        }
    }

    public Dictionary<string, int>? EntitiesOrNull()
    {
        lock (_lock)
        {
            return _entities.Count == 0 ? null : new Dictionary<string, int>(_entities, StringComparer.Ordinal);
        }
    }
}
