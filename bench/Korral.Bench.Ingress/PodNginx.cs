using System.Globalization;
using Korral.Ingress.Nginx;

namespace Korral.Bench.Ingress;

/// <summary>
/// The "pod": an nginx configured as the offline nginx image (images/nginx.conf and nginx-default.conf: the welcome page,
/// sendfile, keep-alive 65 s) on 127.0.0.1, run by the same supervisor the controller uses. Unlike the image it writes no
/// access log (in a pod that goes through containerd's log pipe, which would be measured too).
/// </summary>
internal static class PodNginx
{
    public static string Configuration(NginxLayout layout, string root, int port, int workers) => $$"""
        pid {{layout.PidFile}};
        daemon off;
        worker_processes {{workers.ToString(CultureInfo.InvariantCulture)}};
        error_log stderr warn;
        events {
            worker_connections 4096;
        }
        http {
            default_type application/octet-stream;
            types { text/html html; }
            access_log off;
            client_body_temp_path {{layout.TempDir}}/client-body;
            proxy_temp_path {{layout.TempDir}}/proxy;
            fastcgi_temp_path {{layout.TempDir}}/fastcgi;
            uwsgi_temp_path {{layout.TempDir}}/uwsgi;
            scgi_temp_path {{layout.TempDir}}/scgi;
            sendfile on;
            keepalive_timeout 65;
            server {
                listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
                server_name localhost;
                location / {
                    root {{root}};
                    index index.html index.htm;
                }
            }
        }

        """;

    /// <summary>The welcome page the nginx image serves (Debian's), or a stand-in of the same size.</summary>
    public static string WelcomePage()
    {
        foreach (var candidate in new[] { "/usr/share/nginx/html/index.html", "/var/www/html/index.nginx-debian.html" })
        {
            if (File.Exists(candidate))
            {
                return File.ReadAllText(candidate);
            }
        }

        return "<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>\n".PadRight(615);
    }
}
