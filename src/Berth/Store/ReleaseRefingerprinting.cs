using System.Text.Json;
using Berth.Releases;
using Microsoft.Data.Sqlite;

namespace Berth.Store;

/// <summary>
/// A store migration step: recomputes every release's <c>spec_hash</c> with today's <see cref="ReleaseFingerprint"/>,
/// from the spec and secrets the release stored, so that deploying an unchanged file after an upgrade finds its
/// release again instead of making a new one. The one update a release ever gets. Idempotent: run twice, the same hashes.
/// </summary>
internal static class ReleaseRefingerprinting
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction)
    {
        var fingerprints = new List<(string Service, int Number, string Hash)>();
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT service, number, spec_json, secrets_json FROM releases ORDER BY service, number";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                var (service, number) = (reader.GetString(0), reader.GetInt32(1));
                fingerprints.Add((service, number, Fingerprint(service, number, reader.GetString(2), reader.GetString(3))));
            }
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE releases SET spec_hash = $hash WHERE service = $service AND number = $number";
        var hash = update.Parameters.Add("$hash", SqliteType.Text);
        var serviceName = update.Parameters.Add("$service", SqliteType.Text);
        var releaseNumber = update.Parameters.Add("$number", SqliteType.Integer);
        foreach (var (service, number, fingerprint) in fingerprints)
        {
            (hash.Value, serviceName.Value, releaseNumber.Value) = (fingerprint, service, number);
            update.ExecuteNonQuery();
        }
    }

    private static string Fingerprint(string service, int number, string specJson, string secretsJson)
    {
        try
        {
            return ReleaseFingerprint.Of(BerthStore.DeserializeSpec(specJson), BerthStore.Deserialize<List<ReleaseSecret>>(secretsJson));
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or NotSupportedException)
        {
            throw new InvalidDataException($"release {number} of {service}: its stored spec cannot be read to fingerprint it again ({ex.Message})", ex);
        }
    }
}
