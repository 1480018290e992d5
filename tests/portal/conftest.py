import pytest

from tests.servers import Server


@pytest.fixture
def gunicorn_server(tmp_path):
    """`gunicorn_server(env={...})` starts the portal under gunicorn (tests/servers.py) against this test's
    database. Every server is killed when the test ends, whatever happened; its output is printed then,
    so a failing test shows what each server said."""
    servers: list[Server] = []

    def start(**kwargs) -> Server:
        server = Server(log_dir=tmp_path, **kwargs)
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        failures = []
        for server in servers:
            try:
                server.kill()
            except Exception as exc:  # kill the others all the same, then fail
                failures.append(exc)
            for n in range(1, server.starts + 1):
                print(f"--- gunicorn on port {server.port}, start {n}, last lines:\n{server.output(n)}")
        if failures:
            raise failures[0]
