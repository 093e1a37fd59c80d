using Gateway.Admin.Functions.Http;
using Gateway.Domain.Persistence;
using Gateway.Domain.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.Policies;

/// <summary>
/// <c>/api/policies</c> (BricksLLM's): PII policies a key attaches by <c>policyId</c>; written
/// through <see cref="ConfigEntityStore"/>, so the proxies hold them in their config snapshot.
/// </summary>
internal static class PolicyEndpoints
{
    private static readonly AdminEntity<Policy, PolicyResponse> Shown = new(
        PolicyResponse.From,
        static (context, id) => AdminProblem.NotFoundResult(context, $"policy {id} is not found"),
        static (policy, _) => ("id", $"is already used: policy {policy.Id} exists"));

    public static IHostApplicationBuilder AddPolicies(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<PolicyInput>();
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Add(PoliciesJsonContext.Default));
        return builder;
    }

    public static IEndpointRouteBuilder MapPolicies(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var policies = endpoints.MapGroup("/api/policies").WithTags("Policies").ProducesAdminProblems();
        policies.MapPost(string.Empty, CreateAsync)
            .Accepts<PolicyRequest>("application/json")
            .WithSummary("Create a policy")
            .WithDescription("`name` is required. `config.rules` maps entity names to `block`, `allow_but_warn`, `allow_but_redact`, `allow` or `tokenize`; `regexConfig.rules` are .NET regular expressions with an action; `customConfig` is stored but applied only with a judge model. `scanResponses` (default false) also scans answers; `failOpen` (default true) lets requests through when a detector fails.");
        policies.MapPatch("/{id}", UpdateAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Accepts<PolicyRequest>("application/json")
            .WithSummary("Update a policy");
        policies.MapGet(string.Empty, ListAsync)
            .WithSummary("List policies")
            .WithDescription("`tags` (repeated, or `tags[]`): policies carrying all of them.");
        return endpoints;
    }

    internal static Task<Results<Ok<PolicyResponse>, ProblemHttpResult>> CreateAsync(HttpContext context, ConfigEntityStore store, PolicyInput input)
        => AdminWrite.CreateAsync(context, store, PoliciesJsonContext.Default.PolicyRequest, Shown, input.CreateAsync);

    internal static Task<Results<Ok<PolicyResponse>, ProblemHttpResult>> UpdateAsync(string id, HttpContext context, ConfigEntityStore store, PolicyInput input)
        => AdminWrite.UpdateAsync(context, store, PoliciesJsonContext.Default.PolicyRequest, Shown, AdminWrite.ById<Policy>(store, id), input.UpdateAsync);

    internal static async Task<Results<Ok<List<PolicyResponse>>, ProblemHttpResult>> ListAsync(HttpContext context, GatewayDbContext db)
    {
        var errors = new FieldErrors();
        var tags = AdminQuery.Values(context, "tags", errors);
        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var query = db.Policies.AsNoTracking();
        if (tags.Count > 0)
        {
            var wanted = tags.ToArray();
            query = query.Where(p => wanted.All(t => p.Tags.Contains(t)));
        }

        var policies = await query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(context.RequestAborted);
        return TypedResults.Ok(policies.ConvertAll(PolicyResponse.From));
    }
}
