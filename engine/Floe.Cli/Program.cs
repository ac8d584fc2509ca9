namespace Floe.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.WriteLine("floe 0.1.0");
        return 0;
    }
}
