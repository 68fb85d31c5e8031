namespace Korral.Api.ManagedFields;

/// <summary>One key field of a list-map element, e.g. <c>containerPort=80</c>.</summary>
public readonly record struct KeyField(string Name, FieldValue Value);
