namespace Korral.Api.Validation;

/// <summary>
/// Why a field is invalid, as upstream's <c>field.ErrorType</c>. The wire name (<see cref="FieldErrorTypes.Reason"/>)
/// is the <c>reason</c> of a <c>StatusCause</c>; the text (<see cref="FieldErrorTypes.Text"/>) starts the message.
/// </summary>
public enum FieldErrorType
{
    /// <summary>FieldValueNotFound: "Not found".</summary>
    NotFound,

    /// <summary>FieldValueRequired: "Required value".</summary>
    Required,

    /// <summary>FieldValueDuplicate: "Duplicate value".</summary>
    Duplicate,

    /// <summary>FieldValueInvalid: "Invalid value".</summary>
    Invalid,

    /// <summary>FieldValueNotSupported: "Unsupported value".</summary>
    NotSupported,

    /// <summary>FieldValueForbidden: "Forbidden".</summary>
    Forbidden,

    /// <summary>FieldValueTooLong: "Too long" (the value is never printed).</summary>
    TooLong,

    /// <summary>FieldValueTooMany: "Too many".</summary>
    TooMany,

    /// <summary>InternalError: "Internal error".</summary>
    Internal,

    /// <summary>FieldValueTypeInvalid: "Invalid value" (the value did not match the schema type).</summary>
    TypeInvalid,
}

/// <summary>Names and texts of <see cref="FieldErrorType"/>.</summary>
public static class FieldErrorTypes
{
    /// <summary>The cause reason used in <c>Status.details.causes[].reason</c>, e.g. <c>FieldValueRequired</c>.</summary>
    public static string Reason(this FieldErrorType type) => type switch
    {
        FieldErrorType.NotFound => "FieldValueNotFound",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Internal => "InternalError",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The human text that starts the error body, e.g. <c>Required value</c>.</summary>
    public static string Text(this FieldErrorType type) => type switch
    {
        FieldErrorType.NotFound => "Not found",
        FieldErrorType.Required => "Required value",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.Invalid => "Invalid value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.TooLong => "Too long",
        FieldErrorType.TooMany => "Too many",
        FieldErrorType.Internal => "Internal error",
        FieldErrorType.TypeInvalid => "Invalid value",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
