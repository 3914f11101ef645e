import pytest

from dangvu import testing


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
