namespace Korral.Ingress.Nginx;

/// <summary>What applying a configuration did.</summary>
public enum NginxApplyOutcome
{
    /// <summary>nginx already runs exactly this configuration: nothing done, no reload.</summary>
    Unchanged,

    /// <summary>nginx was not running and was started with it.</summary>
    Started,

    /// <summary>nginx -t accepted it; it replaced nginx.conf and the master was told to reload.</summary>
    Reloaded,

    /// <summary>nginx -t refused it: nginx.conf and the running nginx were left as they were.</summary>
    Rejected,
}
