namespace Korral.Storage.Contract;

public enum WatchEventType
{
    Put,
    Delete,
}

/// <summary>
/// One change, delivered in revision order. For a delete, <see cref="Kv"/> carries the key, an empty value and the
/// deleting revision as ModRevision; <see cref="PrevKv"/> is the value before the change (null for a create).
/// </summary>
public sealed record WatchEvent(WatchEventType Type, KeyValue Kv, KeyValue? PrevKv)
{
    public long Revision => Kv.ModRevision;
}
