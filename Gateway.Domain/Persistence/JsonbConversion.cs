using System.Text.Json;
using Gateway.Domain.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Gateway.Domain.Persistence;

/// <summary>Maps a property to a <c>jsonb</c> column through the domain's source-generated JSON.</summary>
internal static class JsonbConversion
{
    public static PropertyBuilder<T> HasJsonbConversion<T>(this PropertyBuilder<T> builder)
    {
        var (converter, comparer) = Create<T>();
        return builder.HasColumnType("jsonb").HasConversion(converter, comparer);
    }

    public static ComplexTypePropertyBuilder<T> HasJsonbConversion<T>(this ComplexTypePropertyBuilder<T> builder)
    {
        var (converter, comparer) = Create<T>();
        return builder.HasColumnType("jsonb").HasConversion(converter, comparer);
    }

    private static (ValueConverter<T, string> Converter, ValueComparer<T> Comparer) Create<T>()
    {
        var typeInfo = DomainJsonContext.Default.GetTypeInfo(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T)} is not registered in {nameof(DomainJsonContext)}.");

        // Compare by serialized form: these are small value-like documents, and EF needs a deep
        // comparison to notice an in-place change of a list or dictionary.
        var comparer = new ValueComparer<T>(
            (a, b) => JsonSerializer.Serialize(a, typeInfo) == JsonSerializer.Serialize(b, typeInfo),
            v => JsonSerializer.Serialize(v, typeInfo).GetHashCode(StringComparison.Ordinal),
            v => (T)JsonSerializer.Deserialize(JsonSerializer.Serialize(v, typeInfo), typeInfo)!);
        var converter = new ValueConverter<T, string>(
            v => JsonSerializer.Serialize(v, typeInfo),
            s => (T)JsonSerializer.Deserialize(s, typeInfo)!);
        return (converter, comparer);
    }
}
