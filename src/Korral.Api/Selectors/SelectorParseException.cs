namespace Korral.Api.Selectors;

/// <summary>
/// A label or field selector (query string or metav1.LabelSelector) could not be parsed. The message is the text
/// upstream returns, which the API server sends back as a 400 BadRequest <c>Status</c>.
/// </summary>
public sealed class SelectorParseException : FormatException
{
    public SelectorParseException(string message)
        : base(message)
    {
    }
}
