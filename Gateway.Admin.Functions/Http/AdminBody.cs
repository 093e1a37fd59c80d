using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Admin.Functions.Http;

/// <summary>A request body read by <see cref="AdminJsonBody"/>: the value, or the problem that answers the request instead.</summary>
internal readonly record struct AdminBody<T>(T? Value, ProblemHttpResult? Problem)
    where T : class;
