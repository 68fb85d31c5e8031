namespace Korral.Client.Informers;

/// <summary>An <see cref="IResourceEventHandler{T}"/> from delegates; missing ones ignore their notification.</summary>
public sealed class ResourceEventHandler<T> : IResourceEventHandler<T>
{
    public Action<T, bool>? OnAdd { get; init; }

    public Action<T, T>? OnUpdate { get; init; }

    public Action<T, bool>? OnDelete { get; init; }

    void IResourceEventHandler<T>.OnAdd(T obj, bool isInInitialList) => OnAdd?.Invoke(obj, isInInitialList);

    void IResourceEventHandler<T>.OnUpdate(T oldObj, T newObj) => OnUpdate?.Invoke(oldObj, newObj);

    void IResourceEventHandler<T>.OnDelete(T obj, bool finalStateUnknown) => OnDelete?.Invoke(obj, finalStateUnknown);
}
