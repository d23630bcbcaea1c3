"""Synthetic people-flow data for Okazaki in the exact format of MLIT's 全国の人流オープンデータ.

SYNTHETIC: the numbers are made up by a simple model, not measured. Only the format (columns,
codes, nesting of the zips) and the mesh codes (real 1 km cells of the Okazaki area, 岡崎市,
prefcode 23, citycode 23202) follow the published data, so that the demo and the tests
exercise the same import path as real files.

The model puts workers and shoppers in the city centre at noon (around 東岡崎 station and the
乙川リバーフロント QURUWA area) and residents in the surrounding districts at night, with a
spring peak at noon near 岡崎城 (cherry blossoms) and fewer people in the eastern hills.
Cells under 10 people are left out, as MLIT does.

Regenerate the shipped file with ``python -m smartcity_qgis.demo.synthetic_peopleflow``.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import zipfile
from pathlib import Path

import numpy as np

from smartcity_qgis import PLUGIN_DIR
from smartcity_qgis.analysis.mesh import mesh_center, mesh_grid
from smartcity_qgis.analysis.peopleflow import COLUMNS, CSV_NAME

PREFCODE = "23"
CITYCODE = "23202"
YEAR = 2021
BBOX = (137.06, 34.89, 137.30, 35.02)  # west, south, east, north: central Okazaki
CENTRE = (34.9560, 137.1660)  # lat, lon between 東岡崎 station and QURUWA
CASTLE = (34.9563, 137.1589)  # 岡崎城
DEMO_DIR = Path(PLUGIN_DIR) / "resources" / "demo" / "peopleflow"
DEMO_ZIP = DEMO_DIR / "okazaki_synthetic_mdp_mesh1km_2021.zip"
INNER_PATH = f"{PREFCODE}/{YEAR}/monthly_mdp_mesh1km.zip"
_FIXED_TIME = (2022, 1, 1, 0, 0, 0)  # reproducible zips


def _km(lat, lon, origin) -> np.ndarray:
    dy = (np.asarray(lat) - origin[0]) * 111.0
    dx = (np.asarray(lon) - origin[1]) * 111.0 * math.cos(math.radians(origin[0]))
    return np.hypot(dx, dy)


def synthetic_rows(seed: int = 23202) -> list[list[str]]:
    """Every row of the synthetic file, in the published column order."""
    rng = np.random.default_rng(seed)
    codes = mesh_grid(BBOX, "1km")
    lat, lon = mesh_center(codes, "1km")
    d_centre = _km(lat, lon, CENTRE)
    d_castle = _km(lat, lon, CASTLE)
    hills = np.clip((lon - 137.22) / 0.08, 0, 1)  # sparsely populated to the east
    residents = (2600 * np.exp(-(((d_centre - 3.0) / 3.5) ** 2)) + 900) * (1 - 0.995 * hills)
    centre = np.exp(-((d_centre / 1.3) ** 2))
    noon_weekday = 0.55 * residents + 11000 * centre
    noon_holiday = 0.8 * residents + 7000 * np.exp(-((d_centre / 1.6) ** 2))
    night_weekday = 0.97 * residents + 300 * centre
    night_holiday = 1.0 * residents + 450 * centre
    rows: list[list[str]] = []
    for month in range(1, 13):
        season = 1.0 + 0.06 * math.cos(2 * math.pi * (month - 8) / 12)
        sakura = 1.0 + (0.6 if month == 4 else 0.0) * np.exp(-((d_castle / 0.8) ** 2))
        values = {
            (0, 0): noon_holiday * season * sakura,
            (1, 0): noon_weekday * season * (1 + 0.2 * (sakura - 1)),
            (0, 1): night_holiday * season,
            (1, 1): night_weekday * season,
        }
        for dayflag in (0, 1):
            values[(dayflag, 2)] = 0.5 * (values[(dayflag, 0)] + values[(dayflag, 1)])
        for timezone in (0, 1, 2):
            values[(2, timezone)] = (5 * values[(1, timezone)] + 2 * values[(0, timezone)]) / 7
        for (dayflag, timezone), expected in sorted(values.items()):
            population = np.round(expected * rng.lognormal(0.0, 0.05, expected.size)).astype(int)
            for code, people in zip(codes, population, strict=True):
                if people < 10:  # MLIT publishes no cell under 10 people
                    continue
                rows.append(
                    [str(code), PREFCODE, CITYCODE, str(YEAR), str(month), str(dayflag), str(timezone), str(people)]
                )
    rows.sort(key=lambda r: (int(r[4]), int(r[5]), int(r[6]), r[0]))
    return rows


def synthetic_csv(seed: int = 23202) -> str:
    """The synthetic ``monthly_mdp_mesh1km.csv`` as text (CRLF, as published)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(synthetic_rows(seed))
    return out.getvalue()


def _zip_bytes(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_demo_zip(path: Path = DEMO_ZIP, seed: int = 23202) -> Path:
    """The synthetic file nested as published: a zip holding ``23/2021/monthly_mdp_mesh1km.zip``."""
    inner = _zip_bytes(CSV_NAME, synthetic_csv(seed).encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_zip_bytes(INNER_PATH, inner))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic Okazaki people-flow demo file.")
    parser.add_argument("--output", type=Path, default=DEMO_ZIP)
    args = parser.parse_args(argv)
    print(write_demo_zip(args.output))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
