using Korral.Controllers.Manager;

namespace Korral.Controllers.Tests;

public sealed class RegistryTests
{
    [Fact]
    public void Controller_names_are_unique()
    {
        var names = ControllerRegistry.All.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
