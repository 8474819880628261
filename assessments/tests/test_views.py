"""The student's pages (French), with the Django test client: « Mes parcours », the start page and its tutorial,
the questions of every type, « Je passe », timed questions, checkpoints, the end, the results, « Mon profil »,
problem reports, and another student's pages (404)."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from assessments.models import Answer, Assessment, ChallengeReport, KnowledgeState
from assessments.services import assessment_start_for_participation, participation_share
from assessments.tests.helpers import (  # noqa: F401  (fixtures)
    answer,
    assessment_campaign,
    current,
    days_ago,
    fast_password_hashing,
    fresh_skill_sets,
    other_student,
    participation_of,
    student,
)
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Participation
from content.factories import (
    BadgeCriterionFactory,
    BadgeFactory,
    ChallengeFactory,
    CompetenceFactory,
    SkillFactory,
    StageFactory,
    TargetProfileFactory,
    TubeFactory,
)
from content.models import Competence
from content.testing import content_bank  # noqa: F401


@pytest.fixture
def campaign(school, alice_admin, target_profile):
    return assessment_campaign(organization=school, by=alice_admin, target_profile=target_profile,
                               name="Chercher sur le web")


@pytest.fixture
def participation(campaign, student):
    return participation_of(campaign, student)


@pytest.fixture
def assessment(participation):
    return assessment_start_for_participation(participation_id=participation.pk, user=participation.user)


@pytest.fixture
def as_student(client, student):
    client.force_login(student)
    return client


def page(response) -> str:
    """The page's text as the student reads it (tags kept, entities decoded)."""
    return html.unescape(response.content.decode())


def tree(response):
    return lxml_html.fromstring(response.content.decode())


