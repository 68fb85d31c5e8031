namespace Korral.Api.ManagedFields;

/// <summary>Orders strings by UTF-8 bytes (code points), as Go's string comparison does.</summary>
internal sealed class Utf8Order : IComparer<string>
{
    public static readonly Utf8Order Instance = new();

    public int Compare(string? x, string? y) => JsonValues.CompareStrings(x ?? "", y ?? "");
}
