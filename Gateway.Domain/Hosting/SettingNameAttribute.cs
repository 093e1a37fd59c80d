namespace Gateway.Domain.Hosting;

/// <summary>
/// The app setting an options property is read from, when it is not <c>{Section}__{Property}</c>
/// (e.g. <c>ConnectionStrings__Postgres</c>). Tests use it to check that every setting is documented
/// and provided by the deployment templates.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class SettingNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
