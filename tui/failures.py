"""One pattern for every worker's failure: a visible message, and the app keeps running.

Workers are made with ``exit_on_error=False`` and a ``description`` that names what they do
("Reading the timeline"); they let an unexpected exception go. Textual then posts
``Worker.StateChanged`` to the node that started the worker (it does not bubble), and
:class:`ReportsFailures`, mixed into the app and every screen that starts workers, turns an
error into one notification. What the user did last (a key, a filter, Re-index) tries again.
"""

from __future__ import annotations

from typing import Any

from textual.worker import Worker, WorkerState


def failure_notice(worker: Worker[object]) -> str:
    """The message for a worker that failed: what failed, and why."""
    error = worker.error
    what = worker.description or worker.name or "A background task"
    return f"{what} failed: {type(error).__name__}: {error}. The rest of the app works; try again."


class ReportsFailures:
    """Mixed into a node that starts workers: their failures become notifications.

    A plain class, not a DOMNode: Textual finds a node's CSS type names through its first
    DOMNode base, so a DOMNode mixin put first would hide ``Screen`` and ``App`` styles."""

    app: Any  # the node's app (Textual's DOMNode.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.app.notify(failure_notice(event.worker), severity="error", timeout=15)
