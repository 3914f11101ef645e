from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from dangvu.tasks.worker import Worker, drain


class Command(BaseCommand):
    help = (
        "Run a background worker: takes tasks from the database queue (any number of workers on any number "
        "of machines), beats every few seconds, requeues the tasks of dead workers and runs the schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queues", default="*", help="Comma-separated queue names, or * (default).")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument("--heartbeat", type=float, default=settings.DANGVU_WORKER_HEARTBEAT_SECONDS)
        parser.add_argument("--dead-after", type=float, default=settings.DANGVU_WORKER_DEAD_AFTER_SECONDS)
        parser.add_argument("--no-schedule", action="store_true", help="Do not enqueue scheduled runs.")
        parser.add_argument("--batch", action="store_true", help="Run the tasks ready now, then exit.")
        parser.add_argument(
            "--name",
            default="",
            help="Prefix of the worker's id (default: the host name); the id adds the process id and a random part, "
            "so that a restarted worker is never taken for the one that died.",
        )

    def handle(self, *args, **options):
        if options["batch"]:
            self.stdout.write(f"tasks run: {drain()}")
            return
        import os
        import socket

        worker_id = f"{options['name'] or socket.gethostname()}-{os.getpid()}-{get_random_string(6)}"
        worker = Worker(
            heartbeat=options["heartbeat"],
            dead_after=options["dead_after"],
            schedule=not options["no_schedule"],
            queue_names=options["queues"].split(","),
            interval=options["interval"],
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id[-64:],
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
