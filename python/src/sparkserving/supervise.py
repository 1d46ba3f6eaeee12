"""Keeping a service up when its query fails: the Python face of ``Serving.supervise``."""

from __future__ import annotations

from typing import Any, Optional, Union

from pyspark.sql.streaming import DataStreamWriter, StreamingQuery

from sparkserving._jvm import _gateway_jvm, jvm_class

__all__ = ["supervise", "SupervisedQuery"]

Duration = Union[str, int, float]


class SupervisedQuery:
    """A query that ``supervise`` restarts on its checkpoint whenever it fails.

    A thin handle on the JVM's ``org.sparkserving.SupervisedQuery``: the supervisor runs in the
    JVM, so nothing runs in Python per request or per restart.
    """

    def __init__(self, jhandle: Any) -> None:
        self._jhandle = jhandle

    @property
    def query(self) -> StreamingQuery:
        """The query's current run (a new ``StreamingQuery`` after each restart)."""
        return StreamingQuery(self._jhandle.query())

    @property
    def restarts(self) -> int:
        """How many times the query was restarted so far."""
        return int(self._jhandle.restarts())

    @property
    def last_failure(self) -> Optional[str]:
        """The failure that ended the latest failed run, as text; ``None`` if none failed."""
        failure = self._jhandle.lastFailure()
        return None if failure is None else str(failure.toString())

    @property
    def is_active(self) -> bool:
        """True until ``stop()``, a stop of the query itself, or the supervisor gave up."""
        return bool(self._jhandle.isActive())

    def stop(self) -> None:
        """Stops supervising and stops the query (waiting clients get 503)."""
        self._jhandle.stop()

    def await_termination(self, timeout: Optional[float] = None) -> Optional[bool]:
        """Waits until the supervision ends (for at most ``timeout`` seconds if given).

        Returns whether it ended when ``timeout`` is given. Raises the JVM's error if the
        supervisor gave up after ``max_restarts`` failures in a row.
        """
        if timeout is None:
            self._jhandle.awaitTermination()
            return None
        return bool(self._jhandle.awaitTermination(int(timeout * 1000)))


def _duration(value: Duration) -> str:
    """Seconds (a number) or a Spark time string such as ``"500ms"``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{int(value * 1000)}ms"
    return str(value)


def supervise(
    writer: DataStreamWriter,
    max_restarts: Optional[int] = None,
    restart_backoff: Optional[Duration] = None,
    max_restart_backoff: Optional[Duration] = None,
    restart_grace_period: Optional[Duration] = None,
) -> SupervisedQuery:
    """Starts ``writer``'s query and restarts it on the same checkpoint whenever it fails.

    A request whose row makes the query throw then costs only its own batch's clients a 500; in
    head-node mode the same server keeps admitting clients while the query restarts, and the
    restarted query serves them. ``writer`` needs a ``checkpointLocation``.

    Args:
        writer: ``df.writeStream...`` with everything but ``start()``.
        max_restarts: failures in a row (without a completed batch between) before giving up;
            default 10.
        restart_backoff: first wait before a restart, doubling per failure in a row; seconds or
            a time string; default ``"500ms"``.
        max_restart_backoff: the longest wait; default ``"10s"``.
        restart_grace_period: how long a head-node server keeps admitting clients for the
            restart; default ``"30s"``.
    """
    jvm = _gateway_jvm()
    settings = jvm.java.util.HashMap()
    for key, value in (
        ("maxRestarts", None if max_restarts is None else str(int(max_restarts))),
        ("restartBackoff", None if restart_backoff is None else _duration(restart_backoff)),
        (
            "maxRestartBackoff",
            None if max_restart_backoff is None else _duration(max_restart_backoff),
        ),
        (
            "restartGracePeriod",
            None if restart_grace_period is None else _duration(restart_grace_period),
        ),
    ):
        if value is not None:
            settings.put(key, value)
    jwriter = getattr(writer, "_jwrite", None)
    if jwriter is None:
        raise TypeError("supervise needs a classic PySpark DataStreamWriter (df.writeStream)")
    return SupervisedQuery(jvm_class("Serving").supervise(jwriter, settings))
