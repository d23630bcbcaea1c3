"""Run the demo: every ``step_*`` module in order; print the paths of what was written."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import time
import traceback
from pathlib import Path

from smartcity_qgis.demo.context import DemoContext


def _steps() -> list[str]:
    from smartcity_qgis import demo

    return sorted(i.name for i in pkgutil.iter_modules(demo.__path__) if i.name.startswith("step_"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smartcity_qgis.demo", description=__doc__)
    parser.add_argument("--output", default="demo-output", help="folder for the outputs")
    parser.add_argument("--only", nargs="*", help="run only the steps whose names contain these")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from qgis.core import QgsApplication, QgsProject

    app = QgsApplication([], False)
    app.initQgis()
    try:
        from smartcity_qgis.i18n import install_translator

        translator = install_translator("ja")  # keep a reference: Qt does not own it
        output = Path(args.output).resolve()
        output.mkdir(parents=True, exist_ok=True)
        ctx = DemoContext(output=output, project=QgsProject.instance())
        ctx.shared["translator"] = translator
        written: list[Path] = []
        failed = []
        for name in _steps():
            if args.only and not any(key in name for key in args.only):
                continue
            module = importlib.import_module(f"smartcity_qgis.demo.{name}")
            title = (module.__doc__ or name).strip().splitlines()[0]
            print(f"[demo] {title}")
            started = time.monotonic()
            try:
                paths = module.run(ctx) or []
            except Exception:
                traceback.print_exc()
                failed.append(name)
                continue
            for path in paths:
                print(f"  wrote {path}")
            written.extend(paths)
            print(f"  ({time.monotonic() - started:.1f} s)")
        ctx.close()
        print()
        print("[demo] outputs:")
        for path in written:
            print(f"  {path}")
        if failed:
            print(f"[demo] failed steps: {', '.join(failed)}", file=sys.stderr)
            return 1
        return 0
    finally:
        QgsProject.instance().clear()
        app.exitQgis()


if __name__ == "__main__":
    sys.exit(main())
