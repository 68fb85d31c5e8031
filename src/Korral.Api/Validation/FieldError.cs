using System.Globalization;

namespace Korral.Api.Validation;

/// <summary>
/// One field-level validation error, as upstream's <c>field.Error</c>: a type, the field path, the offending value and
/// a detail. <see cref="ToString"/> is exactly upstream's text, e.g. <c>spec.containers[0].image: Required value</c> or
/// <c>metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must …</c>.
/// </summary>
public sealed record FieldError(FieldErrorType Type, string Field, object? BadValue, string Detail)
{
    /// <summary>Marks a bad value that must not be printed (upstream's <c>omitValue</c>).</summary>
    public static readonly object OmittedValue = new GoLiteral("<omitted>");

    /// <summary>The message without the field, as sent in <c>StatusCause.message</c> (upstream's <c>ErrorBody</c>).</summary>
    public string Body
    {
        get
        {
            string s;
            if (Type is FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong or FieldErrorType.Internal
                || ReferenceEquals(BadValue, OmittedValue))
            {
                s = Type.Text();
            }
            else
            {
                s = Type.Text() + ": " + GoSyntax.Value(BadValue);
            }

            return Detail.Length == 0 ? s : s + ": " + Detail;
        }
    }

    /// <summary>The cause as a <c>metav1.StatusCause</c> carries it.</summary>
    public FieldErrorCause Cause => new(Type.Reason(), Body, Field);

    /// <summary><c>field: body</c>, upstream's <c>Error()</c> (an empty field still prints its colon).</summary>
    public override string ToString() => Field + ": " + Body;

    public static FieldError Required(FieldPath path, string detail = "") => new(FieldErrorType.Required, path.ToString(), "", detail);

    public static FieldError Invalid(FieldPath path, object? value, string detail) => new(FieldErrorType.Invalid, path.ToString(), value, detail);

    public static FieldError TypeInvalid(FieldPath path, object? value, string detail) => new(FieldErrorType.TypeInvalid, path.ToString(), value, detail);

    public static FieldError Duplicate(FieldPath path, object? value) => new(FieldErrorType.Duplicate, path.ToString(), value, "");

    public static FieldError NotFound(FieldPath path, object? value) => new(FieldErrorType.NotFound, path.ToString(), value, "");

    public static FieldError Forbidden(FieldPath path, string detail) => new(FieldErrorType.Forbidden, path.ToString(), "", detail);

    /// <summary><c>Unsupported value: "x": supported values: "Always", "IfNotPresent", "Never"</c> (values in the given order).</summary>
    public static FieldError NotSupported(FieldPath path, object? value, IEnumerable<string> validValues)
    {
        var quoted = validValues.Select(GoSyntax.Quote).ToList();
        var detail = quoted.Count == 0 ? "" : "supported values: " + string.Join(", ", quoted);
        return new FieldError(FieldErrorType.NotSupported, path.ToString(), value, detail);
    }

    /// <summary><c>Too long: may not be more than 63 bytes</c> (the value is never printed).</summary>
    public static FieldError TooLong(FieldPath path, int maxLength)
    {
        var detail = maxLength >= 0
            ? $"may not be more than {maxLength.ToString(CultureInfo.InvariantCulture)} {(maxLength == 1 ? "byte" : "bytes")}"
            : "value is too long";
        return new FieldError(FieldErrorType.TooLong, path.ToString(), "<value omitted>", detail);
    }

    /// <summary><c>Too many: 5: must have at most 3 items</c>.</summary>
    public static FieldError TooMany(FieldPath path, int actual, int max)
    {
        var detail = max >= 0
            ? $"must have at most {max.ToString(CultureInfo.InvariantCulture)} {(max == 1 ? "item" : "items")}"
            : "has too many items";
        return new FieldError(FieldErrorType.TooMany, path.ToString(), actual >= 0 ? actual : OmittedValue, detail);
    }

    public static FieldError Internal(FieldPath path, string message) => new(FieldErrorType.Internal, path.ToString(), null, message);
}
