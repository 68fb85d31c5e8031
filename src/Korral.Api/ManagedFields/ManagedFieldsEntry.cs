namespace Korral.Api.ManagedFields;

/// <summary>
/// One entry of <c>metadata.managedFields</c>: which manager owns which fields, through which operation
/// (<c>Apply</c> or <c>Update</c>), at which API version and subresource, and when it last changed them.
/// </summary>
public sealed record ManagedFieldsEntry(
    string Manager,
    string Operation,
    string ApiVersion,
    DateTimeOffset? Time,
    FieldSet Fields,
    string Subresource = "")
{
    public const string ApplyOperation = "Apply";
    public const string UpdateOperation = "Update";

    public bool IsApply => Operation == ApplyOperation;

    /// <summary>
    /// The identity of the entry: entries are merged per (manager, operation, subresource) and, for updates only,
    /// per API version (an applier keeps one entry across versions).
    /// </summary>
    internal ManagerKey Key => new(Manager, Operation, IsApply ? "" : ApiVersion, Subresource);
}
