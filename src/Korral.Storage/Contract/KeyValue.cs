namespace Korral.Storage.Contract;

/// <summary>
/// One key at one revision, with etcd v3 semantics: <see cref="CreateRevision"/> is the revision that created the key
/// (reset when it is deleted and created again), <see cref="ModRevision"/> the revision of its last change, and
/// <see cref="Version"/> the number of changes since creation (1 on create).
/// </summary>
public sealed record KeyValue(string Key, ReadOnlyMemory<byte> Value, long CreateRevision, long ModRevision, long Version, long Lease = 0);
