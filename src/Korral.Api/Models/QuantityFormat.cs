namespace Korral.Api.Models;

/// <summary>How a <see cref="Quantity"/> is written: as it was given.</summary>
public enum QuantityFormat
{
    /// <summary>Decimal SI suffixes: n u m "" k M G T P E ("100m", "1k").</summary>
    DecimalSI,

    /// <summary>Binary SI suffixes: Ki Mi Gi Ti Pi Ei ("128Mi").</summary>
    BinarySI,

    /// <summary>An exponent: "1e3".</summary>
    DecimalExponent,
}
