using Gateway.Admin.Functions.Http;
using Gateway.Domain.Privacy;

namespace Gateway.Admin.Functions.Policies;

/// <summary>Validation of a policy body: known entity names, known actions, regex rules that compile as the detector runs them.</summary>
internal sealed class PolicyInput(TimeProvider time)
{
    private const int MaxNameLength = 256;
    private const int MaxTagLength = 256;
    private const int MaxRules = 100;
    private const int MaxDefinitionLength = 4096;

    public Task<Policy?> CreateAsync(PolicyRequest request, FieldErrors errors, CancellationToken ct)
    {
        var name = errors.Required("name", request.Name, MaxNameLength);
        var tags = errors.Strings("tags", request.Tags, MaxTagLength) ?? [];
        var config = Config(errors, request.Config);
        var regex = Rules(errors, "regexConfig", request.RegexConfig, compile: true);
        var custom = Rules(errors, "customConfig", request.CustomConfig, compile: false);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return Task.FromResult(errors.Any ? null : new Policy
        {
            Id = Guid.NewGuid().ToString(),
            Name = name,
            Tags = tags,
            CreatedAt = now,
            UpdatedAt = now,
            Config = config ?? new PolicyConfig(),
            RegexConfig = regex ?? new PolicyRuleSet(),
            CustomConfig = custom ?? new PolicyRuleSet(),
            ScanResponses = request.ScanResponses ?? false,
            FailOpen = request.FailOpen ?? true,
        });
    }

    public Task UpdateAsync(PolicyRequest request, Policy policy, FieldErrors errors, CancellationToken ct)
    {
        var name = request.Name is null ? null : errors.Required("name", request.Name, MaxNameLength);
        var tags = errors.Strings("tags", request.Tags, MaxTagLength);
        var config = Config(errors, request.Config);
        var regex = Rules(errors, "regexConfig", request.RegexConfig, compile: true);
        var custom = Rules(errors, "customConfig", request.CustomConfig, compile: false);
        if (errors.Any)
        {
            return Task.CompletedTask;
        }

        policy.Name = name ?? policy.Name;
        policy.Tags = tags ?? policy.Tags;
        policy.Config = config ?? policy.Config;
        policy.RegexConfig = regex ?? policy.RegexConfig;
        policy.CustomConfig = custom ?? policy.CustomConfig;
        policy.ScanResponses = request.ScanResponses ?? policy.ScanResponses;
        policy.FailOpen = request.FailOpen ?? policy.FailOpen;
        policy.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        return Task.CompletedTask;
    }

    private static PolicyConfig? Config(FieldErrors errors, PolicyConfigItem? item)
    {
        if (item is null)
        {
            return null;
        }

        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (entity, action) in item.Rules ?? [])
        {
            var field = $"config.rules.{entity}";
            if (!PiiEntity.Known.Contains(entity))
            {
                errors.Add(field, $"is not a known entity ({string.Join(", ", PiiEntity.Known.Order(StringComparer.Ordinal))})");
            }
            else if (Action(errors, field, action) is { } valid)
            {
                rules[entity] = valid;
            }
        }

        return new PolicyConfig { Rules = rules };
    }

    private static PolicyRuleSet? Rules(FieldErrors errors, string name, PolicyRuleSetItem? item, bool compile)
    {
        if (item is null)
        {
            return null;
        }

        var items = item.Rules ?? [];
        if (items.Count > MaxRules)
        {
            errors.Add($"{name}.rules", $"must have at most {MaxRules} rules");
            return null;
        }

        var rules = new List<PolicyRule>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"{name}.rules[{i}]";
            if (items[i] is not { } rule)
            {
                errors.Add(field, "must be an object {definition, action}");
                continue;
            }

            var definition = errors.Required($"{field}.definition", rule.Definition, MaxDefinitionLength);
            if (compile && definition.Length > 0 && !PolicyCompiler.TryCreateRegex(definition, out _))
            {
                errors.Add($"{field}.definition", "is not a valid regular expression (.NET syntax)");
            }

            if (Action(errors, $"{field}.action", rule.Action) is { } action)
            {
                rules.Add(new PolicyRule { Definition = definition, Action = action });
            }
        }

        return new PolicyRuleSet { Rules = rules };
    }

    private static string? Action(FieldErrors errors, string field, string? action)
    {
        if (PiiActions.TryParse(action, out _))
        {
            return action;
        }

        errors.Add(field, $"must be one of {string.Join(", ", PiiActions.Names)}");
        return null;
    }
}
