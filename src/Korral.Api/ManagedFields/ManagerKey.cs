using System.Text;

namespace Korral.Api.ManagedFields;

/// <summary>The identity of a managedFields entry (upstream's manager identifier).</summary>
internal readonly record struct ManagerKey(string Manager, string Operation, string ApiVersion, string Subresource)
{
    public static ManagerKey For(string manager, string operation, string apiVersion, string? subresource) =>
        new(manager, operation, operation == ManagedFieldsEntry.ApplyOperation ? "" : apiVersion, subresource ?? "");

    /// <summary>The identifier upstream sorts and prints conflicts by: the entry's JSON without fields and time.</summary>
    public string Identifier
    {
        get
        {
            var sb = new StringBuilder("{");
            Append(sb, "manager", Manager);
            Append(sb, "operation", Operation);
            Append(sb, "apiVersion", ApiVersion);
            Append(sb, "subresource", Subresource);
            return sb.Append('}').ToString();
        }
    }

    private static void Append(StringBuilder sb, string name, string value)
    {
        if (value.Length == 0)
        {
            return;
        }

        if (sb.Length > 1)
        {
            sb.Append(',');
        }

        sb.Append('"').Append(name).Append("\":");
        JsonValues.WriteGoString(sb, value);
    }
}
