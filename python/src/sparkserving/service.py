"""Where a running service can be reached: the Python face of ``org.sparkserving.Serving``."""

from __future__ import annotations

from typing import List, Optional

from sparkserving._jvm import jvm_class

__all__ = ["endpoints", "await_endpoints", "registry_url"]


def endpoints(name: str) -> List[str]:
    """The URLs serving ``name`` right now, such as ``http://127.0.0.1:8888/my_api``.

    Empty until the query's stream has started (``start()`` returns before that) and again after
    it stopped. With ``option("port", 0)`` this is how to learn the port the server picked.
    """
    return [str(u) for u in jvm_class("Serving").endpoints(name)]


def await_endpoints(name: str, timeout: float = 60.0) -> List[str]:
    """Wait until ``name`` is served, for at most ``timeout`` seconds, and return its URLs.

    Raises:
        TimeoutError: the service is not up in time (is its query running?).
    """
    from py4j.protocol import Py4JJavaError

    try:
        urls = jvm_class("Serving").awaitEndpoints(name, int(timeout * 1000))
    except Py4JJavaError as e:
        raise TimeoutError(str(e.java_exception.getMessage())) from None
    return [str(u) for u in urls]


def registry_url(name: str) -> Optional[str]:
    """Where the driver lists the URLs serving ``name`` as JSON, for a load balancer or a client.

    The listing reads ``{"name": "my_api", "endpoints": ["http://...", ...]}``: every executor's
    server for a distributed service, the one server of a head-node service. ``None`` when
    ``name`` is not served from this driver.
    """
    url = jvm_class("Serving").registryUrl(name)
    return None if url is None else str(url)
