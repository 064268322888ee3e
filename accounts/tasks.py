from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_password_reset(email: str, language: str) -> None:
    services.password_reset_mail(email=email, language=language)
