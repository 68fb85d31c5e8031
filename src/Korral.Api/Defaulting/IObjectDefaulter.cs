using System.Text.Json.Nodes;

namespace Korral.Api.Defaulting;

/// <summary>
/// Fills in what a client left out, in place, as upstream does for one kind. <see cref="Default"/> is upstream's
/// scheme defaulting (run on every decoded body: create, update, patch results); <see cref="PrepareForCreate"/>
/// is what upstream's strategy sets only when an object is created (initial status, required finalizers).
/// </summary>
public interface IObjectDefaulter
{
    void Default(JsonObject obj);

    void PrepareForCreate(JsonObject obj)
    {
    }
}

/// <summary>A defaulter made of two functions.</summary>
public sealed class DelegateDefaulter : IObjectDefaulter
{
    private readonly Action<JsonObject> defaults;
    private readonly Action<JsonObject>? onCreate;

    public DelegateDefaulter(Action<JsonObject> defaults, Action<JsonObject>? onCreate = null)
    {
        this.defaults = defaults;
        this.onCreate = onCreate;
    }

    public void Default(JsonObject obj) => defaults(obj);

    public void PrepareForCreate(JsonObject obj) => onCreate?.Invoke(obj);
}
