"""The kit every endpoint of the REST API shares: error bodies, renderers, ETags, the
``updated_since`` sync filter, pagination, throttling, schema hooks and the JSON 404.

Import from the modules, not from this package: DRF loads the default throttle and
pagination classes while ``rest_framework.views`` is still loading, so importing this package
must not pull in a module that imports ``rest_framework.views`` (such as ``errors``).
What is about accounts (tokens, their scopes, the roles) lives in ``accounts``.
"""
