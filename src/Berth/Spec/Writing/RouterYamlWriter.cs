using Berth.Spec.Loading;

namespace Berth.Spec.Writing;

/// <summary>Writes <c>x-berth.router</c>: only the settings that were written (null = the router's default).</summary>
internal static class RouterYamlWriter
{
    public static void Write(YamlEventWriter y, RouterSpec r)
    {
        y.BeginMap();
        y.OptionalKey("balancing", r.Balancing);
        y.OptionalKey("drain_timeout", Duration(r.DrainTimeout));
        if (r.EjectAfterFailures is { } eject)
        {
            y.Key("eject_after_failures").Int(eject);
        }

        y.OptionalKey("ejection_period", Duration(r.EjectionPeriod));
        y.OptionalKey("health_interval", Duration(r.HealthInterval));
        y.OptionalKey("health_path", r.HealthPath);
        y.OptionalKey("health_timeout", Duration(r.HealthTimeout));
        y.OptionalKey("override_header", r.OverrideHeader);
        y.OptionalKey("response_timeout", Duration(r.ResponseTimeout));
        if (r.RetryMethods is { } methods)
        {
            y.Key("retry_methods").BeginList();
            foreach (var method in methods)
            {
                y.Str(method);
            }

            y.EndList();
        }

        if (r.ServedByHeader is { } servedBy)
        {
            y.Key("served_by_header").Bool(servedBy);
        }

        y.OptionalKey("user_cookie", r.UserCookie);
        y.OptionalKey("user_header", r.UserHeader);
        y.EndMap();
    }

    private static string? Duration(TimeSpan? value) => value is { } v ? DurationCodec.Format(v) : null;
}