def spaced(text: str) -> str:
    """Spaces collapsed; French typography's no-break spaces read as spaces."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def words(response) -> str:
    """The visible words of the page."""
    return spaced(tree(response).text_content())


def finish(assessment, ok=True):
    while not Assessment.objects.get(pk=assessment.pk).is_completed:
        answer(assessment, ok=ok)


# --- « Mes parcours » -----------------------------------------------------------------------------------------------

def test_mes_parcours_shows_each_participation_with_the_button_that_goes_on(as_student, school, alice_admin,
                                                                              target_profile, student):
    def assessment_named(name):
        return participation_of(assessment_campaign(organization=school, by=alice_admin,
                                                    target_profile=target_profile, name=name), student)

    to_start = assessment_named("À commencer")
    in_progress = assessment_named("En cours")
    started = assessment_start_for_participation(participation_id=in_progress.pk, user=student)
    answer(started, ok=True)
    finished = assessment_named("Terminé")
    ended = assessment_start_for_participation(participation_id=finished.pk, user=student)
    finish(ended)
    sent = assessment_named("Envoyé")
    finish(assessment_start_for_participation(participation_id=sent.pk, user=student))
    participation_share(participation_id=sent.pk, user=student)
    collection = participation_of(CampaignFactory(organization=school, owner=alice_admin, title="Mon profil",
                                                  type=Campaign.Type.PROFILES_COLLECTION), student)

    response = as_student.get(reverse("learner:home"))

    assert response.status_code == 200
    cards = {card.xpath("string(.//p[@class='parcours-title'])"): card for card in tree(response).xpath(
        "//li[@class='parcours']")}

    def line(title):
        card = cards[title]
        link = card.xpath(".//a")[0]
        return (card.xpath("string(.//span[contains(@class, 'badge')])"), link.text_content().strip(),
                link.get("href"))

    assert line("À commencer") == ("À commencer", "Commencer", reverse("learner:participation", args=[to_start.pk]))
    assert line("En cours") == ("En cours", "Reprendre", reverse("learner:assessment", args=[started.pk]))
    assert line("Terminé") == ("Terminé : résultats à envoyer", "Voir mes résultats",
                               reverse("learner:checkpoint", args=[ended.pk]))
    assert line("Envoyé") == ("Résultats envoyés", "Voir mes résultats", reverse("learner:results", args=[sent.pk]))
    assert line("Mon profil") == ("Profil à envoyer", "Envoyer mon profil",
                                  reverse("learner:participation", args=[collection.pk]))
    assert all("Lycée Pix" in card.text_content() for card in cards.values())
    assert "J'ai un code" in words(response)


def test_mes_parcours_of_a_new_student_says_a_teacher_will_give_a_code(as_student):
    response = as_student.get(reverse("learner:home"))

    assert "Vous n'avez encore aucun parcours" in words(response)
    assert tree(response).xpath(f"//a[@href='{reverse('join:code')}' and contains(., \"J'ai un code\")]")


def test_mes_parcours_does_not_show_other_students_participations(as_student, campaign, other_student):
    participation_of(campaign, other_student)

    assert "Chercher sur le web" not in words(as_student.get(reverse("learner:home")))


def test_the_student_area_wants_an_account(client, participation):
    for name, args in (("learner:home", []), ("learner:participation", [participation.pk]),
                       ("learner:profile", [])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


# --- The start page -------------------------------------------------------------------------------------------------

def test_the_start_page_shows_the_tutorial_to_a_student_who_never_answered(as_student, participation):
    response = as_student.get(reverse("learner:participation", args=[participation.pk]))

    assert response.status_code == 200
    text = words(response)
    assert "Vous participez à « Chercher sur le web »" in text and "Lycée Pix" in text
    assert "Comment ça marche ?" in text and "Cliquez sur « Je passe »" in text
    assert tree(response).xpath("//form[@action=$a]//button[.='Commencer mon parcours']",
                                a=reverse("learner:start", args=[participation.pk]))


def test_the_start_page_skips_the_tutorial_once_the_student_has_answered(as_student, school, alice_admin,
                                                                         target_profile, participation, student):
    earlier = participation_of(assessment_campaign(organization=school, by=alice_admin,
                                                   target_profile=target_profile, name="Avant"), student)
    answer(assessment_start_for_participation(participation_id=earlier.pk, user=student), ok=True)

    response = as_student.get(reverse("learner:participation", args=[participation.pk]))

    assert "Comment ça marche ?" not in words(response)
    assert "Les questions s'adaptent à vos réponses" in words(response)


def test_je_commence_starts_the_test_and_leads_to_the_first_question(as_student, participation):
    response = as_student.post(reverse("learner:start", args=[participation.pk]))

    assessment = Assessment.objects.get(participation=participation)
    assert response.status_code == 302 and response.url == reverse("learner:assessment", args=[assessment.pk])
    resumed = as_student.get(response.url)
    assert resumed.url == reverse("learner:challenge", args=[assessment.pk])
    # Coming back to the participation resumes the test.
    back = as_student.get(reverse("learner:participation", args=[participation.pk]))
    assert back.url == reverse("learner:assessment", args=[assessment.pk])


def test_je_commence_on_an_archived_campaign_says_it_is_over(as_student, campaign, participation):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())

    response = as_student.post(reverse("learner:start", args=[participation.pk]), follow=True)

    assert "Cette campagne est terminée" in words(response)
    assert not Assessment.objects.exists()


# --- Questions ------------------------------------------------------------------------------------------------------

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
QUESTIONS = {
    "QCU": dict(instruction="Quel logiciel affiche les pages web ?",
                proposals=["Un tableur", "Un navigateur", "Un traitement de texte"], solution="2",
                solution_to_display="**Le navigateur** affiche les pages web."),
    "QCM": dict(instruction="Lesquels sont des navigateurs ?", proposals=["Firefox", "Word", "Chrome", "Excel"],
                solution="1,3", solution_to_display="Firefox et Chrome sont des navigateurs."),
    "QROC": dict(instruction="Qui commandait les Gaulois à Alésia ?", proposals="Son nom : ${chef#Un nom}",
                 solution="Vercingétorix\nVercingetorix", solution_to_display="C'était Vercingétorix."),
    "QROCM-ind": dict(instruction="Complétez.", proposals="Capitale du Pérou : ${perou}\nCapitale du Kenya : ${kenya}",
                      solution={"perou": ["Lima"], "kenya": ["Nairobi"]}, solution_to_display="Lima, Nairobi."),
    "QROCM-dep": dict(instruction="Deux formats d'image.", proposals="Un format : ${a}\nUn autre : ${b}",
                      solution={"g1": ["webp"], "g2": ["tiff"]}, solution_to_display="webp et tiff."),
}
SECRETS = ["navigateurs.", "Le navigateur** affiche", "Vercingétorix", "Vercingetorix", "Lima", "Nairobi", "webp",
           "tiff", "solution"]


@pytest.fixture
def question(school, alice_admin, student):
    """A one-question parcours of the given type; the test started."""
    def build(kind, **extra):
        tube = TubeFactory(name="question")
        ChallengeFactory(id="question2-a", type=kind, skill=SkillFactory(tube=tube, level=2),
                         **{**QUESTIONS[kind], **extra})
        campaign = assessment_campaign(organization=school, by=alice_admin,
                                       target_profile=TargetProfileFactory(tubes=[(tube, 2)]), name="Un parcours")
        participation = participation_of(campaign, student)
        return assessment_start_for_participation(participation_id=participation.pk, user=student)
    return build


def inputs(response):
    return [(i.get("type"), i.get("name"), i.get("value")) for i in tree(response).xpath(
        "//form[contains(@class, 'answer-form')]//input[@type!='hidden']")]


def test_a_qcu_question_page(as_student, question):
    assessment = question("QCU")

    response = as_student.get(reverse("learner:challenge", args=[assessment.pk]))

    assert response.status_code == 200
    text = words(response)
    assert "Question 1" in text and "Quel logiciel affiche les pages web ?" in text
    assert "Choisissez une réponse" in text
    assert inputs(response) == [("radio", "value", "1"), ("radio", "value", "2"), ("radio", "value", "3")]
    assert [spaced(label.text_content()) for label in tree(response).xpath("//label[@class='option']")] \
        == ["Un tableur", "Un navigateur", "Un traitement de texte"]
    buttons = [b.text_content() for b in tree(response).xpath("//form[contains(@class, 'answer-form')]//button")]
    assert buttons == ["Je valide", "Je passe"]
    assert "Signaler un problème avec la question" in text
    # Progress by steps of 5: the first of five.
    assert [li.get("class") for li in tree(response).xpath("//ol[@class='steps']/li")] == [
        "step-done", "", "", "", ""]


def test_a_qcm_question_page_has_checkboxes(as_student, question):
    response = as_student.get(reverse("learner:challenge", args=[question("QCM").pk]))

    assert "Cochez toutes les bonnes réponses" in words(response)
    assert inputs(response) == [("checkbox", "value", str(n)) for n in (1, 2, 3, 4)]


def test_a_qroc_question_page_has_its_field(as_student, question):
    response = as_student.get(reverse("learner:challenge", args=[question("QROC").pk]))

    assert inputs(response) == [("text", "field-chef", "")]
    field = tree(response).xpath("//input[@name='field-chef']")[0]
    assert field.get("placeholder") == "Un nom" and field.get("aria-label") == "Un nom"
    assert "Son nom :" in words(response)


@pytest.mark.parametrize("kind, keys", [("QROCM-ind", ["perou", "kenya"]), ("QROCM-dep", ["a", "b"])])
def test_a_qrocm_question_page_has_its_fields(as_student, question, kind, keys):
    response = as_student.get(reverse("learner:challenge", args=[question(kind).pk]))

    assert [name for _, name, _ in inputs(response)] == [f"field-{key}" for key in keys]


@pytest.mark.parametrize("kind", list(QUESTIONS))
def test_a_question_page_never_contains_the_solution(as_student, question, kind):
    response = as_student.get(reverse("learner:challenge", args=[question(kind).pk]))

    source = page(response)
    for secret in SECRETS:
        assert secret not in source, secret


def test_the_instruction_is_rendered_from_markdown_safely(as_student, question):
    assessment = question("QCU", instruction="Lisez **bien** <script>alert(1)</script>")

    response = as_student.get(reverse("learner:challenge", args=[assessment.pk]))

    instruction = tree(response).xpath("//div[@class='instruction']")[0]
    assert instruction.xpath(".//strong")[0].text == "bien"
    assert not instruction.xpath(".//script")


def post(client, assessment, data):
    return client.post(reverse("learner:challenge", args=[assessment.pk]), data)


@pytest.mark.parametrize("kind, data, message", [
    ("QCU", {}, "Choisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("QCM", {}, "Choisissez au moins une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("QROC", {"field-chef": "  "}, "Saisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe »."),
    ("QROCM-ind", {"field-perou": "", "field-kenya": ""}, "Remplissez au moins un champ. Si vous ne savez pas, cliquez sur « Je passe »."),
])
def test_an_empty_answer_shows_the_error_on_the_page_and_records_nothing(as_student, question, kind, data,
                                                                          message):
    assessment = question(kind)

    response = post(as_student, assessment, {"challenge": "question2-a", "validate": "1", **data})

    assert response.status_code == 400
    assert tree(response).xpath("string(//p[@id='answer-error'])") == message
    assert "Question 1" in words(response)
    assert not Answer.objects.exists()
    assert Assessment.objects.get(pk=assessment.pk).answers_count == 0


def test_an_incomplete_qrocm_answer_comes_back_with_what_was_typed(as_student, question):
    assessment = question("QROCM-dep")

    response = post(as_student, assessment, {"challenge": "question2-a", "field-b": "png"})

    assert response.status_code == 400
    assert inputs(response) == [("text", "field-a", ""), ("text", "field-b", "png")]
    assert not Answer.objects.exists()


@pytest.mark.parametrize("kind, data", [
    ("QCU", {"value": "2"}),
    ("QCM", {"value": ["3", "1"]}),
    ("QROC", {"field-chef": "vercingetorix"}),
    ("QROCM-ind", {"field-perou": "Lima", "field-kenya": "nairobi"}),
    ("QROCM-dep", {"field-a": "tiff", "field-b": "WEBP"}),
])
def test_je_valide_records_a_right_answer_of_each_type(as_student, question, kind, data):
    assessment = question(kind)

    response = post(as_student, assessment, {"challenge": "question2-a", "validate": "1", **data})

    # One question: the test is over, the checkpoint follows.
    assert response.status_code == 302 and response.url == reverse("learner:checkpoint", args=[assessment.pk])
    assert Answer.objects.get().status == "ok"


def test_je_passe_records_a_skip_and_serves_the_next_question(as_student, assessment):
    response = post(as_student, assessment, {"challenge": "motsCles2-a", "skip": "1", "value": "2"})

    assert response.url == reverse("learner:challenge", args=[assessment.pk])
    recorded = Answer.objects.get()
    assert recorded.status == "aband" and recorded.value is None
    following = as_student.get(response.url)
    assert "Question 2" in words(following)
    assert tree(following).xpath("//input[@name='challenge']/@value")[0] == "motsCles1-a"


def test_a_second_click_on_je_valide_goes_on_without_a_second_answer(as_student, assessment):
    post(as_student, assessment, {"challenge": "motsCles2-a", "value": "2"})

    again = post(as_student, assessment, {"challenge": "motsCles2-a", "value": "1"})

    assert again.url == reverse("learner:assessment", args=[assessment.pk])
    assert Answer.objects.count() == 1 and Answer.objects.get().status == "ok"


@pytest.fixture
def timed(school, alice_admin, student):
    tube = TubeFactory(name="chrono")
    ChallengeFactory(id="chrono2-a", skill=SkillFactory(tube=tube, level=2))
    ChallengeFactory(id="chrono3-a", skill=SkillFactory(tube=tube, level=3), timer=90,
                     instruction="Trouvez vite la réponse.")
    campaign = assessment_campaign(organization=school, by=alice_admin,
                                   target_profile=TargetProfileFactory(tubes=[(tube, 3)]))
    assessment = assessment_start_for_participation(participation_id=participation_of(campaign, student).pk,
                                                    user=student)
    answer(assessment, ok=True)
    return assessment


def test_a_timed_question_first_says_how_long_then_counts_down_from_commencer(as_student, timed):
    intro = as_student.get(reverse("learner:challenge", args=[timed.pk]))

    text = words(intro)
    assert "Vous disposerez de 1 minute 30 secondes pour réussir la question suivante." in text
    assert "Trouvez vite la réponse." not in text and not inputs(intro)
    assert Assessment.objects.get(pk=timed.pk).timer_started_at is None

    started = as_student.post(reverse("learner:timer_start", args=[timed.pk]), {"challenge": "chrono3-a"})
    assert started.url == reverse("learner:challenge", args=[timed.pk])
    assert Assessment.objects.get(pk=timed.pk).timer_started_at is not None

    question = as_student.get(started.url)
    timer = tree(question).xpath("//p[@role='timer']")[0]
    assert 88 <= int(timer.get("data-remaining")) <= 90
    assert "Temps restant : 1:30" in words(question) or "Temps restant : 1:29" in words(question)
    assert "Trouvez vite la réponse." in words(question)


def test_a_reload_of_a_timed_question_does_not_give_more_time(as_student, timed):
    as_student.post(reverse("learner:timer_start", args=[timed.pk]), {"challenge": "chrono3-a"})
    Assessment.objects.filter(pk=timed.pk).update(timer_started_at=timezone.now() - datetime.timedelta(seconds=100))
    as_student.post(reverse("learner:timer_start", args=[timed.pk]), {"challenge": "chrono3-a"})

    question = as_student.get(reverse("learner:challenge", args=[timed.pk]))

    assert tree(question).xpath("//p[@role='timer']/@data-remaining") == ["0"]
    post(as_student, timed, {"challenge": "chrono3-a", "value": "2"})
    assert Answer.objects.get(challenge_id="chrono3-a").status == "timedout"


def test_a_focused_question_says_to_stay_on_the_page(as_student, question):
    response = as_student.get(reverse("learner:challenge", args=[question("QCU", focused=True).pk]))

    assert "Mode focus : restez sur cette page jusqu'à votre réponse." in words(response)


def test_an_illustration_is_served_locally_with_its_alternative_text(as_student, question):
    assessment = question("QCU", illustration="courriel-suspect.png", illustration_alt="Un courriel qui demande un mot de passe")

    image = tree(as_student.get(reverse("learner:challenge", args=[assessment.pk]))).xpath(
        "//figure[@class='illustration']/img")[0]

    assert image.get("src").endswith("/bank/courriel-suspect.png") and image.get("src").startswith("/")
    assert image.get("alt") == "Un courriel qui demande un mot de passe"


def test_the_question_of_a_campaign_archived_meanwhile_says_it_is_over(as_student, campaign, assessment):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())

    response = as_student.get(reverse("learner:challenge", args=[assessment.pk]), follow=True)

    assert "Cette campagne est terminée" in words(response)
    assert not tree(response).xpath("//form[contains(@class, 'answer-form')]")


def test_an_answer_on_a_campaign_archived_meanwhile_is_refused_with_the_reason(as_student, campaign, assessment):
    Campaign.objects.filter(pk=campaign.pk).update(archived_at=timezone.now())

    response = post(as_student, assessment, {"challenge": "motsCles2-a", "value": "2"})

    assert response.status_code == 403 and "Cette campagne est terminée" in words(response)
    assert not Answer.objects.exists()


# --- Checkpoints and the end ----------------------------------------------------------------------------------------

@pytest.fixture
def five_tubes(school, alice_admin, student):
    tubes = []
    for name in ("recherche", "partage", "sauvegarde", "courriel", "tableur"):
        tube = TubeFactory(name=name)
        for level in (1, 2, 3):
            skill = SkillFactory(tube=tube, level=level, hint=f"Relisez la leçon sur {name}.",
                                 tutorials=[{"title": f"Bien utiliser {name}", "text": "Un **tuto** utile."}])
            ChallengeFactory(id=f"{name}{level}-a", skill=skill,
                             solution_to_display=f"La bonne réponse pour {name} {level} est « Celle-là ».")
        tubes.append((tube, 3))
    campaign = assessment_campaign(organization=school, by=alice_admin,
                                   target_profile=TargetProfileFactory(tubes=tubes), name="Cinq sujets")
    return assessment_start_for_participation(participation_id=participation_of(campaign, student).pk,
                                              user=student)


def test_the_checkpoint_after_five_answers_shows_each_answer_its_correction_hint_and_tutorial(as_student,
                                                                                              five_tubes):
    for index in range(5):
        served = current(five_tubes)
        value = {"value": "2"} if index == 0 else ({"skip": "1"} if index == 1 else {"value": "1"})
        response = post(as_student, five_tubes, {"challenge": served.pk, **value})
    assert response.url == reverse("learner:checkpoint", args=[five_tubes.pk])

    checkpoint = as_student.get(response.url)

    text = words(checkpoint)
    assert "Point d'étape" in text and "Continuer" in text
    progress = Assessment.objects.get(pk=five_tubes.pk)
    assert re.search(r"Vous avez effectué \d+ % de votre parcours\.", text)
    items = tree(checkpoint).xpath("//li[@class='checkpoint-answer']")
    assert len(items) == 5
    labels = [item.xpath("string(.//span[contains(@class, 'result')])") for item in items]
    assert labels == ["Réussie", "Passée", "Échouée", "Échouée", "Échouée"]
    answers = list(Answer.objects.filter(assessment=progress).order_by("index").select_related("challenge"))
    for item, recorded in zip(items, answers):
        correction = spaced(item.text_content())
        assert "Réponses et tutos" in correction
        assert recorded.challenge.solution_to_display in correction
        tube = recorded.challenge.skill.tube.name
        assert f"Tuto : Bien utiliser {tube}" in correction
        if recorded.status == "ok":
            assert "Votre réponse : Celle-là" in correction and "Pour réussir la prochaine fois" not in correction
        else:
            assert f"Pour réussir la prochaine fois : Relisez la leçon sur {tube}." in correction
    assert "Votre réponse : Pas de réponse" in spaced(items[1].text_content())
    assert "Votre réponse : Celle-ci" in spaced(items[2].text_content())


def test_the_final_page_says_the_results_go_to_the_school_before_voir_mes_resultats(as_student, participation,
                                                                                    assessment):
    post(as_student, assessment, {"challenge": "motsCles2-a", "value": "2"})
    response = post(as_student, assessment, {"challenge": "motsCles3-a", "value": "1"})
    assert response.url == reverse("learner:checkpoint", args=[assessment.pk])

    final = as_student.get(response.url)

    text = words(final)
    assert "Fin de votre parcours" in text
    warning = "En cliquant sur « Voir mes résultats », vos résultats seront envoyés à Lycée Pix."
    assert warning in text
    button = tree(final).xpath("//form[@action=$a]//button", a=reverse("learner:share", args=[participation.pk]))
    assert button and button[0].text_content() == "Voir mes résultats"
    assert text.index(warning) < text.rindex("Voir mes résultats")
    assert Participation.objects.get(pk=participation.pk).status == "STARTED"  # nothing sent before the click

    sent = as_student.post(reverse("learner:share", args=[participation.pk]))

    assert sent.url == reverse("learner:results", args=[participation.pk])
    assert Participation.objects.get(pk=participation.pk).status == "SHARED"


def test_voir_mes_resultats_before_the_end_says_to_finish_first(as_student, participation, assessment):
    response = as_student.post(reverse("learner:share", args=[participation.pk]), follow=True)

    assert "Terminez d'abord votre parcours" in words(response)
    assert Participation.objects.get(pk=participation.pk).status == "STARTED"


def test_an_ended_test_leads_to_its_final_page(as_student, assessment):
    finish(assessment)

    assert as_student.get(reverse("learner:assessment", args=[assessment.pk])).url == reverse(
        "learner:checkpoint", args=[assessment.pk])
    assert as_student.get(reverse("learner:challenge", args=[assessment.pk])).url == reverse(
        "learner:checkpoint", args=[assessment.pk])


def test_a_preview_says_the_results_go_to_nobody(as_student, campaign, student):
    preview = Participation.objects.create(campaign=campaign, user=student, status="STARTED", is_preview=True)
    assessment = assessment_start_for_participation(participation_id=preview.pk, user=student)
    finish(assessment)

    final = words(as_student.get(reverse("learner:checkpoint", args=[assessment.pk])))

    assert "Prévisualisation : ces résultats ne sont envoyés à personne." in final
    assert "vos résultats seront envoyés à" not in final


# --- Results --------------------------------------------------------------------------------------------------------

@pytest.fixture
def sent(school, alice_admin, student):
    """Results sent on a parcours with stages and badges: 4 skills of 6 (67 %)."""
    passwords = TubeFactory(name="motsDePasse", competence=CompetenceFactory(code="4.1", name="Sécuriser"))
    mails = TubeFactory(name="courriel", competence=CompetenceFactory(code="4.2", name="Protéger ses données"))
    for tube, levels in ((passwords, 4), (mails, 2)):
        for level in range(1, levels + 1):
            ChallengeFactory(id=f"{tube.name}{level}-a", skill=SkillFactory(tube=tube, level=level))
    profile = TargetProfileFactory(tubes=[(passwords, 4), (mails, 2)])
    StageFactory(target_profile=profile, threshold=0, title="Premiers pas")
    StageFactory(target_profile=profile, threshold=50, title="Sur la bonne voie", message="Continuez ainsi !")
    StageFactory(target_profile=profile, threshold=90, title="Expert")
    vigilant = BadgeFactory(target_profile=profile, key="vigilant", title="Vigilant", message="Bons réflexes.")
    BadgeCriterionFactory(badge=vigilant, scope="TUBES", threshold=80, tubes=[{"tube": "motsDePasse", "level": 4}])
    beginner = BadgeFactory(target_profile=profile, key="debutant", title="Débutant")
    BadgeCriterionFactory(badge=beginner, scope="CAMPAIGN", threshold=50)
    campaign = assessment_campaign(organization=school, by=alice_admin, target_profile=profile,
                                   name="Protection", multiple_sendings=True)
    KnowledgeState.objects.create(user=student, tube=passwords, floor=3, ceiling=4, ceiling_at=timezone.now())
    KnowledgeState.objects.create(user=student, tube=mails, floor=1, ceiling=2, ceiling_at=timezone.now())
    participation = participation_of(campaign, student)
    assessment_start_for_participation(participation_id=participation.pk, user=student)
    participation_share(participation_id=participation.pk, user=student)
    return participation


def test_the_results_page(as_student, sent):
    response = as_student.get(reverse("learner:results", args=[sent.pk]))

    assert response.status_code == 200
    text = words(response)
    assert "Votre résultat pour « Protection »" in text
    assert spaced(tree(response).xpath("string(//span[@class='mastery-value'])")) == "67 %"
    stars = tree(response).xpath("//p[@class='stars']")[0]
    assert stars.get("aria-label") == "1 étoile sur 2"
    assert [star.get("class") for star in stars.xpath("./span")] == ["star star-lit", "star"]
    assert "Sur la bonne voie" in text and "Continuez ainsi !" in text
    badges = {card.xpath("string(.//p[@class='badge-title'])").split(" ")[0]: spaced(card.text_content())
              for card in tree(response).xpath("//li[contains(@class, 'badge-card')]")}
    # Vigilant: motsDePasse 3/4 = 75 % of the 80 % asked → 94 %.
    assert "Non obtenu" in badges["Vigilant"] and "94 %" in badges["Vigilant"] and "Bons réflexes." in badges[
        "Vigilant"]
    assert "Obtenu" in badges["Débutant"] and "%" not in badges["Débutant"]
    competences = [spaced(li.text_content()) for li in tree(response).xpath(
        "//ul[@class='competence-results']/li")]
    assert competences == ["4.1 Sécuriser 75 %", "4.2 Protéger ses données 50 %"]
    assert "Vos résultats ont été envoyés à Lycée Pix" in text
    # Sent just now: « Repasser mon parcours » comes in 4 days.
    assert "Repasser mon parcours" not in text
    assert "Vous pourrez repasser ce parcours à partir du" in text


def test_repasser_mon_parcours_is_offered_four_days_after_sending(as_student, sent):
    Participation.objects.filter(pk=sent.pk).update(shared_at=days_ago(4.01))

    response = as_student.get(reverse("learner:results", args=[sent.pk]))

    form = tree(response).xpath("//form[.//button[.='Repasser mon parcours']]")[0]
    assert form.get("action") == reverse("join:landing", args=[sent.campaign.code])
    assert form.xpath(".//input[@name='action']/@value") == ["start"]


def test_repasser_mon_parcours_is_not_offered_at_100(as_student, sent):
    Participation.objects.filter(pk=sent.pk).update(shared_at=days_ago(30), mastery_rate=1)

    text = words(as_student.get(reverse("learner:results", args=[sent.pk])))

    assert "Repasser mon parcours" not in text and "Vous pourrez repasser" not in text


def test_results_not_sent_yet_lead_back_to_the_participation(as_student, participation, assessment):
    response = as_student.get(reverse("learner:results", args=[participation.pk]))

    assert response.url == reverse("learner:participation", args=[participation.pk])


def test_repasser_mon_parcours_starts_a_new_participation(as_student, sent, student, school):
    from students.factories import LearnerFactory

    LearnerFactory(organization=school, user=student)
    Participation.objects.filter(pk=sent.pk).update(shared_at=days_ago(5))
    KnowledgeState.objects.update(ceiling_at=days_ago(5))
    results = as_student.get(reverse("learner:results", args=[sent.pk]))
    form = tree(results).xpath("//form[.//button[.='Repasser mon parcours']]")[0]

    response = as_student.post(form.get("action"), {"action": "start"})

    fresh = Participation.objects.get(campaign=sent.campaign, is_current=True)
    assert fresh.pk != sent.pk and fresh.status == "STARTED"
    assert response.url == reverse("learner:participation", args=[fresh.pk])
    start_page = words(as_student.get(response.url))
    assert "Commencer mon parcours" in start_page
    # « Mes parcours » now shows the new one to start.
    home = words(as_student.get(reverse("learner:home")))
    assert "À commencer" in home and "Résultats envoyés" not in home


# --- « Mon profil » -------------------------------------------------------------------------------------------------

def test_mon_profil_shows_the_16_competences_by_area_with_commencer(as_student, content_bank):
    response = as_student.get(reverse("learner:profile"))

    assert response.status_code == 200
    areas = tree(response).xpath("//section[contains(@class, 'area')]")
    assert [area.xpath("string(./h2)") for area in areas] == [
        "1. Information et données", "2. Communication et collaboration", "3. Création de contenu",
        "4. Protection et sécurité", "5. Environnement numérique"]
    names = [spaced(p.text_content()) for p in tree(response).xpath("//p[@class='competence-name']")]
    assert len(names) == 16
    assert names[0] == "1.1 Mener une recherche et une veille d'information"
    assert names[-1] == "5.2 Évoluer dans un environnement numérique"
    assert [len(area.xpath(".//li[@class='competence-item']")) for area in areas] == [3, 4, 4, 3, 2]
    buttons = [b.text_content() for b in tree(response).xpath("//li[@class='competence-item']//button")]
    assert buttons == ["Commencer"] * 16
    text = words(response)
    assert "0 pix" in text and "Niveau 0" in text
    assert "Pour être certifiable" in text and "au moins 5 compétences" in text and "encore 5" in text


def test_mon_profil_shows_reprendre_retenter_and_when_to_retry(as_student, student, content_bank):
    def competence(code):
        return Competence.objects.get(code=code)

    Assessment.objects.create(user=student, type="PLACEMENT", competence=competence("1.1"))
    Assessment.objects.create(user=student, type="PLACEMENT", competence=competence("1.2"), state="completed",
                              completed_at=days_ago(5))
    soon = Assessment.objects.create(user=student, type="PLACEMENT", competence=competence("1.3"),
                                     state="completed", completed_at=days_ago(1))

    response = as_student.get(reverse("learner:profile"))

    items = {item.xpath("string(.//p[@class='competence-name'])").split(" ")[0]: item
             for item in tree(response).xpath("//li[@class='competence-item']")}
    assert items["1.1"].xpath("string(.//button)") == "Reprendre"
    assert items["1.2"].xpath("string(.//button)") == "Retenter"
    assert not items["1.3"].xpath(".//button")
    retry = timezone.localtime(soon.completed_at + datetime.timedelta(days=4))
    month = MONTHS[retry.month - 1]
    assert re.search(rf"etenter à partir du {retry.day}(er)? {month}$", spaced(items["1.3"].text_content()))
    assert items["2.1"].xpath("string(.//button)") == "Commencer"


def test_mon_profil_shows_pix_levels_and_certifiable(as_student, student, content_bank):
    from content.models import Skill, Tube

    # Every skill of the five competences of area 1 and 2 (except 2.4 and beyond) validated.
    for tube in Tube.objects.filter(competence__code__in=["1.1", "1.2", "1.3", "2.1", "2.2"]):
        top = Skill.objects.filter(tube=tube, status="actif").order_by("-level").first()
        KnowledgeState.objects.create(user=student, tube=tube, floor=top.level)

    response = as_student.get(reverse("learner:profile"))

    text = words(response)
    assert "Certifiable" in text and "vous pouvez passer la certification Pix" in text
    items = {item.xpath("string(.//p[@class='competence-name'])").split(" ")[0]: " ".join(
        item.text_content().split()) for item in tree(response).xpath("//li[@class='competence-item']")}
    assert all("Niveau 0" not in items[code] for code in ("1.1", "1.2", "1.3", "2.1", "2.2"))
    assert "Niveau 0 · 0 pix" in items["5.2"]


def test_commencer_on_mon_profil_starts_a_placement_test(as_student, content_bank):
    response = as_student.post(reverse("learner:placement_start", args=["4.1"]))

    placement = Assessment.objects.get(type="PLACEMENT")
    assert response.url == reverse("learner:assessment", args=[placement.pk])
    question = as_student.get(reverse("learner:challenge", args=[placement.pk]))
    assert "4.1 Sécuriser l'environnement numérique" in words(question)


def test_commencer_on_an_unknown_competence_says_to_choose_one(as_student, content_bank):
    response = as_student.post(reverse("learner:placement_start", args=["9.9"]), follow=True)

    assert "Cette compétence n'existe pas : choisissez-en une sur « Mon profil »." in words(response)


def test_a_placement_test_ends_on_mon_profil(as_student, student, content_bank):
    as_student.post(reverse("learner:placement_start", args=["5.2"]))
    placement = Assessment.objects.get(type="PLACEMENT")

    question = words(as_student.get(reverse("learner:challenge", args=[placement.pk])))
    finish(placement, ok=False)
    final = as_student.get(reverse("learner:checkpoint", args=[placement.pk]))

    assert "5.2 Évoluer dans un environnement numérique" in question
    assert "Fin du positionnement" in words(final)
    assert tree(final).xpath("//a[@href=$p and .='Voir mon profil']", p=reverse("learner:profile"))
    profile = tree(as_student.get(reverse("learner:profile")))
    item = [li for li in profile.xpath("//li[@class='competence-item']") if "5.2" in li.text_content()][0]
    assert not item.xpath(".//button")  # « Retenter » in 4 days


# --- A profiles collection ------------------------------------------------------------------------------------------

@pytest.fixture
def collection(school, alice_admin, student):
    tube = TubeFactory(competence=CompetenceFactory(code="1.1", name="Mener une recherche"))
    for level in (1, 2, 3):
        SkillFactory(tube=tube, level=level, pix_value=4.0)
    KnowledgeState.objects.create(user=student, tube=tube, floor=3)
    campaign = CampaignFactory(organization=school, owner=alice_admin, type=Campaign.Type.PROFILES_COLLECTION,
                               title="Profils des 2de")
    return participation_of(campaign, student)


def test_a_profiles_collection_shows_the_profile_then_jenvoie_mon_profil_sends_it(as_student, collection):
    before = as_student.get(reverse("learner:participation", args=[collection.pk]))

    text = words(before)
    assert "Envoi de votre profil : « Profils des 2de »" in text
    assert "12 pix" in text and "1.1 Mener une recherche Niveau 1" in text
    assert tree(before).xpath("//form[@action=$a]//button[.=\"J'envoie mon profil\"]",
                              a=reverse("learner:share", args=[collection.pk]))

    sent_page = as_student.post(reverse("learner:share", args=[collection.pk]), follow=True)

    assert "Votre profil est envoyé : votre enseignant le recevra. Bravo !" in words(sent_page)
    text = words(sent_page)
    assert "a été envoyé" in text and "12 pix" in text
    assert "J'envoie mon profil" not in text
    collection.refresh_from_db()
    assert collection.status == "SHARED" and collection.pix_score == 12


# --- Problem reports ------------------------------------------------------------------------------------------------

def test_a_problem_report_is_stored_and_thanked(as_student, student, assessment):
    response = as_student.post(reverse("learner:report", args=[assessment.pk]), {
        "challenge": "motsCles2-a", "category": "INSTRUCTION", "text": "Je ne comprends pas la consigne."},
        follow=True)

    assert "Merci : votre signalement est transmis" in words(response)
    report = ChallengeReport.objects.get()
    assert (report.challenge_id, report.category, report.text, report.user, report.assessment_id) == (
        "motsCles2-a", "INSTRUCTION", "Je ne comprends pas la consigne.", student, assessment.pk)
    # Back on the same question.
    assert "Question 1" in words(response)


def test_a_problem_report_without_category_says_to_choose_one(as_student, assessment):
    response = as_student.post(reverse("learner:report", args=[assessment.pk]),
                               {"challenge": "motsCles2-a", "category": ""}, follow=True)

    assert "Choisissez le type de problème." in words(response)
    assert not ChallengeReport.objects.exists()


# --- Another student's pages ----------------------------------------------------------------------------------------

def test_another_students_pages_are_not_found(client, participation, assessment, other_student, alice_admin):
    pages = [
        ("get", reverse("learner:participation", args=[participation.pk]), {}),
        ("post", reverse("learner:start", args=[participation.pk]), {}),
        ("post", reverse("learner:share", args=[participation.pk]), {}),
        ("get", reverse("learner:results", args=[participation.pk]), {}),
        ("get", reverse("learner:assessment", args=[assessment.pk]), {}),
        ("get", reverse("learner:challenge", args=[assessment.pk]), {}),
        ("post", reverse("learner:challenge", args=[assessment.pk]), {"challenge": "motsCles2-a", "value": "2"}),
        ("post", reverse("learner:timer_start", args=[assessment.pk]), {"challenge": "motsCles2-a"}),
        ("get", reverse("learner:checkpoint", args=[assessment.pk]), {}),
        ("post", reverse("learner:report", args=[assessment.pk]), {"challenge": "motsCles2-a", "category": "OTHER"}),
    ]
    for intruder in (other_student, alice_admin):
        client.force_login(intruder)
        for method, path, data in pages:
            response = getattr(client, method)(path, data)
            assert response.status_code == 404, (intruder, path)
            assert "Oups, introuvable" in words(response)
    assert not Answer.objects.exists() and not ChallengeReport.objects.exists()
    assert Assessment.objects.count() == 1
    assert Participation.objects.get(pk=participation.pk).status == "STARTED"
