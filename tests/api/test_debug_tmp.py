import pytest

pytestmark = pytest.mark.django_db


def test_debug(world):
    from matching import tasks
    r = tasks.rematch_vacancy.AsyncResult("3f1c6a5e-3d0b-4a59-9a7e-0c7f2b1d9e44")
    print(r.backend, r.state)
