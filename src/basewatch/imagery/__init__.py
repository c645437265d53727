"""Site and dates to aligned :class:`~basewatch.records.Scene` records.

The only subpackage that reads rasters (rasterio) or talks to catalogues
(pystac-client):

:mod:`~basewatch.imagery.catalog`
    STAC search, asset mapping, radiometric conventions, scene choice; catalogue files
    (scene lists, STAC items) read without pixels
:mod:`~basewatch.imagery.read`
    windowed reads of cloud-optimised GeoTIFFs over HTTP, reprojection
:mod:`~basewatch.imagery.loader`
    :class:`TileLoader`: search, read, mask, reproject, cache
:mod:`~basewatch.imagery.local`
    local GeoTIFFs, folders of them, pairs and series of a site
:mod:`~basewatch.imagery.cache`
    the tile cache
:mod:`~basewatch.imagery.coreg`
    sub-pixel shifts between dates, and the one co-registration policy
"""

from __future__ import annotations

from basewatch._lazy import attach

_LAZY: dict[str, str] = {
    "CatalogSpec": "basewatch.imagery.catalog",
    "HttpOptions": "basewatch.imagery.catalog",
    "resolve_catalog": "basewatch.imagery.catalog",
    "CatalogEntry": "basewatch.imagery.catalog",
    "read_catalogue_file": "basewatch.imagery.catalog",
    "scenes_over": "basewatch.imagery.catalog",
    "TileCache": "basewatch.imagery.cache",
    "default_cache_dir": "basewatch.imagery.cache",
    "CoregParams": "basewatch.imagery.coreg",
    "ShiftEstimate": "basewatch.imagery.coreg",
    "apply_shift": "basewatch.imagery.coreg",
    "coregister": "basewatch.imagery.coreg",
    "coregister_series": "basewatch.imagery.coreg",
    "estimate_shift": "basewatch.imagery.coreg",
    "LoaderConfig": "basewatch.imagery.loader",
    "StaticCatalog": "basewatch.imagery.loader",
    "TileLoader": "basewatch.imagery.loader",
    "default_catalog": "basewatch.imagery.loader",
    "open_catalog": "basewatch.imagery.loader",
    "load_local_pair": "basewatch.imagery.local",
    "local_rasters": "basewatch.imagery.local",
    "raster_grid": "basewatch.imagery.local",
    "read_geotiff": "basewatch.imagery.local",
    "read_local_pair": "basewatch.imagery.local",
    "read_local_series": "basewatch.imagery.local",
    "site_window": "basewatch.imagery.local",
    "read_window": "basewatch.imagery.read",
    "ScenePair": "basewatch.imagery.scenes",
    "load_pair": "basewatch.imagery.scenes",
    "load_scene": "basewatch.imagery.scenes",
    "is_local_source": "basewatch.imagery.scenes",
    "reproject_scene": "basewatch.imagery.read",
}

__all__ = [
    "CatalogEntry",
    "CatalogSpec",
    "CoregParams",
    "HttpOptions",
    "LoaderConfig",
    "ScenePair",
    "ShiftEstimate",
    "StaticCatalog",
    "TileCache",
    "TileLoader",
    "apply_shift",
    "coregister",
    "coregister_series",
    "default_cache_dir",
    "default_catalog",
    "estimate_shift",
    "is_local_source",
    "load_local_pair",
    "load_pair",
    "load_scene",
    "local_rasters",
    "open_catalog",
    "raster_grid",
    "read_catalogue_file",
    "read_geotiff",
    "read_local_pair",
    "read_local_series",
    "read_window",
    "reproject_scene",
    "resolve_catalog",
    "scenes_over",
    "site_window",
]
__getattr__, __dir__ = attach(__name__, _LAZY, globals())
