"""remixer's tests, in folders that mirror the layers they test; `support` holds what they
share besides fixtures."""

import pytest

# The support helpers assert as tests do: rewritten, a failing assert there shows its values.
pytest.register_assert_rewrite("remixer.tests.support")
