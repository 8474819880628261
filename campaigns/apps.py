from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campagnes"

    def ready(self):
        from campaigns.selectors.participations import learner_participation_count
        from students.counts import PARTICIPATION_COUNT, learner_count_provide

        # « Élèves » shows each student's participations: campaigns knows them, students does not.
        learner_count_provide(name=PARTICIPATION_COUNT, build=learner_participation_count)
