namespace Korral.Scheduler.Framework;

/// <summary>A host port a pod asks for: protocol (TCP by default), host IP (<c>0.0.0.0</c> when unset) and port.</summary>
public readonly record struct HostPort(string Protocol, string HostIP, int Port)
{
    public const string AnyAddress = "0.0.0.0";

    /// <summary>
    /// Two host ports conflict when protocol and port are equal and either address is the wildcard or both are equal
    /// (upstream's HostPortInfo.CheckConflict).
    /// </summary>
    public bool ConflictsWith(HostPort other) =>
        Port == other.Port && Protocol == other.Protocol
        && (HostIP == AnyAddress || other.HostIP == AnyAddress || HostIP == other.HostIP);
}
