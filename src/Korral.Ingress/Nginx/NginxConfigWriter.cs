using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text;
using Korral.Ingress.Tls;
using Korral.Ingress.Translation;

namespace Korral.Ingress.Nginx;

/// <summary>
/// Writes an <see cref="NginxConfiguration"/> as nginx.conf. The defaults are ingress-nginx's (headers sent upstream,
/// timeouts, TLS protocols and ciphers, body size, no proxy buffering, keep-alive to upstreams), so applications see the
/// same requests behind korral as behind ingress-nginx. The text depends only on its inputs: the same cluster state gives
/// the same bytes, which is what lets the controller skip reloads.
/// </summary>
public static class NginxConfigWriter
{
    // ingress-nginx's default ssl-ciphers.
    private const string Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" +
        "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";

    public static string Render(NginxConfiguration configuration, NginxRenderOptions options)
    {
        var w = new Writer();
        var layout = options.Layout;
        w.Line("# Written by the korral ingress controller from the cluster's Ingresses; replaced on every change.");
        w.Line($"pid {NginxText.Token(layout.PidFile)};");
        w.Line("daemon off;");
        w.Line($"worker_processes {(options.WorkerProcesses > 0 ? options.WorkerProcesses.ToString(CultureInfo.InvariantCulture) : "auto")};");
        w.Line($"worker_shutdown_timeout {NginxText.Seconds(options.WorkerShutdownTimeout)};");
        w.Line("error_log stderr warn;");
        w.Line();
        w.Open("events");
        w.Line($"worker_connections {options.WorkerConnections};");
        w.Line("multi_accept on;");
        w.Close();
        w.Line();
        w.Open("http");
        WriteHttpSettings(w, configuration, options);
        foreach (var upstream in configuration.Upstreams)
        {
            w.Line();
            WriteUpstream(w, upstream);
        }

        foreach (var server in configuration.Servers)
        {
            w.Line();
            WriteServer(w, server, configuration, options);
        }

        w.Close();
        return w.ToString();
    }

    /// <summary>The server_name of a host: a one-label regular expression for wildcards (nginx's own "*.foo.com" would match any depth).</summary>
    public static string ServerName(string host) =>
        HostNames.IsWildcard(host) ? "~^[^.]+" + host[1..].Replace(".", "\\.", StringComparison.Ordinal) + "$" : host;

    private static void WriteHttpSettings(Writer w, NginxConfiguration configuration, NginxRenderOptions options)
    {
        var temp = options.Layout.TempDir;
        w.Line($"client_body_temp_path {NginxText.Token(Path.Combine(temp, "client-body"))};");
        w.Line($"proxy_temp_path {NginxText.Token(Path.Combine(temp, "proxy"))};");
        w.Line($"fastcgi_temp_path {NginxText.Token(Path.Combine(temp, "fastcgi"))};");
        w.Line($"uwsgi_temp_path {NginxText.Token(Path.Combine(temp, "uwsgi"))};");
        w.Line($"scgi_temp_path {NginxText.Token(Path.Combine(temp, "scgi"))};");
        w.Line();
        w.Line(options.AccessLogPath is { } log ? $"access_log {NginxText.Token(log)};" : "access_log off;");
        w.Line("server_tokens off;");
        w.Line("keepalive_timeout 75s;");
        w.Line("keepalive_requests 1000;");
        var longest = configuration.Servers.Where(s => !HostNames.IsWildcard(s.Host)).Select(s => s.Host.Length).DefaultIfEmpty(0).Max();
        w.Line($"server_names_hash_bucket_size {Math.Max(64, (int)BitOperations.RoundUpToPowerOf2((uint)longest + 16))};");
        w.Line("server_names_hash_max_size 4096;");
        // The request body stays in memory up to the 1m limit, so workers never need the temp dirs for it.
        w.Line("client_max_body_size 1m;");
        w.Line("client_body_buffer_size 1m;");
        w.Line();
        w.Line("ssl_protocols TLSv1.2 TLSv1.3;");
        w.Line($"ssl_ciphers {Ciphers};");
        w.Line("ssl_prefer_server_ciphers on;");
        w.Line("ssl_session_cache shared:SSL:10m;");
        w.Line("ssl_session_timeout 10m;");
        w.Line("ssl_session_tickets off;");
        w.Line("# Servers without a certificate of their own present the default one.");
        WriteCertificate(w, configuration.Servers.FirstOrDefault(s => s.IsCatchAll)?.Certificate);
        w.Line();
        w.Open("map $http_upgrade $connection_upgrade");
        w.Line("default upgrade;");
        // An empty Connection header lets upstream connections be kept alive.
        w.Line("'' '';");
        w.Close();
        w.Line("# The Host header as the client sent it (with its port), as ingress-nginx passes it on.");
        w.Open("map $http_host $this_host");
        w.Line("default $http_host;");
        w.Line("'' $host;");
        w.Close();
        w.Open("map $http_x_request_id $req_id");
        w.Line("default $http_x_request_id;");
        w.Line("'' $request_id;");
        w.Close();
        w.Line();
        w.Line("proxy_http_version 1.1;");
        w.Line("proxy_set_header Host $this_host;");
        w.Line("proxy_set_header Upgrade $http_upgrade;");
        w.Line("proxy_set_header Connection $connection_upgrade;");
        w.Line("proxy_set_header X-Request-ID $req_id;");
        w.Line("proxy_set_header X-Real-IP $remote_addr;");
        w.Line("proxy_set_header X-Forwarded-For $remote_addr;");
        w.Line("proxy_set_header X-Forwarded-Host $this_host;");
        w.Line("proxy_set_header X-Forwarded-Port $server_port;");
        w.Line("proxy_set_header X-Forwarded-Proto $scheme;");
        w.Line("proxy_set_header X-Forwarded-Scheme $scheme;");
        w.Line("proxy_set_header X-Scheme $scheme;");
        w.Line("proxy_set_header X-Original-URI $request_uri;");
        w.Line("# No httpoxy: a Proxy header from the client never reaches the application.");
        w.Line("proxy_set_header Proxy \"\";");
        w.Line("proxy_connect_timeout 5s;");
        w.Line("proxy_send_timeout 60s;");
        w.Line("proxy_read_timeout 60s;");
        w.Line("proxy_buffering off;");
        w.Line("proxy_request_buffering on;");
        w.Line("proxy_redirect off;");
        w.Line("proxy_next_upstream error timeout;");
        w.Line("proxy_next_upstream_tries 3;");
    }

