namespace Korral.Api.Schema;

/// <summary>The wire shape of one field, as the OpenAPI schema describes it.</summary>
public enum FieldKind
{
    /// <summary>Anything: no schema (RawExtension, JSON, FieldsV1, x-kubernetes-preserve-unknown-fields).</summary>
    Any,
    String,
    Integer,
    Number,
    Boolean,
    /// <summary>A nested object described by <see cref="FieldSchema.Ref"/>.</summary>
    Object,
    /// <summary>A list; the element is <see cref="FieldSchema.Items"/>.</summary>
    Array,
    /// <summary>A string-keyed map (additionalProperties); the value is <see cref="FieldSchema.Items"/>.</summary>
    Map,
    /// <summary>io.k8s.apimachinery.pkg.util.intstr.IntOrString: an integer or a string.</summary>
    IntOrString,
    /// <summary>io.k8s.apimachinery.pkg.api.resource.Quantity: a string such as "100m" (numbers accepted).</summary>
    Quantity,
    /// <summary>meta/v1 Time: RFC 3339 string, second precision.</summary>
    Time,
    /// <summary>meta/v1 MicroTime: RFC 3339 string, microsecond precision.</summary>
    MicroTime,
    /// <summary>A base64-encoded byte string (format: byte).</summary>
    Bytes,
}
