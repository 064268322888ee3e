from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def password_reset_mail(email: str, language: str) -> None:
    services.password_reset_mail(email=email, language=language)
