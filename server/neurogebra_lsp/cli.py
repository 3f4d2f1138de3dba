"""`neurogebra-lsp`: the language server over stdio (the default) or TCP."""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys

from neurogebra_lsp import __version__

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(prog="neurogebra-lsp", description="The Neurogebra language server.")
    result.add_argument("--version", action="version", version=f"neurogebra-lsp {__version__}")
    result.add_argument("--stdio", action="store_true",
                        help="talk over stdin/stdout (the default; accepted because editor clients append it)")
    result.add_argument("--tcp", action="store_true", help="listen on TCP instead of stdio")
    result.add_argument("--host", default="127.0.0.1", help="TCP host (default 127.0.0.1)")
    result.add_argument("--port", type=int, default=2087, help="TCP port (default 2087)")
    result.add_argument("--log-file", help="write the log here instead of stderr")
    result.add_argument("--log-level", default="WARNING", type=str.upper,
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="default WARNING")
    return result


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    if os.name != "posix":
        sys.exit("neurogebra-lsp needs Linux or macOS: its analysis workers inherit their socket as a file descriptor")
    handler = logging.FileHandler(args.log_file, encoding="utf-8") if args.log_file else logging.StreamHandler()
    logging.basicConfig(level=args.log_level, format=LOG_FORMAT, handlers=[handler])
    if args.log_level != "DEBUG":
        logging.getLogger("pygls").setLevel(max(logging.WARNING, logging.getLevelName(args.log_level)))

    from neurogebra_lsp.pool import WorkerPool

    pool = WorkerPool()  # first: its processes import SymPy while this one imports pygls

    from neurogebra_lsp.server import create_server

    server = create_server(pool)
    with contextlib.suppress(KeyboardInterrupt):  # SIGINT ends the server (start_io catches it itself)
        if args.tcp:
            server.start_tcp(args.host, args.port)
        else:
            server.start_io(sys.stdin.buffer, sys.stdout.buffer)
    server.stop_pool()
    logging.shutdown()
    os._exit(0 if server.shutdown_requested else 1)  # not sys.exit: it would wait for pygls' stdin reader
