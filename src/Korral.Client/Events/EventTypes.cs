namespace Korral.Client.Events;

/// <summary>The two event types of the API.</summary>
public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
