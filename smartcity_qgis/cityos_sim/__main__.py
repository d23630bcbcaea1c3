"""``python3 -m smartcity_qgis.cityos_sim``: run the embedded city OS until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading

from smartcity_qgis.cityos_sim.server import FAULT_KINDS, start_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m smartcity_qgis.cityos_sim",
        description="Embedded city OS (NGSI-v2 + NGSI-LD) with synthetic demo data.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1026, help="0 picks a free port (default 1026, Orion's)")
    parser.add_argument("--scenario", choices=("okazaki", "synthetic"), default="okazaki")
    parser.add_argument("--entities", type=int, default=None, help="synthetic: number of entities (default 10000)")
    parser.add_argument("--types", default=None, help="comma-separated entity types to serve / generate")
    parser.add_argument("--speed", type=float, default=1.0, help="scenario seconds per real second")
    parser.add_argument("--updates-per-second", type=float, default=None, help="synthetic: changes per second")
    parser.add_argument("--storm-minutes", type=float, default=None, help="okazaki: storm length (scenario min)")
    parser.add_argument("--mqtt", default=None, help="MQTT broker for notifications, e.g. mqtt://127.0.0.1:1883")
    parser.add_argument("--require-token", default=None, help="answer 401 without this X-Auth-Token / Bearer")
    parser.add_argument("--api-key-header", default=None, help="answer as Kong key-auth: the key in this header")
    parser.add_argument("--oidc-realm", default=None, help="serve this Keycloak realm's token endpoint; Bearer only")
    parser.add_argument("--oidc-host", default=None, help="serve the realm's token endpoint on this address instead")
    parser.add_argument("--token-lifetime", type=float, default=None, help="seconds an issued token is valid")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of requests given a fault (0..1)")
    parser.add_argument("--faults", default="", help=f"comma list of {','.join(FAULT_KINDS)}")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    options = {}
    if args.updates_per_second is not None:
        options["updates_per_second"] = args.updates_per_second
    if args.storm_minutes is not None:
        options["storm_minutes"] = args.storm_minutes
    try:
        srv = start_server(
            host=args.host,
            port=args.port,
            scenario=args.scenario,
            entities=args.entities,
            types=args.types.split(",") if args.types else None,
            speed=args.speed,
            mqtt_url=args.mqtt,
            require_token=args.require_token,
            api_key_header=args.api_key_header,
            oidc_realm=args.oidc_realm,
            oidc_host=args.oidc_host,
            token_lifetime=args.token_lifetime,
            fault_rate=args.fault_rate,
            faults=[f for f in args.faults.split(",") if f],
            seed=args.seed,
            **options,
        )
    except (OSError, ValueError) as exc:
        print(f"cannot start the embedded city OS: {exc}", file=sys.stderr)
        return 2
    info = srv.describe()
    print(f"Embedded city OS ({info['note']})")
    print(f"  NGSI-v2      {info['ngsi_v2']}")
    print(f"  NGSI-LD      {info['ngsi_ld']}")
    print(f"  time series  {info['timeseries']}")
    if args.mqtt:
        print(f"  MQTT         {args.mqtt}")
    if args.api_key_header:
        print(f"  auth         API key in the {args.api_key_header} header (Kong key-auth)")
    elif args.require_token:
        print("  auth         X-Auth-Token or Authorization: Bearer required")
    if srv.token_url:
        print(f"  OIDC token   {srv.token_url} (Bearer tokens of realm {args.oidc_realm} only)")
    if args.fault_rate:
        print(f"  faults       {args.fault_rate:.0%} of requests: {','.join(srv.faults)}")
    for tenant, types in info["tenants"].items():
        label = f"{tenant} (default)" if tenant == info["default_tenant"] else tenant
        listing = ", ".join(f"{t} {n}" for t, n in types.items()) or "(empty)"
        print(f"  tenant {label}: {sum(types.values())} entities ({listing})")
    print("Ctrl+C stops.", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with contextlib.suppress(KeyboardInterrupt):
        done.wait()
    srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
