from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    staff_managed = True  # staff manage its data in the admin (portal.backends)
    verbose_name = _("Progress Tracker")

    def ready(self) -> None:
        # signals connects the receivers; tasks registers the tasks asked for by name.
        from progress import audit, signals, tasks  # noqa: F401

        audit.register()
        _register_scopes()
        _register_writes()


def _register_scopes() -> None:
    from portal.admin_scoping import register_scope
    from progress import selectors
    from progress.models import ChangeStory, StoryAttachment, Storyteller, SubmissionLink

    register_scope(ChangeStory, selectors.visible_stories, may_be_confidential=True)
    register_scope(SubmissionLink, selectors.visible_submission_links, may_be_confidential=True)
    register_scope(Storyteller, may_be_confidential=True)
    register_scope(StoryAttachment, may_be_confidential=True)


def _register_writes() -> None:
    from portal.admin_scoping import register_writes
    from progress import links, services
    from progress.models import ChangeStory, SubmissionLink

    register_writes(
        ChangeStory,
        save=services.story_admin_save,
        delete=services.story_delete,
        argument="story",
    )
    register_writes(
        SubmissionLink,
        save=links.link_admin_save,
        delete=links.link_delete,
        argument="link",
    )
