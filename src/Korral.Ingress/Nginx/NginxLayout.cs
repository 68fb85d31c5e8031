namespace Korral.Ingress.Nginx;

/// <summary>
/// Where the controller keeps nginx's files, all under its data dir (never the system's /etc/nginx, /run or /var/lib/nginx):
/// <code>
/// DATA/nginx/nginx.conf            the configuration nginx runs (-c), replaced only by one nginx -t accepted
/// DATA/nginx/nginx.conf.candidate  the next configuration while it is tested
/// DATA/nginx/nginx.pid             the master's pid: how an orphan of a crashed controller is found
/// DATA/nginx/temp/                 client body, proxy, fastcgi, uwsgi and scgi temp dirs
/// DATA/certs/                      (0700) certificates and keys, one 0600 PEM file each
/// </code>
/// DATA/nginx is nginx's prefix (-p).
/// </summary>
public sealed record NginxLayout
{
    public NginxLayout(string dataDir)
    {
        DataDir = Path.GetFullPath(dataDir);
        Prefix = Path.Combine(DataDir, "nginx");
        ConfigFile = Path.Combine(Prefix, "nginx.conf");
        CandidateFile = Path.Combine(Prefix, "nginx.conf.candidate");
        PidFile = Path.Combine(Prefix, "nginx.pid");
        TempDir = Path.Combine(Prefix, "temp");
        CertsDir = Path.Combine(DataDir, "certs");
    }

    public string DataDir { get; }

    public string Prefix { get; }

    public string ConfigFile { get; }

    public string CandidateFile { get; }

    public string PidFile { get; }

    public string TempDir { get; }

    public string CertsDir { get; }
}
