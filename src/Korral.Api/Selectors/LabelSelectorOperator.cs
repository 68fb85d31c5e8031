namespace Korral.Api.Selectors;

/// <summary>How a label requirement relates its key to its values.</summary>
public enum LabelSelectorOperator
{
    /// <summary><c>key in (a,b)</c>: the label is present with one of the values.</summary>
    In,

    /// <summary><c>key notin (a,b)</c>: the label is absent or has none of the values.</summary>
    NotIn,

    /// <summary><c>key=a</c>.</summary>
    Equals,

    /// <summary><c>key==a</c>: same meaning as <see cref="Equals"/>, kept apart so the selector prints as written.</summary>
    DoubleEquals,

    /// <summary><c>key!=a</c>: the label is absent or has another value.</summary>
    NotEquals,

    /// <summary><c>key</c>: the label is present.</summary>
    Exists,

    /// <summary><c>!key</c>: the label is absent.</summary>
    DoesNotExist,

    /// <summary><c>key&gt;5</c>: the label is an integer greater than the value.</summary>
    GreaterThan,

    /// <summary><c>key&lt;5</c>: the label is an integer less than the value.</summary>
    LessThan,
}
