using System.Collections.Frozen;

namespace Korral.Api.Protobuf;

/// <summary>
/// Every message of the Kubernetes generated.proto files (see Generated/Protobuf/ProtoCatalog.g.cs, produced by
/// tools/Korral.Generator). Immutable; built on first use.
/// </summary>
public static partial class ProtoCatalog
{
    private static readonly Lazy<FrozenDictionary<string, ProtoMessage>> s_messages = new(Build);

    /// <summary>Every message by full name, e.g. "k8s.io.api.core.v1.ConfigMap".</summary>
    public static IReadOnlyDictionary<string, ProtoMessage> Messages => s_messages.Value;

    public static ProtoMessage? Find(string fullName) => s_messages.Value.GetValueOrDefault(fullName);

    private static FrozenDictionary<string, ProtoMessage> Build()
    {
        var d = new Dictionary<string, ProtoMessage>(StringComparer.Ordinal);
        AddAll(d);
        foreach (var m in d.Values)
        {
            foreach (var f in m.Fields)
            {
                if (f.MessageName != null)
                {
                    f.Message = d.GetValueOrDefault(f.MessageName);
                }
            }
        }

        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static void Add(Dictionary<string, ProtoMessage> d, string name, ProtoSpecial special, ProtoField[] fields) =>
        d.Add(name, new ProtoMessage(name, special, fields));

    private static ProtoField F(int number, string name, ProtoType type, string? message = null, string? json = null,
        bool repeated = false, bool inline = false, bool keepZero = false) =>
        new(number, name, json ?? name, type, message, repeated, isMap: false, mapKeyType: default, inline, keepZero);

    private static ProtoField Map(int number, string name, ProtoType key, ProtoType value, string? message = null,
        string? json = null, bool keepZero = false) =>
        new(number, name, json ?? name, value, message, repeated: true, isMap: true, mapKeyType: key, inline: false, keepZero);
}
