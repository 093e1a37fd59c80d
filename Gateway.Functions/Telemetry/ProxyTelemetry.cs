using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Domain.Telemetry;
using Gateway.Functions.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Telemetry;

/// <summary>
/// The proxy's spans and metrics (source and meter <c>Gateway.Proxy</c>): one CLIENT span around the
/// upstream call with the GenAI attributes, the GenAI client metrics, and the gateway's request
/// metrics. Called at two points only: the pipeline runner around the forward step, and
/// <see cref="ProxyTelemetryStep"/> when the request is done.
/// </summary>
internal sealed class ProxyTelemetry
{
    public const string Name = "Gateway.Proxy";

    private static readonly ActivitySource Source = new(Name);

    private readonly TimeProvider _time;
    private readonly TelemetryOptions _options;
    private readonly BoundedAttributeValues _models;
    private readonly BoundedAttributeValues _keys;
    private readonly BoundedAttributeValues _tags;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _timeToFirstByte;
    private readonly Histogram<double> _addedLatency;
    private readonly Histogram<double> _operationDuration;
    private readonly Histogram<long> _tokenUsage;
    private readonly Histogram<double> _timeToFirstChunk;

    public ProxyTelemetry(IMeterFactory meters, IOptions<TelemetryOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _options = options.Value;
        _models = new BoundedAttributeValues(_options.MaxAttributeValues);
        _keys = new BoundedAttributeValues(_options.MaxAttributeValues);
        _tags = new BoundedAttributeValues(_options.MaxAttributeValues);
        var meter = meters.Create(Name);
        _requests = meter.CreateCounter<long>("gateway.proxy.requests", "{request}", "Proxied requests by provider, status and outcome (ok, cached, failed_over, refused_auth, refused_limit, refused_policy, ...)");
        _timeToFirstByte = meter.CreateHistogram<double>("gateway.proxy.time_to_first_byte", "s", "From the request's arrival to the first response body byte sent to the client");
        _addedLatency = meter.CreateHistogram<double>("gateway.proxy.added_latency", "s", "The gateway's own share of a forwarded request's duration: the whole minus the upstream call");
        _operationDuration = meter.CreateHistogram<double>(GenAiNames.OperationDuration, "s", "GenAI operation duration.");
        _tokenUsage = meter.CreateHistogram<long>(GenAiNames.TokenUsage, "{token}", "Number of input and output tokens used.");
        _timeToFirstChunk = meter.CreateHistogram<double>(GenAiNames.TimeToFirstChunk, "s", "Time to receive the first chunk in a streaming operation.");
    }

    /// <summary>Starts the upstream call's span (a child of the server span; the HTTP client's spans nest under it).</summary>
    public Activity? StartUpstream(ProxyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.UpstreamStartedTimestamp = _time.GetTimestamp();
        context.ResponseTaps.Add(new FirstByteTap(context, _time));
        if (!Source.HasListeners())
        {
            return null;
        }

        var operation = GenAiNames.Operation(context.Path);
        var activity = Source.StartActivity(operation, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            // Names and attributes only for a recorded span: an unsampled one only carries the context.
            var model = context.Model;
            if (model is not null)
            {
                activity.DisplayName = operation + " " + model;
            }

            activity.SetTag(GenAiNames.OperationName, operation);
            // The first attempt's provider; the answering attempt's replaces it at the end.
            var first = context.Attempts.Count > 0 ? context.Attempts[0].Adapter.Name : context.Adapter.Name;
            activity.SetTag(GenAiNames.ProviderName, GenAiNames.Provider(first));
            activity.SetTag(GenAiNames.RequestModel, model);
            if (context.Key is { } key)
            {
                activity.SetTag("gateway.key.id", key.KeyId);
            }
        }

        return activity;
    }