    private static void WriteCertificate(Writer w, TlsCertificate? certificate)
    {
        if (certificate is null)
        {
            return;
        }

        w.Line($"ssl_certificate {NginxText.Token(certificate.Path)};");
        w.Line($"ssl_certificate_key {NginxText.Token(certificate.Path)};");
    }

    private static void WriteUpstream(Writer w, NginxUpstream upstream)
    {
        w.Open($"upstream {upstream.Name}");
        foreach (var server in upstream.Servers)
        {
            // No passive health checks (ingress-nginx's balancer has none): an endpoint leaves when its slice says so.
            w.Line($"server {server} max_fails=0;");
        }

        w.Line("keepalive 320;");
        w.Line("keepalive_timeout 60s;");
        w.Line("keepalive_requests 10000;");
        w.Close();
    }

    private static void WriteServer(Writer w, NginxServer server, NginxConfiguration configuration, NginxRenderOptions options)
    {
        w.Line(server.IsCatchAll ? "# Requests for hosts no Ingress names." : $"# {server.Host}");
        w.Open("server");
        w.Line($"server_name {NginxText.Token(ServerName(server.Host))};");
        var defaultServer = server.IsCatchAll ? " default_server" : "";
        foreach (var address in options.ListenAddresses)
        {
            w.Line($"listen {Listen(address, options.HttpPort)}{defaultServer};");
        }

        foreach (var address in options.ListenAddresses)
        {
            w.Line($"listen {Listen(address, options.HttpsPort)} ssl{defaultServer};");
        }

        var fallback = configuration.Servers.FirstOrDefault(s => s.IsCatchAll)?.Certificate;
        if (!server.IsCatchAll && server.Certificate != fallback)
        {
            WriteCertificate(w, server.Certificate);
        }

        foreach (var location in server.Locations)
        {
            w.Line();
            WriteLocation(w, location, options);
        }

        w.Close();
    }

    private static void WriteLocation(Writer w, NginxLocation location, NginxRenderOptions options)
    {
        w.Line($"# {location.Source}");
        var match = location.Match == LocationMatch.Exact ? "= " : "";
        w.Open($"location {match}{NginxText.Token(location.Path)}");
        if (location.BodySize is { } size)
        {
            w.Line($"client_max_body_size {size};");
        }

        if (location.SslRedirect)
        {
            var port = options.HttpsPort == 443 ? "" : $":{options.HttpsPort}";
            w.Open("if ($scheme = http)");
            w.Line($"return 308 https://$host{port}$request_uri;");
            w.Close();
        }

        if (location.Target.Upstream is { } upstream)
        {
            w.Line($"proxy_pass http://{upstream};");
        }
        else
        {
            w.Line($"return {location.Target.Status};");
        }

        w.Close();
    }

    private static string Listen(IPAddress address, int port)
    {
        if (address.Equals(IPAddress.Any))
        {
            return port.ToString(CultureInfo.InvariantCulture);
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }

    private sealed class Writer
    {
        private readonly StringBuilder _text = new();
        private int _depth;

        public void Line(string line = "")
        {
            if (line.Length > 0)
            {
                _text.Append(' ', _depth * 4);
            }

            _text.Append(line).Append('\n');
        }

        public void Open(string header)
        {
            Line(header + " {");
            _depth++;
        }

        public void Close()
        {
            _depth--;
            Line("}");
        }

        public override string ToString() => _text.ToString();
    }
}
