namespace Korral.Kubelet.Probes;

/// <summary>The three probes a container may declare; the names are those upstream's events use ("Liveness probe failed: ...").</summary>
public enum ProbeType
{
    Liveness,
    Readiness,
    Startup,
}
