"""Thin tasks: the work is in ``mailings.services`` and ``mailings.digests``."""

from __future__ import annotations

from celery import shared_task

from mailings import digests, notices, services


@shared_task(name=services.SEND_TASK, acks_late=True)
def send_deliveries() -> int:
    return services.deliveries_send()


@shared_task(name=digests.TASK, acks_late=True)
def send_digests() -> int:
    return digests.digests_send()


@shared_task(name=notices.TASK, acks_late=True)
def tell_request_decisions() -> int:
    return notices.tell_request_decisions()
