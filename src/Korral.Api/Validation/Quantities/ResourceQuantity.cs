using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace Korral.Api.Validation.Quantities;

/// <summary>
/// An exact resource quantity (upstream's <c>resource.Quantity</c>): parsed from <c>500m</c>, <c>128Mi</c>,
/// <c>1.5</c>, <c>1e3</c>; compared by value; printed in upstream's canonical form (<c>0.5</c> → <c>500m</c>,
/// <c>1024Mi</c> → <c>1Gi</c>, <c>1000</c> → <c>1k</c>). Values finer than nano units are rounded up, as upstream.
/// </summary>
public readonly struct ResourceQuantity : IComparable<ResourceQuantity>, IEquatable<ResourceQuantity>
{
    /// <summary>Upstream's text for a value that is not a quantity.</summary>
    public const string FormatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    public const string NumericError = "unable to parse quantity's numeric part";
    public const string SuffixError = "unable to parse quantity's suffix";

    private static readonly (string Suffix, int Exponent)[] DecimalSuffixes =
        [("n", -9), ("u", -6), ("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18)];

    private static readonly (string Suffix, int Power)[] BinarySuffixes =
        [("Ki", 10), ("Mi", 20), ("Gi", 30), ("Ti", 40), ("Pi", 50), ("Ei", 60)];

    // value = unscaled × 10^scale
    private readonly BigInteger unscaled;
    private readonly int scale;

    private ResourceQuantity(BigInteger unscaled, int scale, QuantityFormat format)
    {
        this.unscaled = unscaled;
        this.scale = scale;
        Format = format;
    }

    public static ResourceQuantity Zero => new(BigInteger.Zero, 0, QuantityFormat.DecimalSI);

    public QuantityFormat Format { get; }

    public bool IsZero => unscaled.IsZero;

    public int Sign => unscaled.Sign;

    /// <summary>A whole number of units (e.g. bytes), rounded up as upstream's <c>Value()</c>.</summary>
    public long Value => ToLong(RoundUpToScale(0));

    /// <summary>The value in thousandths (millicores), rounded up as upstream's <c>MilliValue()</c>.</summary>
    public long MilliValue => ToLong(RoundUpToScale(-3));

    public static ResourceQuantity FromLong(long value, QuantityFormat format = QuantityFormat.DecimalSI) => new(value, 0, format);

    public static ResourceQuantity Parse(string text) =>
        TryParse(text, out var q, out var error) ? q : throw new FormatException(error);

    /// <summary>Parses a quantity; <paramref name="error"/> is upstream's message when it fails.</summary>
    public static bool TryParse(string? text, out ResourceQuantity quantity, [NotNullWhen(false)] out string? error)
    {
        quantity = Zero;
        error = null;
        var s = (text ?? "").Trim();
        if (s.Length == 0 || !MatchesFormat(s))
        {
            error = FormatError;
            return false;
        }

        var pos = 0;
        var negative = false;
        if (s[pos] is '+' or '-')
        {
            negative = s[pos] == '-';
            pos++;
        }

        var numStart = pos;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]))
        {
            pos++;
        }

        var num = s[numStart..pos];
        var denom = "";
        if (pos < s.Length && s[pos] == '.')
        {
            pos++;
            var denomStart = pos;
            while (pos < s.Length && char.IsAsciiDigit(s[pos]))
            {
                pos++;
            }

            denom = s[denomStart..pos];
        }

        if (num.Length + denom.Length == 0 || (pos < s.Length && s[pos] == '.'))
        {
            error = NumericError;
            return false;
        }

        var suffix = s[pos..];
        var value = BigInteger.Parse(num + denom, CultureInfo.InvariantCulture);
        var exp = -denom.Length;
        QuantityFormat format;
        if (TryDecimalSuffix(suffix, out var e10))
        {
            exp += e10;
            format = QuantityFormat.DecimalSI;
        }
        else if (TryBinarySuffix(suffix, out var p2))
        {
            value *= BigInteger.Pow(2, p2);
            format = QuantityFormat.BinarySI;
        }
        else if (suffix.Length > 1 && suffix[0] is 'e' or 'E'
            && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e))
        {
            exp += e;
            format = QuantityFormat.DecimalExponent;
        }
        else
        {
            error = SuffixError;
            return false;
        }

        if (negative)
        {
            value = -value;
        }

        var q = new ResourceQuantity(value, exp, format);
        quantity = q.scale < -9 ? new ResourceQuantity(q.RoundUpToScale(-9), -9, format) : q.Normalized();
        return true;
    }

    /// <summary>Reads a quantity from JSON (a string such as "500m", or a number).</summary>
    public static bool TryParse(JsonNode? node, out ResourceQuantity quantity, [NotNullWhen(false)] out string? error)
    {
        if (JsonAccess.IsNumber(node))
        {
            return TryParse(node!.ToJsonString(), out quantity, out error);
        }

        return TryParse(JsonAccess.AsString(node), out quantity, out error);
    }

    /// <summary>Rounds up (away from zero) to a multiple of 10^<paramref name="targetScale"/>, as upstream's RoundUp.</summary>
    public ResourceQuantity RoundUp(int targetScale) =>
        scale >= targetScale ? this : new ResourceQuantity(RoundUpToScale(targetScale), targetScale, Format).Normalized();

    public int CompareTo(ResourceQuantity other)
    {
        var s = Math.Min(scale, other.scale);
        return (unscaled * BigInteger.Pow(10, scale - s)).CompareTo(other.unscaled * BigInteger.Pow(10, other.scale - s));
    }

    public bool Equals(ResourceQuantity other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is ResourceQuantity q && Equals(q);

    public override int GetHashCode() => Normalized().unscaled.GetHashCode() ^ Normalized().scale;

    public static bool operator ==(ResourceQuantity a, ResourceQuantity b) => a.Equals(b);

    public static bool operator !=(ResourceQuantity a, ResourceQuantity b) => !a.Equals(b);

    public static bool operator <(ResourceQuantity a, ResourceQuantity b) => a.CompareTo(b) < 0;

    public static bool operator >(ResourceQuantity a, ResourceQuantity b) => a.CompareTo(b) > 0;

    public static bool operator <=(ResourceQuantity a, ResourceQuantity b) => a.CompareTo(b) <= 0;

    public static bool operator >=(ResourceQuantity a, ResourceQuantity b) => a.CompareTo(b) >= 0;

    public static ResourceQuantity operator +(ResourceQuantity a, ResourceQuantity b)
    {
        var s = Math.Min(a.scale, b.scale);
        var sum = (a.unscaled * BigInteger.Pow(10, a.scale - s)) + (b.unscaled * BigInteger.Pow(10, b.scale - s));
        return new ResourceQuantity(sum, s, a.IsZero ? b.Format : a.Format).Normalized();
    }

    /// <summary>Whether the value is a whole multiple of <paramref name="divisor"/> (used for hugepages).</summary>
    public bool IsMultipleOf(BigInteger divisor)
    {
        if (divisor.IsZero)
        {
            return false;
        }

        if (scale < 0)
        {
            return BigInteger.Remainder(unscaled, divisor * BigInteger.Pow(10, -scale)).IsZero;
        }

        return BigInteger.Remainder(unscaled * BigInteger.Pow(10, scale), divisor).IsZero;
    }

    /// <summary>Upstream's canonical text, e.g. <c>500m</c>, <c>1Gi</c>, <c>1k</c>, <c>0</c>.</summary>
    public override string ToString()
    {
        if (unscaled.IsZero)
        {
            return "0";
        }

        var format = Format;
        if (format == QuantityFormat.BinarySI)
        {
            var integral = scale >= 0 || BigInteger.Remainder(unscaled, BigInteger.Pow(10, -scale)).IsZero;
            if (this > FromLong(-1024) && this < FromLong(1024) || !integral)
            {
                format = QuantityFormat.DecimalSI;
            }
        }

        var sign = unscaled.Sign < 0 ? "-" : "";
        if (format == QuantityFormat.BinarySI)
        {
            var amount = BigInteger.Abs(scale >= 0 ? unscaled * BigInteger.Pow(10, scale) : unscaled / BigInteger.Pow(10, -scale));
            var power = 0;
            while (power < 60 && BigInteger.Remainder(amount, 1024).IsZero)
            {
                amount /= 1024;
                power += 10;
            }

            var suffix = power == 0 ? "" : BinarySuffixes.First(b => b.Power == power).Suffix;
            return sign + amount.ToString(CultureInfo.InvariantCulture) + suffix;
        }

        // Remove trailing zeros, then lower the exponent to a multiple of three.
        var mantissa = BigInteger.Abs(unscaled);
        var exponent = scale;
        while (BigInteger.Remainder(mantissa, 10).IsZero)
        {
            mantissa /= 10;
            exponent++;
        }

        var mod = ((exponent % 3) + 3) % 3;
        mantissa *= BigInteger.Pow(10, mod);
        exponent -= mod;

        var sb = new StringBuilder(sign).Append(mantissa.ToString(CultureInfo.InvariantCulture));
        if (format == QuantityFormat.DecimalSI)
        {
            foreach (var (s, e) in DecimalSuffixes)
            {
                if (e == exponent)
                {
                    return sb.Append(s).ToString();
                }
            }
        }

        if (exponent != 0)
        {
            sb.Append('e').Append(exponent.ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static bool MatchesFormat(string s)
    {
        // ^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$
        var i = 0;
        if (s[i] is '+' or '-')
        {
            i++;
        }

        var start = i;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
        {
            i++;
        }

        if (i == start)
        {
            return false;
        }

        while (i < s.Length && "eEinumkKMGTP".Contains(s[i]))
        {
            i++;
        }

        if (i < s.Length && s[i] is '+' or '-')
        {
            i++;
        }

        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i == s.Length;
    }

    private static bool TryDecimalSuffix(string suffix, out int exponent)
    {
        foreach (var (s, e) in DecimalSuffixes)
        {
            if (s == suffix)
            {
                exponent = e;
                return true;
            }
        }

        exponent = 0;
        return false;
    }

    private static bool TryBinarySuffix(string suffix, out int power)
    {
        foreach (var (s, p) in BinarySuffixes)
        {
            if (s == suffix)
            {
                power = p;
                return true;
            }
        }

        power = 0;
        return false;
    }

    private static long ToLong(BigInteger v) => v > long.MaxValue ? long.MaxValue : v < long.MinValue ? long.MinValue : (long)v;

    // The value expressed in units of 10^targetScale, rounded away from zero.
    private BigInteger RoundUpToScale(int targetScale)
    {
        if (scale >= targetScale)
        {
            return unscaled * BigInteger.Pow(10, scale - targetScale);
        }

        var divisor = BigInteger.Pow(10, targetScale - scale);
        var q = BigInteger.DivRem(unscaled, divisor, out var rem);
        if (!rem.IsZero)
        {
            q += unscaled.Sign;
        }

        return q;
    }

    private ResourceQuantity Normalized()
    {
        if (unscaled.IsZero)
        {
            return new ResourceQuantity(BigInteger.Zero, 0, Format);
        }

        var u = unscaled;
        var s = scale;
        while (s < 0 && BigInteger.Remainder(u, 10).IsZero)
        {
            u /= 10;
            s++;
        }

        return new ResourceQuantity(u, s, Format);
    }
}
