namespace Korral.Api.Printing;

/// <summary>
/// One column of a <c>meta.k8s.io/v1 Table</c>. kubectl prints <see cref="Name"/> upper-cased as the header and shows
/// columns with <see cref="Priority"/> above 0 only with <c>-o wide</c>. <see cref="Type"/> is an OpenAPI type
/// ("string", "integer", "boolean", "date"); <see cref="Format"/> is "name" for the column that names the object.
/// </summary>
public sealed record TableColumnDefinition(string Name, string Type, string Format, string Description, int Priority);
