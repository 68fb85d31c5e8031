using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Serialization;

namespace Korral.Api.Models;

/// <summary>
/// resource.Quantity: a fixed-point number with an SI or binary suffix ("100m", "128Mi", "1e3"). Immutable.
/// The value is exact (mantissa × 10^scale, rounded up to nano precision as Kubernetes does); <see cref="ToString"/> gives the
/// canonical form Kubernetes writes back ("1000m" → "1", "1024Mi" → "1Gi", "0.5" → "500m", "1.5Gi" → "1536Mi").
/// </summary>
[JsonConverter(typeof(QuantityJsonConverter))]
public sealed class Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    private const int MinScale = -9;

    private static readonly (string Suffix, int Exponent)[] DecimalSuffixes =
        [("n", -9), ("u", -6), ("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18)];

    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    private readonly BigInteger _mantissa;
    private readonly int _scale;
    private string? _canonical;

    private Quantity(BigInteger mantissa, int scale, QuantityFormat format)
    {
        // Normalise so equal values have equal representations: no trailing zeros in the mantissa.
        if (mantissa.IsZero)
        {
            scale = 0;
        }
        else
        {
            while (mantissa % 10 == 0)
            {
                mantissa /= 10;
                scale++;
            }
        }

        _mantissa = mantissa;
        _scale = scale;
        Format = format;
    }

    public QuantityFormat Format { get; }

    public bool IsZero => _mantissa.IsZero;

    public int Sign => _mantissa.Sign;

    public static Quantity Zero { get; } = new(BigInteger.Zero, 0, QuantityFormat.DecimalSI);

    public static Quantity Parse(string text) =>
        TryParse(text, out var q) ? q : throw new FormatException($"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': \"{text}\"");

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Quantity? quantity)
    {
        quantity = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var s = text.AsSpan();
        var pos = 0;
        var negative = false;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            pos++;
        }

        var intStart = pos;
        while (pos < s.Length && char.IsAsciiDigit(s[pos]))
        {
            pos++;
        }

        var intDigits = s[intStart..pos];
        ReadOnlySpan<char> fracDigits = default;
        if (pos < s.Length && s[pos] == '.')
        {
            pos++;
            var fracStart = pos;
            while (pos < s.Length && char.IsAsciiDigit(s[pos]))
            {
                pos++;
            }

            fracDigits = s[fracStart..pos];
        }

        if (intDigits.IsEmpty && fracDigits.IsEmpty)
        {
            return false;
        }

        var mantissa = BigInteger.Parse(string.Concat(intDigits, fracDigits).PadLeft(1, '0'), NumberStyles.None, CultureInfo.InvariantCulture);
        var scale = -fracDigits.Length;
        var suffix = s[pos..];
        QuantityFormat format;
        if (suffix.Length >= 2 && suffix[0] is 'e' or 'E')
        {
            if (!int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exp) || exp is > 1000 or < -1000)
            {
                return false;
            }

            scale += exp;
            format = QuantityFormat.DecimalExponent;
        }
        else if (Array.IndexOf(BinarySuffixes, suffix.ToString()) is var bin && bin > 0)
        {
            mantissa *= BigInteger.Pow(1024, bin);
            format = QuantityFormat.BinarySI;
        }
        else if (FindDecimal(suffix) is { } dec)
        {
            scale += dec;
            format = QuantityFormat.DecimalSI;
        }
        else
        {
            return false;
        }

        if (scale < MinScale)
        {
            // Round up (away from zero) to nano precision.
            var divisor = BigInteger.Pow(10, MinScale - scale);
            mantissa = BigInteger.DivRem(mantissa, divisor, out var rem) + (rem.IsZero ? 0 : 1);
            scale = MinScale;
        }

        quantity = new Quantity(negative ? -mantissa : mantissa, scale, format);
        return true;
    }

    private static int? FindDecimal(ReadOnlySpan<char> suffix)
    {
        foreach (var (s, e) in DecimalSuffixes)
        {
            if (suffix.SequenceEqual(s))
            {
                return e;
            }
        }

        return null;
    }

    public static implicit operator Quantity(string text) => Parse(text);

    /// <summary>The value as a decimal (exact within decimal's range).</summary>
    public decimal ToDecimal() => (decimal)_mantissa * (_scale >= 0 ? (decimal)BigInteger.Pow(10, _scale) : 1m / (decimal)BigInteger.Pow(10, -_scale));

    public double ToDouble() => (double)_mantissa * Math.Pow(10, _scale);

    /// <summary>The value rounded up to an integer ("100m" → 1), as Kubernetes' Value().</summary>
    public long Value() => (long)Scaled(0);

    /// <summary>The value in thousandths rounded up ("100m" → 100, "1" → 1000), as Kubernetes' MilliValue().</summary>
    public long MilliValue() => (long)Scaled(-3);

    private BigInteger Scaled(int targetScale)
    {
        if (_scale >= targetScale)
        {
            return _mantissa * BigInteger.Pow(10, _scale - targetScale);
        }

        var q = BigInteger.DivRem(_mantissa, BigInteger.Pow(10, targetScale - _scale), out var rem);
        return rem.IsZero ? q : q + rem.Sign;
    }

    public Quantity Add(Quantity other) => Combine(other, BigInteger.Add);

    public Quantity Subtract(Quantity other) => Combine(other, BigInteger.Subtract);

    private Quantity Combine(Quantity other, Func<BigInteger, BigInteger, BigInteger> op)
    {
        var scale = Math.Min(_scale, other._scale);
        var a = _mantissa * BigInteger.Pow(10, _scale - scale);
        var b = other._mantissa * BigInteger.Pow(10, other._scale - scale);
        return new Quantity(op(a, b), scale, IsZero ? other.Format : Format);
    }

    public int CompareTo(Quantity? other)
    {
        if (other is null)
        {
            return 1;
        }

        var scale = Math.Min(_scale, other._scale);
        return (_mantissa * BigInteger.Pow(10, _scale - scale)).CompareTo(other._mantissa * BigInteger.Pow(10, other._scale - scale));
    }

    /// <summary>Equal values are equal whatever their format ("1Ki" equals "1024").</summary>
    public bool Equals(Quantity? other) => other is not null && _mantissa == other._mantissa && _scale == other._scale;

    public override bool Equals(object? obj) => Equals(obj as Quantity);

    public override int GetHashCode() => HashCode.Combine(_mantissa, _scale);

    /// <summary>The canonical string, as Kubernetes serialises the quantity.</summary>
    public override string ToString() => _canonical ??= Canonical();

    private string Canonical()
    {
        if (_mantissa.IsZero)
        {
            return "0";
        }

        var sign = _mantissa.Sign < 0 ? "-" : "";
        var abs = BigInteger.Abs(_mantissa);
        if (Format == QuantityFormat.BinarySI && _scale >= 0)
        {
            var value = abs * BigInteger.Pow(10, _scale);
            if (value >= 1024)
            {
                var power = 0;
                while (power < BinarySuffixes.Length - 1 && value % 1024 == 0)
                {
                    value /= 1024;
                    power++;
                }

                return sign + value.ToString(CultureInfo.InvariantCulture) + BinarySuffixes[power];
            }
        }

        // Decimal: an exponent that is a multiple of 3, the mantissa taking up the rest.
        var mantissa = abs;
        var exponent = _scale;
        var adjust = ((exponent % 3) + 3) % 3;
        if (adjust != 0)
        {
            mantissa *= BigInteger.Pow(10, adjust);
            exponent -= adjust;
        }

        var digits = mantissa.ToString(CultureInfo.InvariantCulture);
        if (Format == QuantityFormat.DecimalExponent)
        {
            return sign + digits + (exponent == 0 ? "" : "e" + exponent.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var (s, e) in DecimalSuffixes)
        {
            if (e == exponent)
            {
                return sign + digits + s;
            }
        }

        return sign + digits + "e" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}
