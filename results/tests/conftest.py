import pytest


@pytest.fixture(autouse=True)
def whitenoise_without_collectstatic(settings):
    """Tests run without `collectstatic`; WhiteNoise warns about the missing STATIC_ROOT unless it autorefreshes."""
    settings.WHITENOISE_AUTOREFRESH = True
