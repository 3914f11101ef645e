import pytest

from dangvu import testing


@pytest.fixture(autouse=True)
def _two_factor_off_by_default(settings):
    """Two-factor authentication is exercised by dangvu/accounts/tests/test_security.py, which turns it
    on; the other tests sign in with force_login and are about their own feature, so it is off."""
    settings.TWO_FACTOR_REQUIRED = False
    # The test client speaks plain HTTP; production redirects to HTTPS (checked in test_security).
    settings.SECURE_SSL_REDIRECT = False
    # Fast hashing for the many test users; the production hasher is Django's default PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _close_side_connection():
    """The side-value connection (dangvu.tasks.side) is closed after each test, so that the test database
    can be dropped at the end of the session."""
    yield
    from dangvu.tasks import side

    side.close()


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty local-memory cache: the tests' databases are rolled back and their tree
    paths repeat, so what one test cached (e.g. the targets' early warnings under a version key, dangvu.lib.
    cacheversion) must not answer the next. A shared cache (REDIS_URL) is never emptied here."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        cache.clear()


@pytest.fixture
def tree(db):
    return testing.make_tree()


@pytest.fixture
def people(tree):
    """A few members: two in C1 (one of them the cast's plain member), one in C2, one in C3 (committee B)."""
    return {
        "an": testing.member(tree.c1, "Nguyễn Văn An"),
        "binh": testing.member(tree.c1, "Trần Thị Bình", sex="F"),
        "duc": testing.member(tree.c2, "Lê Minh Đức"),
        "em": testing.member(tree.c3, "Phạm Thị Em", sex="F"),
    }


@pytest.fixture
def cast(tree, people):
    return testing.make_cast(tree, people["an"])


@pytest.fixture
def old_meetings(db):
    """Meetings may be recorded long after they were held (tests that build a history of meetings)."""
    testing.allow_recording_old_meetings()
