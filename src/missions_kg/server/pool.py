"""A pool of query worker processes that can be killed: how a timeout really stops work.

pyoxigraph cannot be interrupted from Python, and a thread that runs a runaway query goes on
using a core after its caller gave up; so every query runs in a worker *process*
(:mod:`.worker`). The pool keeps ``size`` of them (two on our two cores, so a runaway query
leaves a worker free for a quick one). A job waits for an idle worker, then for its answer;
when the timeout passes, the worker is killed and a fresh one takes its place. A worker
that passed the memory ceiling exits with :data:`~missions_kg.limits.MEMORY_EXIT`; the job
gets the ceiling's message and the worker is replaced the same way.

Workers are started with the ``forkserver`` method: a small clean process forks them, so
they start in milliseconds yet never inherit the server's threads, sockets or store.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time

from .. import limits
from ..engine import QueryTimeout
from ..errors import QueryError
from . import worker


class WorkerGone(QueryError):
    """A worker died while running a job (killed by the memory ceiling, or a crash)."""


class _Slot:
    def __init__(self, ctx, built, ceiling) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=worker.serve_jobs, args=(child, built, ceiling),
                                name="missions-kg-query", daemon=True)
        self.proc.start()
        child.close()

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryPool:
    """``size`` worker processes over one build; :meth:`run` sends a job to an idle one."""

    def __init__(self, built, *, size: int = 2, ceiling: int | None = None) -> None:
        self.built, self.size, self.ceiling = built, max(1, size), ceiling
        self._ctx = multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
        if self._ctx.get_start_method() == "forkserver":
            self._ctx.set_forkserver_preload(["missions_kg.server.worker", "pyoxigraph"])
        self._idle: asyncio.Queue | None = None
        self._slots: list[_Slot] = []
        self.replaced = 0  # workers killed and replaced (timeouts, memory), for tests

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            slot = await asyncio.to_thread(self._new_slot)
            self._idle.put_nowait(slot)

    def _new_slot(self) -> _Slot:
        slot = _Slot(self._ctx, self.built, self.ceiling)
        self._slots.append(slot)
        return slot

    async def close(self) -> None:
        for slot in list(self._slots):
            try:
                slot.conn.send(None)
            except (OSError, ValueError):
                pass
        await asyncio.sleep(0)
        for slot in list(self._slots):
            slot.kill()
        self._slots.clear()

    @property
    def pids(self) -> list[int]:
        return [s.proc.pid for s in self._slots if s.proc.pid]

    async def run(self, job: tuple, timeout: float):
        """The job's :class:`~missions_kg.engine.Result`, or QueryError / QueryTimeout."""
        assert self._idle is not None, "QueryPool.start() was not awaited"
        deadline = time.monotonic() + timeout
        try:
            slot = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise QueryTimeout(f"no query worker was free within {timeout:g} s (the server "
                               "is busy with other queries); try again later") from None
        try:
            slot.conn.send(job)
            ready = await _readable(slot.conn, max(0.0, deadline - time.monotonic()))
            if not ready:
                await self._replace(slot)
                slot = None
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped "
                                   "(its worker was killed)",
                                   hint="add LIMIT, or narrow the pattern")
            try:
                message = await asyncio.to_thread(slot.conn.recv)
            except (EOFError, OSError):
                code = await asyncio.to_thread(_exit_code, slot)
                await self._replace(slot)
                slot = None
                if code == limits.MEMORY_EXIT:
                    raise WorkerGone(limits.memory_message(self.ceiling or 0, "the query"),
                                     ) from None
                raise WorkerGone("the query worker stopped unexpectedly; try again") from None
        except BaseException:
            if slot is not None:  # cancelled (client gone) or failed mid-job: start afresh
                await self._replace(slot)
            raise
        self._idle.put_nowait(slot)
        if message[0] == "error":
            _, cls, text, hint = message
            raise cls(text, hint=hint)
        return message[1]

    async def _replace(self, slot: _Slot) -> None:
        self.replaced += 1
        if slot in self._slots:
            self._slots.remove(slot)
        await asyncio.to_thread(slot.kill)
        fresh = await asyncio.to_thread(self._new_slot)
        self._idle.put_nowait(fresh)


def _exit_code(slot: _Slot) -> int | None:
    slot.proc.join(2)
    return slot.proc.exitcode


async def _readable(conn, timeout: float) -> bool:
    """Wait (without a thread) until ``conn`` has data or is closed; False on timeout."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    fd = conn.fileno()
    loop.add_reader(fd, lambda: ready.done() or ready.set_result(True))
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
