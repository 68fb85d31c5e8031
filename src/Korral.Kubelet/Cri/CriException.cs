namespace Korral.Kubelet.Cri;

/// <summary>A CRI call that the runtime answered with a non-OK gRPC status (or that could not reach it: Unavailable).</summary>
public sealed class CriException(string method, int statusCode, string message, Exception? inner = null)
    : Exception($"{method}: rpc error: code = {CodeName(statusCode)} desc = {message}", inner)
{
    public const int NotFound = 5;
    public const int Unknown = 2;
    public const int DeadlineExceeded = 4;
    public const int AlreadyExists = 6;
    public const int PermissionDenied = 7;
    public const int ResourceExhausted = 8;
    public const int Unimplemented = 12;
    public const int Internal = 13;
    public const int Unavailable = 14;
    public const int Unauthenticated = 16;

    /// <summary>The CRI method, e.g. "/runtime.v1.RuntimeService/CreateContainer".</summary>
    public string Method => method;

    /// <summary>The gRPC status code (5 NotFound, 12 Unimplemented, …).</summary>
    public int StatusCode => statusCode;

    /// <summary>The runtime's own message (grpc-message, unescaped).</summary>
    public string StatusMessage => message;

    public bool IsNotFound => statusCode == NotFound;

    /// <summary>The error as Go's gRPC prints it, without the method (what upstream's kubelet puts in events).</summary>
    public string RpcError => $"rpc error: code = {CodeName(statusCode)} desc = {message}";

    /// <summary>The text Go's gRPC prints for a code (kubelet messages quote it, e.g. "code = NotFound").</summary>
    public static string CodeName(int code) => code switch
    {
        0 => "OK",
        1 => "Canceled",
        2 => "Unknown",
        3 => "InvalidArgument",
        4 => "DeadlineExceeded",
        5 => "NotFound",
        6 => "AlreadyExists",
        7 => "PermissionDenied",
        8 => "ResourceExhausted",
        9 => "FailedPrecondition",
        10 => "Aborted",
        11 => "OutOfRange",
        12 => "Unimplemented",
        13 => "Internal",
        14 => "Unavailable",
        15 => "DataLoss",
        16 => "Unauthenticated",
        _ => $"Code({code})",
    };
}
