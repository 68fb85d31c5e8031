namespace Korral.Api.ManagedFields;

/// <summary>The four kinds of path element, in upstream's sort order.</summary>
public enum PathElementKind : byte
{
    /// <summary>A struct field or map key: <c>f:name</c>.</summary>
    Field = 0,

    /// <summary>A list-map element by its key fields: <c>k:{"name":"nginx"}</c>.</summary>
    Key = 1,

    /// <summary>A set element by its value: <c>v:"example.com/finalizer"</c>.</summary>
    Value = 2,

    /// <summary>A list element by position: <c>i:0</c> (only in lists that are neither maps nor sets).</summary>
    Index = 3,
}
