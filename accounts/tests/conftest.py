"""Helpers for sign-in tests: a clock for the lockout's cool-off, authenticator codes, devices."""

import datetime
import time

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD


@pytest.fixture
def clock(monkeypatch):
    """Moves the lockout's clock: `clock.advance(minutes=16)` makes every later request happen
    that much later for django-axes (it reads the time once per request, in its proxy handler)."""
    import axes.handlers.proxy

    class Clock:
        offset = datetime.timedelta()

        def advance(self, **delta) -> None:
            self.offset += datetime.timedelta(**delta)

    moved = Clock()
    monkeypatch.setattr(axes.handlers.proxy, "now", lambda: timezone.now() + moved.offset)
    return moved


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's phone would show now (or that many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def enrolled(db):
    """Give a user a confirmed authenticator and recovery codes; returns (device, codes)."""
    from accounts import services

    def enrol(user):
        device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=False)
        codes = services.two_factor_enrol(user=user, device=device)
        return device, codes

    return enrol


def sign_in(user, *, password: str = PASSWORD, ip: str = "127.0.0.1", **extra) -> tuple[Client, object]:
    """A fresh browser that posts the sign-in form; returns it and the response."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"username": user.username, "password": password}, **extra)
    return client, response
