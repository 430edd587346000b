namespace Berth.Store;

/// <summary>Where the SQLite store lives.</summary>
public sealed class StoreOptions
{
    /// <summary>Data directory; the database is {DataDirectory}/berth.db. Default ./.berth.</summary>
    public string DataDirectory { get; set; } = ".berth";

    public string DatabasePath => Path.Combine(DataDirectory, "berth.db");
}
