"""Warm IPython kernels: one process imports the heavy libraries once, then forks a fresh
kernel for each notebook.

Starting a kernel for a notebook costs an interpreter start-up, the import of ipykernel,
and then the notebook's own imports (pandas, plotnine, netter): about 2.5 s before its
first line runs, for each notebook.  :func:`forked_kernels` pays that once: it imports
:data:`PRELOAD` in this process and forks one child per notebook, each of which becomes
an ordinary IPython kernel (:class:`ipykernel.kernelapp.IPKernelApp`) on its own
connection file, in its own working directory and environment.  A forked kernel is a
copy of the warm process: nothing one notebook does (options set, modules patched,
variables defined) can reach another, as with separate kernels.

Every kernel is forked before this process opens any socket or starts any thread of its
own, so a child never inherits a live messaging context.  Kernels talk over Unix sockets
(ZeroMQ ``ipc``) in a private temporary folder, so concurrent batches never collide on a
port.  The parent talks to each
kernel through a :class:`jupyter_client.manager.KernelManager` whose provisioner
(:class:`ForkedKernel`) knows the child's process id instead of launching one.

POSIX only (``os.fork``); elsewhere :func:`can_fork` is False and notebooks get a kernel
each (:func:`netter.report.notebook.execute_notebook`).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from jupyter_client.provisioning.provisioner_base import KernelProvisionerBase

#: Modules imported once before forking (those missing are skipped).  The matplotlib
#: backend is chosen as a kernel chooses it, before matplotlib is imported.
PRELOAD = ("numpy", "pandas", "scipy.special", "matplotlib", "matplotlib.pyplot", "plotnine",
           "IPython", "ipykernel.kernelapp", "netter.endpoints.study",
           "netter.report.pipeline", "netter.figures.outputs", "netter.tables.outputs")

#: The backend an IPython kernel sets when none is set (ipykernel's kernelapp does it).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def can_fork() -> bool:
    """Whether kernels can be forked here (POSIX).

    Examples
    --------
    >>> can_fork() == hasattr(os, "fork")
    True
    """
    return hasattr(os, "fork")


def preload(modules=PRELOAD) -> list[str]:
    """Import ``modules`` into this process; return those imported.

    Examples
    --------
    >>> preload(("json", "no_such_module_here"))
    ['json']
    """
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    done = []
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        done.append(name)
    return done


def _become_kernel(connection_file: str, cwd: str, env: dict, extra_arguments) -> None:
    """In the child: turn into an IPython kernel on ``connection_file``; never return."""
    code = 1
    try:
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.chdir(cwd)
        os.environ.update(env)
        from ipykernel.kernelapp import IPKernelApp

        sys.argv = [sys.executable, "-f", connection_file]
        app = IPKernelApp.instance()
        # the parent's process id: the kernel exits if the parent dies
        app.initialize(["-f", connection_file, f"--IPKernelApp.parent_handle={os.getppid()}",
                        *extra_arguments])
        app.start()
        code = 0
    except BaseException:  # the child must never return into the parent's code
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


class ForkedKernel(KernelProvisionerBase):
    """A provisioner for a kernel already running as child ``pid`` of this process."""

    pid: int | None = None
    returncode: int | None = None

    @property
    def has_process(self) -> bool:
        return self.pid is not None and self.returncode is None

    def _reap(self, block: bool) -> int | None:
        if self.pid is None or self.returncode is not None:
            return self.returncode
        pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        if pid == self.pid:
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    async def poll(self) -> int | None:
        return self._reap(block=False)

    async def wait(self) -> int | None:
        return self._reap(block=True)

    async def send_signal(self, signum: int) -> None:
        if self.has_process:
            os.kill(self.pid, signum)

    async def kill(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)

    async def launch_kernel(self, cmd, **kwargs):  # pragma: no cover - never launched
        raise RuntimeError("a forked kernel is started by forked_kernels(), not launched")

    async def cleanup(self, restart: bool = False) -> None:
        return None


def stop(manager) -> None:
    """Stop a forked kernel and reap its process."""
    provisioner = manager.provisioner
    if provisioner.has_process:
        os.kill(provisioner.pid, signal.SIGKILL)
    provisioner._reap(block=True)


@contextmanager
def forked_kernels(jobs, *, extra_arguments=("--IPKernelApp.log_level=ERROR",)):
    """One warm-forked kernel manager per job; every kernel stopped on exit.

    Parameters
    ----------
    jobs : sequence of (cwd, env)
        The working directory and the environment variables of each kernel.
    extra_arguments : sequence of str
        Arguments of :class:`ipykernel.kernelapp.IPKernelApp`.

    Yields
    ------
    list of jupyter_client.manager.KernelManager
        Managers of running kernels, in job order (give one to nbclient as ``km``).
    """
    from jupyter_client.connect import write_connection_file
    from jupyter_client.manager import KernelManager

    folder = tempfile.mkdtemp(prefix="netter-kernels-")
    children = []
    managers = []
    try:
        # every fork before this process creates a manager (or any messaging context)
        for number, (cwd, env) in enumerate(jobs):
            # Unix sockets in a private folder, not TCP ports: two batches running at
            # once (make -j2) cannot pick the same port between choosing and binding it
            connection, _ = write_connection_file(
                str(Path(folder) / f"kernel-{number}.json"), transport="ipc",
                ip=str(Path(folder) / f"kernel-{number}-ipc"))
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _become_kernel(connection, str(cwd), dict(env), list(extra_arguments))
            children.append((number, connection, pid))
        for number, connection, pid in children:
            manager = KernelManager(connection_file=connection)
            manager.load_connection_file(connection)
            manager.provisioner = ForkedKernel(kernel_id=str(number), kernel_spec=None,
                                               parent=manager)
            manager.provisioner.pid = pid
            managers.append(manager)
        yield managers
    finally:
        for manager in managers:
            stop(manager)
        for _, _, pid in children[len(managers):]:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        for path in Path(folder).glob("*"):
            path.unlink()
        os.rmdir(folder)
