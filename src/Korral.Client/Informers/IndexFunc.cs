namespace Korral.Client.Informers;

/// <summary>
/// The values an object is indexed under (none, one or several), e.g. its namespace, its owners' uids, its node name.
/// Must be a pure function of the object: it is called again with the old object on update and delete.
/// </summary>
public delegate IEnumerable<string> IndexFunc<in T>(T obj);
