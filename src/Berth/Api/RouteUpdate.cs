using Berth.Routing;

namespace Berth.Api;

/// <summary>
/// One message of the control plane's route stream to a router: services whose route changed (whole routes) and
/// services removed, under a version the router acknowledges once applied. <see cref="Full"/>: the upserts are every
/// route the control plane wants; with <see cref="Authoritative"/> too, the router drops the services not listed
/// (a control plane that just started is not authoritative until its first pass over every service).
/// </summary>
public sealed record RouteUpdate(long Version, IReadOnlyList<ServiceRoute> Upserts, IReadOnlyList<string> Removals, bool Full, bool Authoritative);
