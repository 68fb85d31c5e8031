namespace Korral.Api.Validation;

/// <summary>
/// A bad value already rendered the way upstream prints it (Go <c>%#v</c> syntax such as
/// <c>v1.LabelSelector{…}</c>, or a canonical quantity), inserted verbatim after <c>Invalid value: </c>.
/// </summary>
public readonly record struct GoLiteral(string Text)
{
    public override string ToString() => Text;
}
