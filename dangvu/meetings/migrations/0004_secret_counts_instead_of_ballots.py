"""Issue 16 item 2: secret ballots are no longer stored one row each. The choices of every secret vote are
folded into its three counters (SecretCount), the receipts of closed votes are written again in the order
of the invitations (their ids followed the order of voting), the per-ballot table is dropped, and the task
that removes the old row versions is queued (dangvu.meetings.secret). On PostgreSQL the pgstattuple
extension, with which that task verifies that no old version remains, is created when the role may."""

import uuid

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count

CHOICES = ("yes", "no", "abstain")


def fold(apps, schema_editor):
    Vote = apps.get_model("meetings", "Vote")
    SecretBallot = apps.get_model("meetings", "SecretBallot")
    SecretCount = apps.get_model("meetings", "SecretCount")
    SecretReceipt = apps.get_model("meetings", "SecretReceipt")
    touched = False
    secret = models.Q(method="secret") & ~models.Q(state="draft")
    for vote in Vote.objects.filter(secret | models.Q(pk__in=SecretBallot.objects.values("vote_id"))).order_by("pk"):
        tally = dict(SecretBallot.objects.filter(vote=vote).values_list("choice").annotate(n=Count("pk")).order_by())
        SecretCount.objects.bulk_create(SecretCount(vote=vote, choice=c, n=tally.get(c, 0)) for c in CHOICES)
        if vote.state == "closed":
            voters = sorted(SecretReceipt.objects.filter(vote=vote).values_list("invitation_id", flat=True))
            SecretReceipt.objects.filter(vote=vote).delete()
            SecretReceipt.objects.bulk_create(SecretReceipt(vote=vote, invitation_id=i) for i in voters)
        touched = True
    SecretBallot.objects.all().delete()  # before the table is dropped: erased on SQLite (secure_delete)
    if touched:
        from dangvu.meetings.jobs import purge_secret_versions

        purge_secret_versions.enqueue(None)


def unfold(apps, schema_editor):
    SecretBallot = apps.get_model("meetings", "SecretBallot")
    SecretCount = apps.get_model("meetings", "SecretCount")
    SecretBallot.objects.bulk_create(
        SecretBallot(id=uuid.uuid4(), vote_id=count.vote_id, choice=count.choice)
        for count in SecretCount.objects.order_by("vote_id", "choice")
        for _ in range(count.n)
    )


def pgstattuple(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            " AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pgstattuple')"
        )
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_vote_rule_labels_name_no_share"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.CreateModel(
            name="SecretCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "choice",
                    models.CharField(
                        choices=[("yes", "In favour"), ("no", "Against"), ("abstain", "Abstain")], max_length=8
                    ),
                ),
                ("n", models.PositiveIntegerField(default=0)),
                (
                    "vote",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="secret_counts", to="meetings.vote"
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="secretcount",
            constraint=models.UniqueConstraint(fields=("vote", "choice"), name="meetings_one_count_per_choice"),
        ),
        migrations.RunPython(pgstattuple, migrations.RunPython.noop),
        migrations.RunPython(fold, unfold),
        migrations.DeleteModel(name="SecretBallot"),
    ]
