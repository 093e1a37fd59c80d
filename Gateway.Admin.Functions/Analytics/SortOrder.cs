namespace Gateway.Admin.Functions.Analytics;

internal enum SortOrder
{
    Ascending,
    Descending,
}
