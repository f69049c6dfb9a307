import pytest

from tests.system.harness import TEMPLATE, Cluster, manage, postgres_bindir


@pytest.fixture(scope="session")
def cluster():
    """A private PostgreSQL server with a migrated template database; removed however the tests end."""
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed here")
    cluster = Cluster(bindir)
    try:
        cluster.create()
        cluster.create_database(TEMPLATE)
        manage(cluster.url(TEMPLATE), "migrate", "--noinput")
        yield cluster
    finally:
        cluster.destroy()
