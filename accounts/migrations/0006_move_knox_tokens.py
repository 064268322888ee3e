"""Move the tokens made before accounts.ApiToken (knox's own table) into it, so scripts keep working.

Both tables hold only the hash of each secret and its first characters, so a token moves as it is.
knox's table stays, empty: knox's migrations create it whichever token model is in use.
"""

from django.db import migrations


def move_tokens(apps, schema_editor):
    KnoxToken = apps.get_model("knox", "AuthToken")
    ApiToken = apps.get_model("accounts", "ApiToken")
    old = list(KnoxToken.objects.all())
    for token in old:
        moved = ApiToken.objects.create(
            user_id=token.user_id,
            name=f"Token {token.token_key}",
            token_key=token.token_key,
            digest=token.digest,
            expiry=token.expiry,
        )
        # `created_at` is set on insert; keep the token's own date.
        ApiToken.objects.filter(pk=moved.pk).update(created_at=token.created)
    KnoxToken.objects.filter(pk__in=[token.pk for token in old]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_api_tokens_and_invitations"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(move_tokens, migrations.RunPython.noop)]
