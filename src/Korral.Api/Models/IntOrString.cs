using System.Globalization;
using System.Text.Json.Serialization;

namespace Korral.Api.Models;

/// <summary>
/// intstr.IntOrString: a 32-bit integer or a string such as "25%" or a port name ("http"). Immutable.
/// JSON: a number or a string (<see cref="IntOrStringJsonConverter"/>).
/// </summary>
[JsonConverter(typeof(IntOrStringJsonConverter))]
public sealed class IntOrString : IEquatable<IntOrString>
{
    private IntOrString(bool isInt, int intValue, string? stringValue)
    {
        IsInt = isInt;
        IntValue = intValue;
        StringValue = stringValue ?? "";
    }

    public bool IsInt { get; }

    /// <summary>The integer when <see cref="IsInt"/>; 0 otherwise.</summary>
    public int IntValue { get; }

    /// <summary>The string when not <see cref="IsInt"/>; "" otherwise.</summary>
    public string StringValue { get; }

    public static IntOrString FromInt(int value) => new(true, value, null);

    public static IntOrString FromString(string value) => new(false, 0, value ?? throw new ArgumentNullException(nameof(value)));

    public static implicit operator IntOrString(int value) => FromInt(value);

    public static implicit operator IntOrString(string value) => FromString(value);

    /// <summary>True when the value is "NN%".</summary>
    public bool IsPercent => !IsInt && StringValue.EndsWith('%');

    /// <summary>
    /// An absolute count: the integer itself, or a percentage of <paramref name="total"/> rounded up or down
    /// (as Deployment maxSurge rounds up and maxUnavailable rounds down). Throws FormatException for other strings.
    /// </summary>
    public int GetScaledValue(int total, bool roundUp)
    {
        if (IsInt)
        {
            return IntValue;
        }

        if (!IsPercent || !int.TryParse(StringValue.AsSpan(0, StringValue.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
        {
            throw new FormatException($"invalid value for IntOrString: \"{StringValue}\" is not an integer or a percentage");
        }

        var scaled = (long)total * percent;
        return (int)(roundUp ? (scaled + 99) / 100 : scaled / 100);
    }

    public bool Equals(IntOrString? other) =>
        other is not null && IsInt == other.IsInt && IntValue == other.IntValue && StringValue == other.StringValue;

    public override bool Equals(object? obj) => Equals(obj as IntOrString);

    public override int GetHashCode() => IsInt ? IntValue.GetHashCode() : StringValue.GetHashCode(StringComparison.Ordinal);

    public static bool operator ==(IntOrString? a, IntOrString? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(IntOrString? a, IntOrString? b) => !(a == b);

    public override string ToString() => IsInt ? IntValue.ToString(CultureInfo.InvariantCulture) : StringValue;
}
