from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def resync(apps, schema_editor):
    """Reviews written before their access path was kept in step with reorganisations take their
    organisation's current path (dangvu.reviews.paths)."""
    Organisation = apps.get_model("orgs", "Organisation")
    current = Subquery(Organisation.objects.filter(pk=OuterRef("organisation_id")).values("path")[:1])
    for name in ("Review", "OrgReview"):
        model = apps.get_model("reviews", name)
        drifted = model.objects.exclude(org_path=F("organisation__path")).values("pk")
        model.objects.filter(pk__in=drifted).update(org_path=current)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0006_org_decision"), ("orgs", "0001_initial")]

    operations = [migrations.RunPython(resync, migrations.RunPython.noop)]
