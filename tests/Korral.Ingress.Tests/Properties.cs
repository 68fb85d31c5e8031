// The ingress controller runs nginx on Linux nodes only; file modes and /proc are part of what these tests check.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
