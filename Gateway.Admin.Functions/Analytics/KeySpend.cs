namespace Gateway.Admin.Functions.Analytics;

/// <summary>Answer of <c>GET /api/reporting/keys/{id}</c>: the key's total spend in integer micro-dollars (BricksLLM's <c>KeyReporting</c>).</summary>
internal sealed record KeySpend(string Id, long CostInMicroDollars);
