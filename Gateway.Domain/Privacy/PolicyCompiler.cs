using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Gateway.Domain.Privacy.Detection;

namespace Gateway.Domain.Privacy;

/// <summary>
/// Compiles policies, once per row instance: a config snapshot holds the same instance until the
/// policy changes, so the proxy compiles a policy once per change, not per request.
/// </summary>
public static class PolicyCompiler
{
    /// <summary>How long one admin regex may run on one text; past it the scan is a detector error (the policy's failOpen decides).</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(250);

    private static readonly ConditionalWeakTable<Policy, CompiledPolicy> Compiled = [];

    public static CompiledPolicy Get(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return Compiled.GetValue(policy, static p => Compile(p));
    }

    /// <summary>The compiled form; a rule that does not parse (refused by the admin API already) is skipped.</summary>
    public static CompiledPolicy Compile(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var actions = new Dictionary<string, PiiAction>(StringComparer.Ordinal);
        PiiAction? all = null;
        foreach (var (entity, name) in policy.Config?.Rules ?? [])
        {
            if (!PiiActions.TryParse(name, out var action) || !PiiEntity.Known.Contains(entity))
            {
                continue;
            }

            if (entity == PiiEntity.All)
            {
                all = action;
            }
            else
            {
                actions[entity] = action;
            }
        }

        var local = new List<PolicyRecognizer>();
        foreach (var rule in policy.RegexConfig?.Rules ?? [])
        {
            if (PiiActions.TryParse(rule.Action, out var action) && TryCreateRegex(rule.Definition, out var regex))
            {
                local.Add(new(new PatternRecognizer(PiiEntity.Regex, regex), action));
            }
        }

        foreach (var recognizer in LocalRecognizers.InPriorityOrder)
        {
            if ((actions.TryGetValue(recognizer.Entity, out var action) ? action : all) is { } wanted)
            {
                local.Add(new(recognizer, wanted));
            }
        }

        var cloud = actions.Keys.Where(static e => !LocalRecognizers.Entities.Contains(e)).ToList();
        if (all is not null)
        {
            cloud.AddRange(PiiEntity.Known.Where(e => e != PiiEntity.All && !LocalRecognizers.Entities.Contains(e) && !actions.ContainsKey(e)));
        }

        return new CompiledPolicy(policy, local, actions.ToFrozenDictionary(StringComparer.Ordinal), cloud.ToFrozenSet(StringComparer.Ordinal), all);
    }

    /// <summary>Parses an admin regex rule as the detector will run it; false when it is not a valid .NET regular expression.</summary>
    public static bool TryCreateRegex(string? definition, out Regex regex)
    {
        regex = null!;
        if (string.IsNullOrEmpty(definition))
        {
            return false;
        }

        try
        {
            regex = new Regex(definition, RegexOptions.CultureInvariant, RegexTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
