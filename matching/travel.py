"""Store the engine's commute model as the taxonomy TravelTime table.

The search filter ("at most N minutes from home") and the vacancy page read that table, so
they need no import of matching; the matching engine itself uses the same model in memory.
"""

import numpy as np
from django.db import transaction

from taxonomy.models import TravelTime, WesterscheldeCrossing

from .engine.commute import CROSS_BORDER, CROSS_FERRY, CROSS_TUNNEL, build_commute_model
from .engine.data import MODE_NAMES
from .profiles import reference_index_build

# A candidate's limit is at most 180 minutes one way; longer trips are never shown.
MAX_STORED_MINUTES = 180


@transaction.atomic
def travel_times_refresh() -> int:
    """Recompute every place-to-place estimate; returns the number of rows stored."""
    index = reference_index_build()
    if index.places.n == 0:
        return 0
    model = build_commute_model(index.places)
    origin, destination, mode = np.nonzero(model.minutes <= MAX_STORED_MINUTES)
    flags = model.crossing[origin, destination, mode]
    minutes = model.minutes[origin, destination, mode]
    crossing = np.where(flags & CROSS_TUNNEL, 1, np.where(flags & CROSS_FERRY, 2, 0))
    crossing_value = ("", WesterscheldeCrossing.TUNNEL.value, WesterscheldeCrossing.FERRY.value)
    TravelTime.objects.all().delete()
    TravelTime.objects.bulk_create(
        (
            TravelTime(
                origin_id=int(index.place_ids[o]),
                destination_id=int(index.place_ids[d]),
                mode=MODE_NAMES[m],
                minutes=int(t),
                westerschelde_crossing=crossing_value[c],
                crosses_border=bool(f & CROSS_BORDER),
            )
            for o, d, m, t, c, f in zip(origin, destination, mode, minutes, crossing, flags)
        ),
        batch_size=5000,
    )
    return int(origin.size)
