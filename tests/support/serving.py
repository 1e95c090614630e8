"""What the helper servers in tests/support share: telling their port, dying with their test.

A helper server binds port 0 on 127.0.0.1, so the OS chooses a free port, and writes that port
to a file the test named (atomically, once the socket listens). With a parent pid it exits as
soon as that process is gone, so a test that crashes leaves no server behind.
"""
import os
import threading
import time


def write_port_file(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(f"{port}\n")
    os.replace(tmp, path)


def exit_with(pid):
    """Ends this process once `pid` is gone (checked twice a second)."""
    def watch():
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass
            time.sleep(0.5)
    threading.Thread(target=watch, daemon=True).start()


def serve(server, port_file, parent_pid=None):
    """Announces `server`'s port in `port_file`, then serves until the process ends."""
    if parent_pid:
        exit_with(parent_pid)
    write_port_file(port_file, server.server_address[1])
    server.serve_forever()
