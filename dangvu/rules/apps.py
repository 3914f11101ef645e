from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def recompute_after_migrate(sender, *, using: str = "default", plan=None, **kwargs) -> None:
    """After `migrate` applied migrations (a data migration may have added a rule set, e.g. a calendar
    announcement) and only once the database is fully migrated, the open due dates follow
    (dangvu.rules.dues). Nothing is done when nothing was applied (a flush, an up-to-date database)."""
    if not plan:
        return
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return  # a partial migrate: the models may not match the tables yet
    from dangvu.rules.services import recompute_dues

    recompute_dues()


class RulesConfig(AppConfig):
    name = "dangvu.rules"
    label = "rules"
    verbose_name = _("Rule sets")

    def ready(self) -> None:
        post_migrate.connect(recompute_after_migrate, sender=self, dispatch_uid="dangvu.rules.recompute_dues")
