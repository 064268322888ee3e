import pytest


@pytest.fixture(autouse=True, scope="session")
def whitenoise_without_collectstatic():
    """Tests run without `collectstatic`; WhiteNoise warns about the missing STATIC_ROOT unless it autorefreshes.

    Session-scoped so it also applies to the live server the browser tests start.
    """
    from django.test import override_settings

    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield
