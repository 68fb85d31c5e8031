using System.Text;

namespace Korral.Api.ManagedFields;

/// <summary>One field of an applied configuration that another manager owns with a different value.</summary>
public sealed record FieldConflict(string Manager, string Operation, string ApiVersion, string Subresource, FieldSetPath Path)
{
    internal ManagerKey Key => ManagerKey.For(Manager, Operation, ApiVersion, Subresource);

    /// <summary>
    /// The manager as upstream prints it: <c>"kubectl-client-side-apply" using apps/v1</c> for an updater,
    /// <c>"kubectl"</c> for an applier, with <c> with subresource "status"</c> after the name when there is one.
    /// </summary>
    public string ManagerDescription
    {
        get
        {
            var sb = new StringBuilder(Validation.GoSyntax.Quote(Manager));
            if (Subresource.Length > 0)
            {
                sb.Append(" with subresource ").Append(Validation.GoSyntax.Quote(Subresource));
            }

            if (Operation == ManagedFieldsEntry.UpdateOperation)
            {
                sb.Append(" using ").Append(ApiVersion);
            }

            return sb.ToString();
        }
    }

    /// <summary>The message of the conflict's status cause: <c>conflict with "x" using apps/v1</c>.</summary>
    public string CauseMessage => "conflict with " + ManagerDescription;
}
