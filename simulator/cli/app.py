"""The typer application and the one place errors become exit codes."""

from __future__ import annotations

import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from simulator import __version__
from simulator.errors import FileFailed, SimulatorError, SimulatorWarning, file_error

app = typer.Typer(
    name="cssim",
    help="Simulate Customer Success staffing, coverage models and CSM compensation plans.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130


@contextmanager
def noticing_interrupts() -> Iterator[Callable[[], bool]]:
    """Ctrl-C raises KeyboardInterrupt as usual, and is remembered: the block gets a
    function telling whether it was pressed.

    A library may turn the KeyboardInterrupt it is handed into its own error: pandas' CSV
    parser, interrupted while reading, raises a ParserError. Without this, Ctrl-C while a
    run's tables are parsed would exit 1 with that error's traceback instead of 130.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    seen: list[int] = []

    def interrupt(signum: int, frame: FrameType | None) -> None:
        seen.append(signum)
        signal.default_int_handler(signum, frame)

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield lambda: bool(seen)
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def showing_warnings() -> Iterator[None]:
    """cssim's own warnings (:class:`~simulator.errors.SimulatorWarning`: the results are whole)
    as one ``warning: ...`` line each on stderr, every time; any other as Python shows it."""
    with warnings.catch_warnings():
        warnings.simplefilter("always", SimulatorWarning)
        python_shows = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *args: object, **kwargs: object) -> None:
            if issubclass(category, SimulatorWarning):
                typer.echo(f"warning: {message}", err=True)
            else:
                python_shows(message, category, *args, **kwargs)  # type: ignore[arg-type]

        warnings.showwarning = show
        yield


@contextmanager
def long_command(
    interrupted: str, failures: tuple[type[Exception], ...] = (), failed: Callable[[Exception], str] = str
) -> Iterator[Callable[[], bool]]:
    """Exit codes of a command that runs simulations: bad input 2, one of ``failures`` 1 (with
    ``failed(error)`` printed), any other :class:`~simulator.errors.FileFailed` (a full
    disk, an I/O error) 1, a file system error no check named 2 or 1 (:func:`on_file_error`),
    Ctrl-C 130 with ``interrupted`` printed, also when a library turned the interrupt into its
    own error (:func:`noticing_interrupts`, which it yields). cssim's own warnings are shown
    as one line each (:func:`showing_warnings`)."""
    with noticing_interrupts() as pressed, showing_warnings():
        try:
            yield pressed
        except typer.Exit:
            raise
        except failures as error:  # first: a failed run is a SimulatorError too
            typer.echo(f"error: {failed(error)}", err=True)
            raise typer.Exit(EXIT_FAILURE) from None
        except SimulatorError as error:
            raise fail(error) from None
        except KeyboardInterrupt:
            typer.echo(interrupted, err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as error:
            if pressed():
                typer.echo(interrupted, err=True)
                raise typer.Exit(EXIT_INTERRUPTED) from None
            if isinstance(error, OSError) and error.filename is not None:
                raise on_file_error(error) from None
            raise


def report_failed(error: BaseException, folder: Path, interrupted: Callable[[], bool]) -> typer.Exit:
    """Say why the report of a finished run failed, its tables being complete in ``folder``, and
    return the exit to raise: 130 for Ctrl-C (``interrupted``: :func:`long_command`'s), else 1.

    One wording for ``cssim run`` and ``cssim size``: our own errors (a full disk) by their
    message, anything else by its class too, since its message alone may not say what it is.
    """
    if isinstance(error, KeyboardInterrupt) or interrupted():
        typer.echo(
            f"\ninterrupted while rendering the report; the tables in {folder} are complete: "
            f"`cssim report {folder}` rebuilds it",
            err=True,
        )
        return typer.Exit(EXIT_INTERRUPTED)
    why = str(error) if isinstance(error, SimulatorError) else f"{type(error).__name__}: {error}"
    typer.echo(f"error: the report failed: {why}; tables are in {folder}", err=True)
    return typer.Exit(EXIT_FAILURE)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cssim {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """cssim: how many CSMs, which coverage model, and which comp plan, before you commit."""


def on_file_error(error: OSError) -> BaseException:
    """The exit for a file system error no check named (:func:`~simulator.errors.file_error`), or
    ``error`` itself when it names no file (a socket, a pipe: a bug to show whole)."""
    if error.filename is None:
        return error
    return fail(file_error(error))


def fail(error: SimulatorError) -> typer.Exit:
    """Print a project error to stderr and return the exit to raise: code 2 for bad input, 1 for
    a file the machine would not write or read (:class:`~simulator.errors.FileFailed`)."""
    typer.echo(f"error: {error}" if "\n" not in str(error) else f"error:\n{error}", err=True)
    return typer.Exit(exit_code(error))


def exit_code(error: SimulatorError) -> int:
    """1 for a failure of the machine (a full disk, an I/O error), 2 for bad input."""
    return EXIT_FAILURE if isinstance(error, FileFailed) else EXIT_BAD_INPUT


def main() -> None:
    """Console entry point: run the app, mapping our errors to exit 2 without a traceback."""
    try:
        app()
    except SimulatorError as error:  # a command that did not catch its own
        typer.echo(f"error: {error}", err=True)
        sys.exit(exit_code(error))
