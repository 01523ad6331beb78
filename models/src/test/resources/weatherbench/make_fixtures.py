#!/usr/bin/env python3
"""Writes the tiny WeatherBench fixtures WeatherBenchTest reads (run once; the outputs are committed).

    /usr/bin/python3 make_fixtures.py   # needs netCDF4 and numpy (Debian: python3-netcdf4)

Every value is known in closed form, so the test computes the expected numbers by hand:

    t2m[year][t, r, x] = 250 + 10 * (year - 2000) + t + 0.5 * r + 0.25 * x   (kelvin)

on a 4 x 8 (lat x lon) grid. Years and hours, with the storage each file uses:

    2000  7 hours  float32, contiguous, time a fixed dimension
    2001  6 hours  int16 packed, scale_factor 0.25, add_offset 250, chunked + zlib, unlimited time
    2002  5 hours  float32, chunked, unlimited time
    2003  4 hours  float32, zlib, chunks [3, 2, 5] (edge chunks partial in time and lon)
    2004  3 hours  float32, contiguous

Error cases: bad/classic.nc (NetCDF-3 classic), bad/no_t2m.nc (only "tas"), bad/rank2.nc
(t2m [lat, lon]), bad/grid5x6.nc (t2m [3, 5, 6]), bad/six_hourly.nc (time every 6 hours).
"""
import os

import netCDF4
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
LAT, LON = 4, 8
HOURS = {2000: 7, 2001: 6, 2002: 5, 2003: 4, 2004: 3}


def values(year, hours, lat=LAT, lon=LON):
    t, r, x = np.meshgrid(np.arange(hours), np.arange(lat), np.arange(lon), indexing="ij")
    return 250 + 10 * (year - 2000) + t + 0.5 * r + 0.25 * x


def coords(ds, hours, lat, lon, unlimited, step=1):
    ds.createDimension("time", None if unlimited else hours)
    ds.createDimension("lat", lat)
    ds.createDimension("lon", lon)
    v = ds.createVariable("time", "i4", ("time",))
    v.units = "hours since 2000-01-01"
    v[:] = np.arange(hours) * step
    v = ds.createVariable("lat", "f8", ("lat",))
    v[:] = np.linspace(-87.1875, 87.1875, lat)
    v = ds.createVariable("lon", "f8", ("lon",))
    v[:] = np.linspace(0, 354.375, lon)


def year_file(year):
    hours = HOURS[year]
    path = os.path.join(HERE, "2m_temperature_%d_5.625deg.nc" % year)
    unlimited = year in (2001, 2002)
    with netCDF4.Dataset(path, "w", format="NETCDF4") as ds:
        coords(ds, hours, LAT, LON, unlimited)
        data = values(year, hours)
        if year == 2001:
            v = ds.createVariable("t2m", "i2", ("time", "lat", "lon"), zlib=True, chunksizes=(2, LAT, LON))
            v.scale_factor = np.float32(0.25)
            v.add_offset = np.float32(250.0)
            v.set_auto_maskandscale(False)
            v[:] = np.round((data - 250.0) / 0.25).astype(np.int16)
        elif year == 2002:
            v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), chunksizes=(2, LAT, LON))
            v[:] = data.astype(np.float32)
        elif year == 2003:
            v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), zlib=True, chunksizes=(3, 2, 5))
            v[:] = data.astype(np.float32)
        else:
            v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), contiguous=True)
            v[:] = data.astype(np.float32)
        v.units = "K"
        v.long_name = "2 metre temperature"


def bad_files():
    bad = os.path.join(HERE, "bad")
    os.makedirs(bad, exist_ok=True)
    with netCDF4.Dataset(os.path.join(bad, "classic.nc"), "w", format="NETCDF3_CLASSIC") as ds:
        coords(ds, 2, LAT, LON, False)
        ds.createVariable("t2m", "f4", ("time", "lat", "lon"))[:] = values(2000, 2).astype(np.float32)
    with netCDF4.Dataset(os.path.join(bad, "no_t2m.nc"), "w", format="NETCDF4") as ds:
        coords(ds, 2, LAT, LON, False)
        ds.createVariable("tas", "f4", ("time", "lat", "lon"))[:] = values(2000, 2).astype(np.float32)
    with netCDF4.Dataset(os.path.join(bad, "rank2.nc"), "w", format="NETCDF4") as ds:
        coords(ds, 1, LAT, LON, False)
        ds.createVariable("t2m", "f4", ("lat", "lon"))[:] = values(2000, 1)[0].astype(np.float32)
    with netCDF4.Dataset(os.path.join(bad, "grid5x6.nc"), "w", format="NETCDF4") as ds:
        coords(ds, 3, 5, 6, False)
        ds.createVariable("t2m", "f4", ("time", "lat", "lon"))[:] = values(2000, 3, 5, 6).astype(np.float32)
    with netCDF4.Dataset(os.path.join(bad, "six_hourly.nc"), "w", format="NETCDF4") as ds:
        coords(ds, 5, LAT, LON, False, step=6)
        ds.createVariable("t2m", "f4", ("time", "lat", "lon"))[:] = values(2000, 5).astype(np.float32)


if __name__ == "__main__":
    for y in HOURS:
        year_file(y)
    bad_files()
