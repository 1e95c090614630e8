"""Runs moto server on 127.0.0.1 on a port the OS chooses, and says which in a file.

Usage: moto_run.py PORT_FILE

Runs under the moto virtualenv's python (tests/support/moto_server.sh starts it). moto's own
`moto_server` needs its port on the command line; this binds port 0 instead, so no fixed port
is ever asked for, and writes the port the kernel gave to PORT_FILE (atomically, once the
socket listens). MOTO_PORT is set to that port for the few moto services that put their own
address into answers. INITIAL_NO_AUTH_ACTION_COUNT comes from the environment, as for
`moto_server`. Stops on SIGTERM or SIGINT.
"""
import os
import signal
import sys
import threading

from moto.moto_server.threaded_moto_server import ThreadedMotoServer


def write_port(path: str, port: int) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(f"{port}\n")
    os.replace(tmp, path)


def main(port_file: str) -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    os.environ["MOTO_PORT"] = str(port)
    write_port(port_file, port)
    print(f"moto listening on 127.0.0.1:{port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(1):
        pass
    server.stop()


if __name__ == "__main__":
    main(sys.argv[1])
