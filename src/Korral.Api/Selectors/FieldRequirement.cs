namespace Korral.Api.Selectors;

/// <summary>One term of a field selector: <c>field=value</c> (<c>==</c> is the same) or <c>field!=value</c>. The value is unescaped.</summary>
public readonly record struct FieldRequirement(string Field, bool NotEquals, string Value)
{
    /// <summary>Missing fields compare as the empty string, as upstream's field sets do.</summary>
    public bool Matches(string? actual) => string.Equals(actual ?? "", Value, StringComparison.Ordinal) != NotEquals;

    /// <summary><c>field=value</c> or <c>field!=value</c>, with <c>\</c>, <c>,</c> and <c>=</c> in the value escaped.</summary>
    public override string ToString() => Field + (NotEquals ? "!=" : "=") + FieldSelector.EscapeValue(Value);
}
