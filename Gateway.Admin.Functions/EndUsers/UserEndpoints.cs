using Gateway.Admin.Functions.Http;
using Gateway.Domain.Persistence;
using Gateway.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.EndUsers;

/// <summary>
/// <c>/api/users</c>: end users of a key owner's application, with their own limits. A user is
/// identified by its <c>userId</c> together with its (sorted, distinct) <c>tags</c>.
/// </summary>
internal static class UserEndpoints
{
    private static readonly AdminEntity<User, UserResponse> Shown = new(
        UserResponse.From,
        static (context, id) => AdminProblem.NotFoundResult(context, $"user {id} is not found"),
        // A unique violation on create is the userId's; on update only the tags can have caused it.
        static (user, created) => (created ? "userId" : "tags", UserInput.DuplicateMessage(user.UserId)));

    public static IEndpointRouteBuilder MapEndUsers(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var users = endpoints.MapGroup("/api/users").WithTags("Users").ProducesAdminProblems();
        users.MapPost(string.Empty, CreateAsync)
            .Accepts<CreateUserRequest>("application/json")
            .WithSummary("Create a user")
            .WithDescription("`userId` is the id clients send (OpenAI's `user`, Anthropic's `metadata.user_id`); a new UUID when empty. `userId` and `tags` together must be unique. `keyIds` must exist.");
        users.MapPatch("/{id}", UpdateByIdAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Accepts<UpdateUserRequest>("application/json")
            .WithSummary("Update a user by id");
        users.MapPatch(string.Empty, UpdateByUserIdAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Accepts<UpdateUserRequest>("application/json")
            .WithSummary("Update a user by userId and tags")
            .WithDescription("Query `userId` (required) and `tags` (repeated) select the user whose userId and set of tags are exactly these.");
        users.MapGet(string.Empty, ListAsync)
            .WithSummary("List users")
            .WithDescription("Filters (all optional, combined with AND): `tags` (users carrying all of them), `keyIds` (users linked to any of them), `userIds` (by `userId` or `id`). `offset` and `limit` page the result, newest first.");
        return endpoints;
    }

    internal static Task<Results<Ok<UserResponse>, ProblemHttpResult>> CreateAsync(HttpContext context, ConfigEntityStore store, UserInput input)
        => AdminWrite.CreateAsync(context, store, AdminJsonContext.Default.CreateUserRequest, Shown, input.CreateAsync);

    internal static Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateByIdAsync(string id, HttpContext context, ConfigEntityStore store, UserInput input)
        => AdminWrite.UpdateAsync(context, store, AdminJsonContext.Default.UpdateUserRequest, Shown, AdminWrite.ById<User>(store, id), input.UpdateAsync);

    /// <summary>BricksLLM's <c>PATCH /api/users?userId=&amp;tags=</c>.</summary>
    internal static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateByUserIdAsync(HttpContext context, ConfigEntityStore store, UserInput input)
    {
        var errors = new FieldErrors();
        var userId = AdminQuery.Value(context, "userId", errors);
        var tags = UserInput.Sorted(AdminQuery.Values(context, "tags", errors));
        if (userId is null && !errors.Any)
        {
            errors.Add("userId", "is required (query parameter): with tags it selects the user to update; or use PATCH /api/users/{id}");
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var shown = Shown with
        {
            NotFound = (context, _) => AdminProblem.NotFoundResult(context, $"no user has userId {userId} and tags [{string.Join(", ", tags)}]"),
        };
        return await AdminWrite.UpdateAsync(
            context, store, AdminJsonContext.Default.UpdateUserRequest, shown, async ct => (await input.FindAsync(userId!, tags, ct), userId!), input.UpdateAsync);
    }

    internal static async Task<Results<Ok<List<UserResponse>>, ProblemHttpResult>> ListAsync(HttpContext context, GatewayDbContext db)
    {
        var errors = new FieldErrors();
        var tags = AdminQuery.Values(context, "tags", errors);
        var keyIds = AdminQuery.Values(context, "keyIds", errors);
        var userIds = AdminQuery.Values(context, "userIds", errors);
        var offset = AdminQuery.NonNegativeInt(context, "offset", errors);
        var limit = AdminQuery.NonNegativeInt(context, "limit", errors);
        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var query = db.Users.AsNoTracking();
        if (tags.Count > 0)
        {
            query = query.Where(u => tags.All(t => u.Tags.Contains(t)));
        }

        if (keyIds.Count > 0)
        {
            query = query.Where(u => u.KeyIds.Any(k => keyIds.Contains(k)));
        }

        if (userIds.Count > 0)
        {
            query = query.Where(u => userIds.Contains(u.UserId) || userIds.Contains(u.Id));
        }

        query = query.OrderByDescending(u => u.CreatedAt).ThenBy(u => u.Id);
        if (offset is > 0)
        {
            query = query.Skip(offset.Value);
        }

        if (limit is > 0)
        {
            query = query.Take(limit.Value);
        }

        var users = await query.ToListAsync(context.RequestAborted);
        return TypedResults.Ok(users.ConvertAll(UserResponse.From));
    }
}
