namespace Korral.E2E.Nodes;

/// <summary>
/// The "real node" collection: every test that runs containers shares one <see cref="NodeCluster"/>. xunit runs the tests
/// of one collection one after another, so each test keeps to its own namespace and waits on conditions, never on time.
/// </summary>
[CollectionDefinition(NodeCluster.CollectionName)]
public sealed class NodeCollection : ICollectionFixture<NodeCluster>;
