namespace Korral.Api.Printing;

/// <summary>A condition on a table row; upstream marks finished pods with <c>Completed=True</c> (reason Succeeded or Failed).</summary>
public sealed record TableRowCondition(string Type, string Status, string Reason, string Message);
