import urllib.request

import pytest


def test_debug(live_server, reference_data):
    from tests.api.conftest import build_world
    import matching.api as m
    orig = m.Unavailable
    class Loud(orig):
        def __init__(self, *a, **k):
            import sys, traceback
            super().__init__(detail=repr(sys.exc_info()[1]))
    m.Unavailable = Loud
    w = build_world()
    req = urllib.request.Request(live_server.url + "/api/v1/matching/tasks/3f1c6a5e-3d0b-4a59-9a7e-0c7f2b1d9e44",
                                 headers={"Authorization": "Token " + w.tokens["token_service"]})
    try:
        print("TASK", urllib.request.urlopen(req).read())
    except Exception as e:
        print("TASK", e, e.read())
    m.Unavailable = orig
