"""
A TCP proxy that can be cut and restored, to take a database server away
from a site for real and give it back, without stopping either.

`TcpProxy(("127.0.0.1", 5432))` listens on a free local port (`port`) and
passes each connection on to the server, in both directions, on threads.
`cut()` stops listening and closes every open connection, so that clients
see their connections drop and new ones refused, as when the server goes
down; `restore()` listens on the same port again. `freeze()` holds what
either side sends, as a server that stops answering without closing
anything (stopped, hung, its host frozen); `thaw()` passes it on again.
"""

import socket
import threading

BUFFER_SIZE = 65536
# How often the listening thread looks whether it should stop, in seconds.
ACCEPT_POLL = 0.1


class TcpProxy:
    def __init__(self, upstream):
        self.upstream = upstream
        self.port = None
        self.listener = None
        self.accepting = None
        self.stopping = threading.Event()
        self.flowing = threading.Event()
        self.flowing.set()
        self.connections = set()
        self.lock = threading.Lock()

    def start(self):
        """Listen (on a free port the first time, then on the same one)."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen()
        listener.settimeout(ACCEPT_POLL)
        self.port = listener.getsockname()[1]
        self.listener = listener
        self.stopping.clear()
        self.accepting = threading.Thread(target=self.accept, daemon=True)
        self.accepting.start()

    def restore(self):
        """Listen again on the same port, after `cut()`."""
        self.start()

    def cut(self):
        """Stop listening and drop every connection."""
        self.stopping.set()
        self.accepting.join()
        self.listener.close()
        with self.lock:
            connections, self.connections = self.connections, set()
        for connection in connections:
            hang_up(connection)

    def freeze(self):
        self.flowing.clear()

    def thaw(self):
        self.flowing.set()

    def accept(self):
        while not self.stopping.is_set():
            try:
                client, __ = self.listener.accept()
            except TimeoutError:
                continue
            client.settimeout(None)
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                hang_up(client)
                continue
            with self.lock:
                self.connections.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(
                    target=self.pass_on, args=(source, target), daemon=True
                ).start()

    def pass_on(self, source, target):
        """Copy what `source` sends to `target` until either side ends."""
        try:
            while data := source.recv(BUFFER_SIZE):
                self.flowing.wait()
                target.sendall(data)
        except OSError:
            pass
        with self.lock:
            self.connections.difference_update((source, target))
        hang_up(source)
        hang_up(target)


def hang_up(connection):
    """Close a socket at once, telling the other end; it may be closed already."""
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    connection.close()
