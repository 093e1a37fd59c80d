using Gateway.Domain.Config;

namespace Gateway.Domain.Persistence;

/// <summary>How a change of configuration ended (<see cref="ConfigEntityStore"/>).</summary>
public enum ConfigChangeOutcome
{
    /// <summary>Committed in PostgreSQL and written through to the Redis config cache.</summary>
    Done,

    /// <summary>No row has the id: nothing changed.</summary>
    NotFound,

    /// <summary>A unique index refused the row (a concurrent request won the race): nothing changed.</summary>
    Duplicate,

    /// <summary>Committed in PostgreSQL, but the config cache could not be updated; the next refresh carries it.</summary>
    NotPropagated,
}

/// <summary>The outcome of a change and the entity it concerned (the first, when it touched several).</summary>
public readonly record struct ConfigChange(ConfigChangeOutcome Outcome, ConfigEntityKind Kind, string Id)
{
    public bool IsDone => Outcome == ConfigChangeOutcome.Done;
}
