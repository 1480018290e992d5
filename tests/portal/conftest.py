import pytest

from tests.servers import Server


@pytest.fixture
def gunicorn_server(tmp_path):
    """`gunicorn_server(n, env={...})` starts `n` servers of the portal under gunicorn (tests/servers.py)
    against this test's database, side by side, and returns them once each answers. Every server is
    killed when the test ends, whatever happened; its output is printed then, so a failing test shows
    what each server said."""
    servers: list[Server] = []

    def start(n: int = 1, **kwargs) -> list[Server]:
        started = []
        for _ in range(n):
            started.append(Server(log_dir=tmp_path, taken={s.port for s in servers + started}, **kwargs))
        servers.extend(started)
        for server in started:
            server.launch()
        return [server.wait_until_ready() for server in started]

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
