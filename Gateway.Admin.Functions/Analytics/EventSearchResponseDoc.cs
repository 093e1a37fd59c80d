namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// The shape of <c>POST /api/v2/events</c>'s answer, for the OpenAPI document only: the answer
/// itself is streamed by <see cref="EventStream.WriteSearchAsync"/>.
/// </summary>
internal sealed record EventSearchResponseDoc(List<EventBody> Events, long Count);
