namespace Korral.Api.Printing;

/// <summary>Shorthands for column definitions, so each printer reads like upstream's column table.</summary>
internal static class Col
{
    public static readonly TableColumnDefinition Name = new("Name", "string", "name", "Name must be unique within a namespace.", 0);

    public static readonly TableColumnDefinition Age = new("Age", "string", "", "Time since the object was created.", 0);

    public static readonly TableColumnDefinition Containers = new("Containers", "string", "", "Names of the containers in the pod template.", 1);

    public static readonly TableColumnDefinition Images = new("Images", "string", "", "Images of the containers in the pod template.", 1);

    public static TableColumnDefinition Str(string name, string description, int priority = 0) => new(name, "string", "", description, priority);

    public static TableColumnDefinition Int(string name, string description, int priority = 0) => new(name, "integer", "", description, priority);

    public static TableColumnDefinition Bool(string name, string description, int priority = 0) => new(name, "boolean", "", description, priority);

    public static TableColumnDefinition Selector(string description) => new("Selector", "string", "", description, 1);
}
