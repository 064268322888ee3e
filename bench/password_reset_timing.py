"""Does a password-reset request take as long for an unknown address as for a known one?

Issue 12 asks that the reset request not tell the two apart by its timing. The request path is
the same by construction (two cache counters, one task published; only the worker looks the
address up), and `accounts/tests/test_password_reset.py` checks that it runs the same queries
and publishes the same task. This script measures the time: it posts the reset form for a known
and an unknown address in alternation, in-process through Django's test client, against the
configured database, and prints the medians and their difference.

The task is serialised as Celery would publish it but not sent, so no broker is needed and no
mail goes out; publishing costs the same for both addresses. The rate limits are lifted for the
run. Run it on PostgreSQL, after `migrate` (and `seed_demo`, or pass --known):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coalitions .venv/bin/python -m bench.password_reset_timing
"""

import argparse
import json
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--known", default="staff-co@example.org", help="address of an active account")
    parser.add_argument("--unknown", default="nobody-at-all@example.org")
    parser.add_argument("--rounds", type=int, default=400, help="requests per address")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth.forms import PasswordResetForm
    from django.test import Client, override_settings

    from accounts.tasks import password_reset_mail

    if not list(PasswordResetForm().get_users(args.known)):
        raise SystemExit(f"No active account with a password uses {args.known!r}: run seed_demo or pass --known.")
    if list(PasswordResetForm().get_users(args.unknown)):
        raise SystemExit(f"{args.unknown!r} belongs to an account: pass another --unknown.")

    published = []

    def publish(args=None, **options) -> None:
        published.append(json.dumps({"task": password_reset_mail.name, "args": args}))

    password_reset_mail.apply_async = publish
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    with override_settings(
        PASSWORD_RESET_LIMIT_PER_ADDRESS=10**9, PASSWORD_RESET_LIMIT_PER_IP=10**9, ALLOWED_HOSTS=["testserver"]
    ):
        client = Client()
        for _ in range(20):  # warm-up: templates, connections, caches
            client.post("/accounts/password_reset/", {"email": args.unknown})
        for round_ in range(args.rounds):
            order = ("known", "unknown") if round_ % 2 else ("unknown", "known")
            for which in order:
                email = args.known if which == "known" else args.unknown
                start = time.perf_counter()
                response = client.post("/accounts/password_reset/", {"email": email})
                times[which].append(time.perf_counter() - start)
                assert response.status_code == 302, response.status_code

    def summary(values: list[float]) -> str:
        q = statistics.quantiles(values, n=10)
        return f"median {statistics.median(values) * 1000:.3f} ms, p10 {q[0] * 1000:.3f}, p90 {q[-1] * 1000:.3f}"

    known, unknown = statistics.median(times["known"]), statistics.median(times["unknown"])
    print(f"known address:   {summary(times['known'])}")
    print(f"unknown address: {summary(times['unknown'])}")
    print(f"difference of medians: {(known - unknown) * 1e6:+.0f} µs ({(known - unknown) / unknown:+.1%})")
    print(f"tasks published: {len(published)} (one per request, whatever the address)")


if __name__ == "__main__":
    main()
