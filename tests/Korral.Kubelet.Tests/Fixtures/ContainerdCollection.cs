namespace Korral.Kubelet.Tests.Fixtures;

/// <summary>Test classes marked <c>[Collection(ContainerdCollection.Name)]</c> share one <see cref="ContainerdFixture"/> (and run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ContainerdCollection : ICollectionFixture<ContainerdFixture>
{
    public const string Name = "containerd";
}
