"""Mail is sent by tasks the server enqueues, never while a request waits."""

from django_tasks import task

from byline.provenance import alerts


@task()
def send_alert_confirmation(alert_id):
    alerts.send_confirmation(alert_id)


@task()
def notify_correction(seq):
    alerts.notify(seq)
