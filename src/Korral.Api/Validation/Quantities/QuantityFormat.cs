namespace Korral.Api.Validation.Quantities;

/// <summary>How a quantity prints, chosen by the suffix it was written with.</summary>
public enum QuantityFormat
{
    /// <summary>Powers of ten with SI suffixes: 500m, 1k, 2G (also plain numbers).</summary>
    DecimalSI,

    /// <summary>Powers of two: 128Mi, 1Gi.</summary>
    BinarySI,

    /// <summary>Scientific notation: 1e3.</summary>
    DecimalExponent,
}
