"""Store the engine's commute model as the taxonomy TravelTime table.

The search filter ("at most N minutes from home") and the vacancy page read that table, so
they need no import of matching; the matching engine itself uses the same model in memory.
"""

from functools import lru_cache

import numpy as np
from django.db import transaction

from taxonomy.models import WesterscheldeCrossing
from taxonomy.services import DATA_DIR, travel_times_replace

from .engine.commute import CROSS_BORDER, CROSS_FERRY, CROSS_TUNNEL, CommuteModel, build_commute_model
from .engine.data import MODE_NAMES, Places
from .engine.transit import TransitNetwork, load_network
from .profiles import reference_index_build

# The public transport timetable kept in the repository (sources in taxonomy/data/SOURCES.md).
TRANSIT_DATA_DIR = DATA_DIR / "transit"

# A candidate's limit is at most 180 minutes one way; longer trips are never shown.
MAX_STORED_MINUTES = 180


@lru_cache(maxsize=1)
def transit_network() -> TransitNetwork:
    """The timetable files read once per process (they change only with a deploy)."""
    return load_network(TRANSIT_DATA_DIR)


def commute_model_build(places: Places) -> CommuteModel:
    """The engine's commute model over the real public transport network."""
    return build_commute_model(places, transit_network())


@transaction.atomic
def travel_times_refresh() -> int:
    """Recompute every place-to-place estimate; returns the number of rows stored."""
    index = reference_index_build()
    if index.places.n == 0:
        return 0
    model = commute_model_build(index.places)
    origin, destination, mode = np.nonzero(model.minutes <= MAX_STORED_MINUTES)
    flags = model.crossing[origin, destination, mode]
    minutes = model.minutes[origin, destination, mode]
    crossing = np.where(flags & CROSS_TUNNEL, 1, np.where(flags & CROSS_FERRY, 2, 0))
    crossing_value = ("", WesterscheldeCrossing.TUNNEL.value, WesterscheldeCrossing.FERRY.value)
    travel_times_replace(
        rows=(
            (
                int(index.place_ids[o]),
                int(index.place_ids[d]),
                MODE_NAMES[m],
                int(t),
                crossing_value[c],
                bool(f & CROSS_BORDER),
            )
            for o, d, m, t, c, f in zip(origin, destination, mode, minutes, crossing, flags)
        )
    )
    return int(origin.size)
