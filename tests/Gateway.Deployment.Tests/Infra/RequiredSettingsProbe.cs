using System.Text.RegularExpressions;

namespace Gateway.Deployment.Tests.Infra;

/// <summary>
/// Finds the settings an app requires at startup by asking the app itself: its published handler
/// is started with no settings at all; every startup failure names the settings to fix ("The
/// setting X is required", "Set exactly one of X and Y", see NamedSettingsValidator). Validation
/// can stop at the first failing step (options validated on start are reported together, a check
/// in Program.cs runs after them), so the probe supplies a value for each named setting and starts
/// the app again, until it serves /api/health or a round names nothing new.
/// </summary>
internal static partial class RequiredSettingsProbe
{
    public const int MaxRounds = 12;

    /// <summary>
    /// <paramref name="Requirements"/>: each is the set of settings one failure named; one of them
    /// must be set (a message naming several is an either-or, e.g. a SAS connection string or a
    /// namespace). <paramref name="Started"/>: the app served /api/health with the supplied values.
    /// </summary>
    public sealed record Result(IReadOnlyList<IReadOnlySet<string>> Requirements, bool Started, IReadOnlyDictionary<string, string> Supplied, string LastOutput);

    /// <param name="handler">The published handler.</param>
    /// <param name="preset">Settings given from the start (e.g. the transport under test).</param>
    /// <param name="candidateValue">A value for a named setting that lets the app get further (sample value, template literal).</param>
    /// <param name="preferred">Of an either-or, the setting to supply (the one the template sets).</param>
    /// <param name="knownSettings">Setting names without "__" that a message may name (e.g. UsageServiceBus).</param>
    public static async Task<Result> RunAsync(
        string handler,
        IReadOnlyDictionary<string, string> preset,
        Func<string, string?> candidateValue,
        Func<IReadOnlySet<string>, string?> preferred,
        IReadOnlySet<string> knownSettings)
    {
        var workingDirectory = Directory.CreateTempSubdirectory("gw-probe-").FullName;
        try
        {
            var supplied = new Dictionary<string, string>(preset, StringComparer.Ordinal);
            var requirements = new List<IReadOnlySet<string>>();
            var output = string.Empty;
            for (var round = 0; round < MaxRounds; round++)
            {
                var outcome = await HandlerProcess.StartAndProbeHealthAsync(handler, workingDirectory, supplied, TimeSpan.FromSeconds(45));
                output = outcome.Output;
                if (outcome.Answered)
                {
                    return new Result(requirements, true, supplied, output);
                }

                var named = NamedSettings(output, knownSettings);
                foreach (var group in named.Where(g => !requirements.Any(r => r.SetEquals(g))))
                {
                    requirements.Add(group);
                }

                var added = false;
                foreach (var group in named.Where(g => !g.Any(supplied.ContainsKey)))
                {
                    var name = preferred(group) ?? group.Order(StringComparer.Ordinal).First();
                    supplied[name] = candidateValue(name) ?? DummyValue(name);
                    added = true;
                }

                if (!added)
                {
                    break;
                }
            }

            return new Result(requirements, false, supplied, output);
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    /// <summary>The groups of setting names in a startup failure: one group per failure message.</summary>
    public static IReadOnlyList<IReadOnlySet<string>> NamedSettings(string output, IReadOnlySet<string> knownSettings)
    {
        var groups = new List<IReadOnlySet<string>>();
        var inLowLevelLog = false;
        foreach (var line in output.Split('\n'))
        {
            // Console logger entries are "level: category" then indented lines. Failures come as
            // "fail:"/"crit:" entries or as an unhandled exception; info and warnings (which may
            // mention optional settings) are not failures.
            if (LogHeader().Match(line) is { Success: true } header)
            {
                inLowLevelLog = header.Groups["level"].Value is "trce" or "dbug" or "info" or "warn";
                continue;
            }

            if (inLowLevelLog && line.StartsWith(' '))
            {
                continue;
            }

            inLowLevelLog = false;

            // Stack frames name methods, never settings.
            if (line.TrimStart().StartsWith("at ", StringComparison.Ordinal))
            {
                continue;
            }

            // AggregateException joins messages as "(m1) (m2)", OptionsValidationException as "m1; m2".
            foreach (var message in MessageSeparator().Split(line))
            {
                var names = new SortedSet<string>(StringComparer.Ordinal);
                foreach (Match match in SettingPhrase().Matches(message))
                {
                    names.Add(match.Groups["name"].Value);
                }

                // "X=value" states a condition ("With UsageTransport=ServiceBus set ..."), not a demand.
                bool IsCondition(Match m) => m.Index + m.Length < message.Length && message[m.Index + m.Length] == '=';
                foreach (Match match in HierarchicalName().Matches(message))
                {
                    if (!IsCondition(match))
                    {
                        names.Add(match.Value);
                    }
                }

                foreach (Match match in Word().Matches(message))
                {
                    if (knownSettings.Contains(match.Value) && !IsCondition(match))
                    {
                        names.Add(match.Value);
                    }
                }

                if (names.Count > 0 && !groups.Any(g => g.SetEquals(names)))
                {
                    groups.Add(names);
                }
            }
        }

        return groups;
    }

    // A value of the right shape when neither the sample settings nor the template has one.
    public static string DummyValue(string name) => name switch
    {
        "APPLICATIONINSIGHTS_CONNECTION_STRING" => "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://probe.invalid/",
        _ when name.EndsWith("FullyQualifiedNamespace", StringComparison.OrdinalIgnoreCase) => "probe.servicebus.windows.net",
        _ when name.EndsWith("Uri", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Url", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Endpoint", StringComparison.OrdinalIgnoreCase) => "https://probe.invalid/",
        _ when name.EndsWith("Key", StringComparison.OrdinalIgnoreCase) => Convert.ToBase64String(new byte[32]),
        _ => "probe",
    };

    [GeneratedRegex(@"\) \(|; ")]
    private static partial Regex MessageSeparator();

    [GeneratedRegex(@"^(?<level>trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex LogHeader();

    [GeneratedRegex(@"\b[Ss]etting (?<name>[A-Z][A-Za-z0-9_.]*[A-Za-z0-9])")]
    private static partial Regex SettingPhrase();

    // Section__Member[__member...]: starts with a capital letter, which leaves out compiler-generated
    // names such as <>c__DisplayClass0_1 (identity-based connection suffixes are camelCase:
    // UsageServiceBus__fullyQualifiedNamespace).
    [GeneratedRegex(@"\b[A-Z][A-Za-z0-9]*(?:__[A-Za-z][A-Za-z0-9]*)+\b")]
    private static partial Regex HierarchicalName();

    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9_]*\b")]
    private static partial Regex Word();
}