    /// <summary>Ends the upstream span and records the GenAI client metrics.</summary>
    public void StopUpstream(ProxyContext context, Activity? activity)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = _time.GetTimestamp();
        context.UpstreamEndedTimestamp = now;
        var usage = context.Usage;
        var reported = usage.Usage;
        var errorType = ErrorType(context);
        var operation = GenAiNames.Operation(context.Path);
        var provider = GenAiNames.Provider(context.UpstreamName);
        if (activity is not null)
        {
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(GenAiNames.ProviderName, provider);
                activity.SetTag(GenAiNames.ResponseModel, usage.ResponseModel);
                if (reported is not null)
                {
                    activity.SetTag(GenAiNames.InputTokens, reported.PromptTokens);
                    activity.SetTag(GenAiNames.OutputTokens, reported.CompletionTokens);
                }

                activity.SetTag("http.response.status_code", context.Status);
                if (errorType is not null)
                {
                    activity.SetTag(GenAiNames.ErrorType, errorType);
                    activity.SetStatus(ActivityStatusCode.Error);
                }

                if (!_options.PrivacyMode)
                {
                    // The conventions' opt-in content capture: only with the privacy mode off.
                    activity.SetTag(GenAiNames.InputMessages, context.Body?.PromptText());
                    activity.SetTag(GenAiNames.OutputMessages, usage.CompletionText);
                }
            }

            activity.Dispose();
        }

        var tags = new TagList
        {
            { GenAiNames.OperationName, operation },
            { GenAiNames.ProviderName, provider },
        };
        if (context.Model is { } requested)
        {
            tags.Add(GenAiNames.RequestModel, _models.Admit(requested));
        }

        if (usage.ResponseModel is { } answered)
        {
            tags.Add(GenAiNames.ResponseModel, _models.Admit(answered));
        }

        if (errorType is not null)
        {
            tags.Add(GenAiNames.ErrorType, errorType);
        }

        _operationDuration.Record(_time.GetElapsedTime(context.UpstreamStartedTimestamp, now).TotalSeconds, tags);
        if (reported is not null)
        {
            var input = tags;
            input.Add(GenAiNames.TokenType, "input");
            _tokenUsage.Record(reported.PromptTokens, input);
            var output = tags;
            output.Add(GenAiNames.TokenType, "output");
            _tokenUsage.Record(reported.CompletionTokens, output);
        }

        if (context.Streamed && context.FirstByteTimestamp is var first and > 0)
        {
            _timeToFirstChunk.Record(_time.GetElapsedTime(context.UpstreamStartedTimestamp, first).TotalSeconds, tags);
        }
    }

    /// <summary>The request is done (whatever ended it): requests by outcome, time to first byte, added latency.</summary>
    public void RequestEnded(ProxyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var provider = GenAiNames.Provider(context.UpstreamName);
        var tags = new TagList
        {
            { GenAiNames.ProviderName, provider },
            { "http.response.status_code", context.Status },
            { "gateway.outcome", RequestOutcome.Of(context) },
        };
        if (context.Key is { } key)
        {
            if (_options.KeyAttributes)
            {
                tags.Add("gateway.key.id", _keys.Admit(key.KeyId));
            }

            if (_options.TagAttributes)
            {
                tags.Add("gateway.key.tags", _tags.Admit(TagsOf(key.Tags)));
            }
        }

        _requests.Add(1, tags);
        var providerOnly = new TagList { { GenAiNames.ProviderName, provider }, { "gateway.streamed", context.Streamed } };
        if (context.FirstByteTimestamp > 0)
        {
            _timeToFirstByte.Record(_time.GetElapsedTime(context.StartedTimestamp, context.FirstByteTimestamp).TotalSeconds, providerOnly);
        }

        if (context.UpstreamEndedTimestamp > 0)
        {
            var total = _time.GetElapsedTime(context.StartedTimestamp);
            var upstream = _time.GetElapsedTime(context.UpstreamStartedTimestamp, context.UpstreamEndedTimestamp);
            _addedLatency.Record(Math.Max(0, (total - upstream).TotalSeconds), providerOnly);
        }
    }

    // The conventions' error.type: the gateway's error kind, or the upstream's status code.
    private static string? ErrorType(ProxyContext context)
        => context.Outcome is { } outcome ? outcome.Kind.ToString()
            : context.Status >= 400 ? StatusText(context.Status)
            : null;

    private static string StatusText(int status) => status switch
    {
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string TagsOf(List<string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return string.Empty;
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return string.Join(',', sorted);
    }
}
