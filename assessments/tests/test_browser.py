"""The student side in a browser, phone-sized (390×844): a whole « Évaluation » with a skip, a timed question, the
checkpoints and the results; the question types; a placement test on « Mon profil »; a « Collecte de profils ».

Each screenshot is taken at 390×844 and at 1280×800 into /tmp/pixorga/shots/learner, and every page is checked for
what a phone user would trip on: nothing wider than the screen.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from assessments.models import Answer, Assessment, KnowledgeState
from assessments.selectors import assessment_progress, profile_score_for_user
from campaigns.factories import CampaignFactory
from campaigns.models import Campaign, Participation
from campaigns.services.campaigns import campaign_create
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
from content.models import Challenge, Competence, Tube
from content.testing import content_bank  # noqa: F401
from students.factories import LearnerFactory

SHOTS = Path("/tmp/pixorga/shots/learner")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> None:
    """Nothing sticks out sideways at 390 px: no horizontal scrolling for the student."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


def shot(page, name: str) -> None:
    """The page at phone size (checked to fit) and at desktop size; the test goes on at phone size."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    fits_the_phone(page)
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)


def log_in(page, email: str, next_url: str) -> None:
    page.goto(next_url)  # a student's page sends to the login form, then back
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{next_url}")


def served_challenge(page) -> Challenge:
    """The question on screen (the timed intro shows which one it is too)."""
    return Challenge.objects.get(pk=page.locator("input[name=challenge]").first.input_value())


def question_heading(page, number: int):
    return page.get_by_role("heading", name=f"Question {number}", exact=True)


# --- A small « Évaluation »: four tubes of levels 1–3 in two competences ---------------------------------------------

# What a student who knows clicks or types for each question: options by their text, fields by their label.
RIGHT = {}


def _challenge(id, tube, level, answer, **fields):
    RIGHT[id] = answer
    skill = SkillFactory(tube=tube, level=level, hint=fields.pop("hint", "Relisez bien la question."),
                         tutorials=fields.pop("tutorials", []))
    return ChallengeFactory(id=id, skill=skill, **fields)


def small_target_profile():
    """« Chercher et ranger » — 12 skills; a timed question (motsCles3-a, 1 minute), a focused one (fiabilite3-a);
    stages at 0, 50, 80 and 100 %; two badges."""
    search = CompetenceFactory(code="1.1", name="Mener une recherche et une veille d'information")
    data = CompetenceFactory(code="1.2", name="Gérer des données")
    words = TubeFactory(name="motsCles", competence=search, practical_title="Choisir ses mots-clés")
    trust = TubeFactory(name="fiabilite", competence=search, practical_title="Évaluer une source")
    folders = TubeFactory(name="dossiers", competence=data, practical_title="Ranger ses fichiers")
    backup = TubeFactory(name="sauvegarde", competence=data, practical_title="Sauvegarder ses données")

    _challenge("motsCles1-a", words, 1, ("choose", ["recette crêpes"]),
               instruction="Vous cherchez comment faire des crêpes. Quelle recherche est la plus efficace ?",
               proposals=["je voudrais savoir comment on fait les crêpes", "recette crêpes", "crêpes ?"],
               solution="2", solution_to_display="Deux mots-clés précis suffisent : **recette crêpes**.",
               hint="Gardez les mots importants, laissez les petits mots.",
               tutorials=[{"title": "Choisir ses mots-clés",
                           "text": "Écrivez les **2 ou 3 mots** qui seraient sur la page que vous cherchez."}])
    _challenge("motsCles2-a", words, 2, ("choose", ["horaires", "piscine", "Lyon"]), type="QCM",
               instruction="Vous voulez les horaires de la piscine de Lyon. Quels mots-clés sont utiles ?",
               proposals=["horaires", "piscine", "Lyon", "bonjour"], solution="1,2,3",
               solution_to_display="« horaires », « piscine » et « Lyon » ; « bonjour » n'aide pas le moteur.")
    _challenge("motsCles3-a", words, 3, ("choose", ["\"pain au chocolat\""]), timer=60,
               instruction="Quelle recherche ne trouve que les pages où l'expression **pain au chocolat** est "
                           "écrite telle quelle ?",
               proposals=["pain au chocolat", "\"pain au chocolat\"", "pain + chocolat"], solution="2",
               solution_to_display="Les guillemets demandent l'expression exacte, mots dans cet ordre.")

    _challenge("fiabilite1-a", trust, 1, ("type", {"Votre réponse": "Moreau"}), type="QROC",
               instruction="Un article est signé : « Par Inès Moreau, journaliste, le 3 mars 2026 ». "
                           "Écrivez le **nom de famille** de son autrice.",
               proposals="${reponse}", solution="Moreau", solution_to_display="L'autrice est Inès **Moreau**.")
    _challenge("fiabilite2-a", trust, 2, ("choose", ["Sa date de publication"]),
               instruction="Qu'est-ce qui montre qu'un article est récent ?",
               proposals=["Sa date de publication", "Le nombre de photos", "La couleur du site"], solution="1",
               solution_to_display="La **date de publication**, souvent sous le titre.")
    _challenge("fiabilite3-a", trust, 3,
               ("choose", ["Je cherche si d'autres sources sérieuses disent la même chose"]), focused=True,
               instruction="Un site affirme qu'une boisson guérit le rhume en une nuit, sans citer de source. "
                           "Que faites-vous ?",
               proposals=["Je le partage tout de suite", "Je cherche si d'autres sources sérieuses disent la même "
                          "chose", "Je le crois : le site a beaucoup de visiteurs"], solution="2",
               solution_to_display="On **recoupe** : une information sans source se vérifie ailleurs.")

    _challenge("dossiers1-a", folders, 1, ("choose", ["Cours › Histoire"]),
               instruction="Où ranger votre exposé d'histoire pour le retrouver facilement ?",
               proposals=["Téléchargements", "Cours › Histoire", "Corbeille"], solution="2",
               solution_to_display="Dans un dossier au nom de la matière : **Cours › Histoire**.")
    _challenge("dossiers2-a", folders, 2, ("type", {"Votre réponse": "pdf"}), type="QROC",
               instruction="Le fichier s'appelle `expose-volcans.pdf`. Quelle est son **extension**, les lettres "
                           "après le point ?",
               proposals="${reponse}", solution="pdf\n.pdf", solution_to_display="L'extension est **pdf**.")
    _challenge("dossiers3-a", folders, 3, ("choose", ["2026-03-expose-volcans.odt", "volcans-expose-v2.odt"]),
               type="QCM", instruction="Quels noms de fichiers sont clairs et faciles à retrouver ?",
               proposals=["2026-03-expose-volcans.odt", "doc1 (3) final FINAL.odt", "volcans-expose-v2.odt",
                          "sans titre.odt"], solution="1,3",
               solution_to_display="Un bon nom dit ce que contient le fichier (et sa date ou sa version).")

    _challenge("sauvegarde1-a", backup, 1, ("choose", ["L'enregistrer et en garder une copie ailleurs"]),
               instruction="Vous avez fini un devoir important sur l'ordinateur. Que faire pour ne pas le perdre ?",
               proposals=["L'enregistrer et en garder une copie ailleurs", "Rien : l'ordinateur s'en souvient",
                          "Le laisser ouvert"], solution="1",
               solution_to_display="**Enregistrer**, puis garder une **copie** sur un autre support.")
    _challenge("sauvegarde2-a", backup, 2, ("type", {"en Go": "4.5"}), type="QROC", format="nombre",
               instruction="Une clé USB contient 3 films de 1,5 Go chacun. Combien de Go occupent-ils en tout ?",
               proposals="${reponse#en Go}", solution="4,5", solution_to_display="3 × 1,5 = **4,5 Go**.")
    _challenge("sauvegarde3-a", backup, 3, ("choose", ["Une copie sur un disque rangé ailleurs ou en ligne"]),
               instruction="Quelle sauvegarde vous protège si votre ordinateur est volé ?",
               proposals=["Une copie dans un autre dossier du même ordinateur",
                          "Une copie sur un disque rangé ailleurs ou en ligne", "La corbeille"], solution="2",
               solution_to_display="Une copie **hors de l'ordinateur** survit à son vol.",
               hint="Une sauvegarde doit être sur un autre appareil que l'original.")

    profile = TargetProfileFactory(name="Chercher et ranger", tubes=[(words, 3), (trust, 3), (folders, 3),
                                                                      (backup, 3)])
    StageFactory(target_profile=profile, threshold=0, title="Premiers pas",
                 message="Chaque question réussie vous fait progresser.")
    StageFactory(target_profile=profile, threshold=50, title="Sur la bonne voie",
                 message="Vous savez déjà chercher et ranger l'essentiel.")
    StageFactory(target_profile=profile, threshold=80, title="Bien organisé",
                 message="Vos recherches sont efficaces et vos fichiers bien rangés.")
    StageFactory(target_profile=profile, threshold=100, title="Expert", message="Tout est réussi !")
    words_badge = BadgeFactory(target_profile=profile, key="mots-cles", title="As des mots-clés",
                               message="Vous trouvez vite ce que vous cherchez.")
    BadgeCriterionFactory(badge=words_badge, scope="TUBES", threshold=100, tubes=[{"tube": "motsCles", "level": 3}])
    data_badge = BadgeFactory(target_profile=profile, key="donnees", title="Gardien des données",
                              message="Vos fichiers sont rangés et sauvegardés.")
    BadgeCriterionFactory(badge=data_badge, scope="TUBES", threshold=100,
                          tubes=[{"tube": "dossiers", "level": 3}, {"tube": "sauvegarde", "level": 3}])
    return profile


def answer_as_one_who_knows(page, challenge: Challenge) -> None:
    kind, what = RIGHT[challenge.pk]
    if kind == "choose":
        for text in what:
            page.get_by_label(text, exact=True).check()
    else:
        for label, text in what.items():
            page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Je valide").click()


def test_a_student_joins_an_assessment_takes_it_with_a_skip_and_a_timed_question_and_sees_the_results(
        browser_page, school, alice_admin):
    profile = small_target_profile()
    campaign = campaign_create(organization=school, by=alice_admin, name="Recherche 6e", type="ASSESSMENT",
                               title="Chercher et ranger", target_profile=profile,
                               landing_page_text="Ce parcours dure environ 10 minutes.")
    eloise = LearnerFactory(organization=school, first_name="Éloïse", family_name="Dupré",
                            birthdate=datetime.date(2013, 9, 5), division="6E2")
    page = browser_page
    page.set_viewport_size(PHONE)

    # Joining from the campaign's page, with a new account.
    page.goto(f"/campagnes/{campaign.code}")
    page.get_by_role("heading", name="Chercher et ranger").wait_for()
    page.get_by_role("link", name="Je commence").click()
    # A school that manages students: the record is found first, then the account is made already linked.
    panel = page.locator("#panel-inscription")
    panel.get_by_label("Prénom").fill("Éloïse")
    panel.get_by_label("Nom", exact=True).fill("Dupré")
    panel.get_by_label("JJ").fill("05")
    panel.get_by_label("MM").fill("09")
    panel.get_by_label("AAAA").fill("2013")
    panel.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Bonjour Éloïse").wait_for()
    page.get_by_label("Mon adresse e-mail").check()
    page.get_by_label("Adresse e-mail", exact=True).fill("eloise.dupre@example.net")
    page.get_by_label("Mot de passe").fill("Pixorga2026x")
    page.get_by_label("J'accepte les conditions d'utilisation de Pix").check()
    page.get_by_role("button", name="Je crée mon compte").click()

    # The start page, with the tutorial of a first test.
    page.get_by_role("heading", name="Vous participez à « Chercher et ranger »").wait_for()
    expect(page.get_by_role("heading", name="Comment ça marche ?")).to_be_visible()
    expect(page.get_by_text("Cliquez sur « Je passe » : c'est mieux que de répondre au hasard.")).to_be_visible()
    expect(page.get_by_text("Élève : Éloïse Dupré · 6E2")).to_be_visible()
    shot(page, "01-start-tutorial")
    page.get_by_role("button", name="Commencer mon parcours").click()

    participation = Participation.objects.get(learner=eloise, campaign=campaign)
    skipped = None  # the first question of the « sauvegarde » tube is the one the student does not know
    timed_seen = False
    number = 0
    left_and_came_back = False
    while True:
        if page.get_by_role("heading", name="Fin de votre parcours").is_visible():
            break
        if page.get_by_role("heading", name="Point d'étape").is_visible():
            # Every 5 answers: the progress, the 5 answers with their results, the corrections.
            assert number == 5
            assessment = Assessment.objects.get(participation=participation)
            progress = round(assessment_progress(assessment) * 100)
            assert 0 < progress < 100
            expect(page.get_by_text(f"Vous avez effectué {progress} % de votre parcours.")).to_be_visible()
            answers = page.locator(".checkpoint-answer")
            expect(answers).to_have_count(5)
            statuses = [answer.status for answer in Answer.objects.filter(assessment=assessment).order_by("index")]
            labels = {"ok": "Réussie", "aband": "Passée"}
            for index, status in enumerate(statuses):
                expect(answers.nth(index).locator(".result")).to_have_text(labels[status])
            opened = answers.nth(statuses.index("aband") if "aband" in statuses else 0)
            opened.get_by_text("Réponses et tutos").click()
            expect(opened.get_by_text("Votre réponse : Pas de réponse" if "aband" in statuses else
                                      "Votre réponse :")).to_be_visible()
            expect(opened.get_by_text("La réponse :")).to_be_visible()
            shot(page, "06-checkpoint-corrections")
            page.get_by_role("link", name="Continuer").click()
            continue

        number += 1
        question_heading(page, number).wait_for()
        challenge = served_challenge(page)
        expect(page.get_by_label(re.compile(f"^Question {number} ;"))).to_be_visible()  # the 5 steps

        if challenge.timer:
            # Said first, started on « Commencer », then counted down (the server keeps the time).
            assert number > 1, "the first question is never timed"
            expect(page.get_by_text("Vous disposerez de 1 minute pour réussir la question suivante.")).to_be_visible()
            expect(page.get_by_text(challenge.instruction[:20])).to_have_count(0)  # not shown before the start
            shot(page, "04-timed-intro")
            page.get_by_role("button", name="Commencer").click()
            timer = page.get_by_role("timer")
            expect(timer).to_have_text(re.compile(r"Temps restant\s:\s(1:00|0:5\d)"))
            first = timer.inner_text()
            expect(timer).not_to_have_text(first, timeout=3000)  # it counts down, second by second
            expect(timer).to_have_text(re.compile(r"Temps restant\s:\s0:5\d"))
            expect(page.get_by_text("Le temps est écoulé")).to_be_hidden()
            shot(page, "05-timed-countdown")
            timed_seen = True
        if challenge.focused:
            expect(page.get_by_text("Mode focus : restez sur cette page jusqu'à votre réponse.")).to_be_visible()
            shot(page, "03-focused-question")

        if number == 1:
            shot(page, "02-first-question")
        if number >= 3 and not left_and_came_back and not challenge.timer:
            # The student leaves in the middle of the test and comes back from « Mes parcours ».
            page.get_by_role("link", name="Mes parcours").first.click()
            page.get_by_role("heading", name="Mes parcours").wait_for()
            card = page.locator(".parcours", has_text="Chercher et ranger")
            expect(card.get_by_text("Lycée Pix")).to_be_visible()
            expect(card.get_by_text("En cours")).to_be_visible()
            shot(page, "07-mes-parcours-in-progress")
            card.get_by_role("link", name="Reprendre").click()
            question_heading(page, number).wait_for()
            assert served_challenge(page) == challenge
            left_and_came_back = True

        if skipped is None and challenge.skill.tube.name == "sauvegarde" and not challenge.timer:
            skipped = challenge
            page.get_by_role("button", name="Je passe").click()
        else:
            answer_as_one_who_knows(page, challenge)
        page.wait_for_load_state()

    # The end: what happens on « Voir mes résultats » is said before the click.
    assert timed_seen and skipped is not None and left_and_came_back
    assessment = Assessment.objects.get(participation=participation)
    assert assessment.is_completed and assessment.answers_count == number >= 6
    assert list(Answer.objects.filter(assessment=assessment).exclude(status="ok").values_list(
        "challenge_id", "status")) == [(skipped.pk, "aband")]
    expect(page.get_by_text("Vous avez effectué 100 % de votre parcours.")).to_be_visible()
    expect(page.locator(".checkpoint-answer")).to_have_count(number - 5)
    expect(page.get_by_text("En cliquant sur « Voir mes résultats », vos résultats seront envoyés à Lycée Pix."))\
        .to_be_visible()
    shot(page, "08-end")
    page.get_by_role("button", name="Voir mes résultats").click()

    # The results: everything is validated but the skipped skill and the harder ones of its tube.
    page.get_by_role("heading", name="Votre résultat pour « Chercher et ranger »").wait_for()
    validated = 12 - (4 - skipped.skill.level)
    percent = round(validated * 100 / 12)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.SHARED
    assert participation.validated_skills_count == validated
    expect(page.locator(".mastery-value")).to_have_text(f"{percent} %")
    stars = sum(1 for threshold in (50, 80, 100) if threshold <= percent)
    expect(page.locator(".star-lit")).to_have_count(stars)
    expect(page.get_by_label(f"{stars} étoile{'s' if stars > 1 else ''} sur 3")).to_be_visible()
    stage = {1: "Sur la bonne voie", 2: "Bien organisé"}[stars]
    expect(page.get_by_text(stage, exact=True)).to_be_visible()
    words_badge = page.locator(".badge-card", has_text="As des mots-clés")
    expect(words_badge.get_by_text("Obtenu", exact=True)).to_be_visible()
    data_badge = page.locator(".badge-card", has_text="Gardien des données")
    expect(data_badge.get_by_text("Non obtenu")).to_be_visible()
    expect(data_badge.get_by_role("progressbar")).to_be_visible()
    results = page.locator(".competence-results li")
    expect(results.nth(0)).to_contain_text("1.1 Mener une recherche et une veille d'information")
    expect(results.nth(0)).to_contain_text("100 %")
    expect(results.nth(1)).to_contain_text("1.2 Gérer des données")
    expect(results.nth(1)).to_contain_text(f"{round((validated - 6) * 100 / 6)} %")
    expect(page.get_by_text(re.compile(r"Vos résultats ont été envoyés à Lycée Pix le "))).to_be_visible()
    shot(page, "09-results")

    page.get_by_role("link", name="Retour à mes parcours").click()
    card = page.locator(".parcours", has_text="Chercher et ranger")
    expect(card.get_by_text("Résultats envoyés")).to_be_visible()
    shot(page, "10-mes-parcours-shared")
    card.get_by_role("link", name="Voir mes résultats").click()
    expect(page.locator(".mastery-value")).to_have_text(f"{percent} %")


# --- Every kind of question, as the student sees it ------------------------------------------------------------------

def test_every_kind_of_question_is_answered_on_a_phone_and_corrected_at_the_checkpoint(
        browser_page, school, alice_admin):
    competence = CompetenceFactory(code="1.3", name="Traiter des données")
    for name, fields in {
        "lireTableau": dict(
            type="QCU", instruction="Voici les températures de la semaine :\n\n"
            "| Jour | Lundi | Mardi | Mercredi | Jeudi | Vendredi | Samedi | Dimanche |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
            "| Température (°C) | 12 | 15 | 9 | 14 | 17 | 11 | 13 |\n\nQuel jour a-t-il fait le plus chaud ?",
            proposals=["Mardi", "Vendredi", "Dimanche"], solution="2",
            solution_to_display="**Vendredi** : 17 °C, la plus grande valeur du tableau."),
        "trierDonnees": dict(
            type="QCM", instruction="Quelles colonnes permettent de trier une liste d'élèves **par âge** ?",
            proposals=["La date de naissance", "L'âge en années", "Le prénom", "La classe"], solution="1,2",
            solution_to_display="La **date de naissance** et l'**âge** rangent les élèves du plus jeune au plus "
                                "âgé.", focused=True),
        "lireGraphique": dict(
            type="QROC", format="nombre", instruction="Voici comment les élèves de 6e B viennent au collège. "
            "**Combien viennent à vélo ?**", proposals="${eleves#nombre d'élèves}", solution="4",
            solution_to_display="**4** : le haut de la barre « Vélo » arrive à la graduation 4.",
            illustration="lireGraphique1-a.svg",
            illustration_alt="Diagramme en barres : 10 élèves à pied, 8 en bus, 4 à vélo et 6 en voiture."),
        "formuleTableur": dict(
            type="QROCM-ind", instruction="Complétez la formule qui additionne les cellules A1 à A3.",
            proposals="=${fonction#fonction}(A1:${fin#cellule})", solution={"fonction": ["SOMME", "SUM"],
                                                                           "fin": ["A3"]},
            solution_to_display="**=SOMME(A1:A3)**"),
        "formatsImage": dict(
            type="QROCM-dep", instruction="Écrivez les extensions de **deux** formats d'image.",
            proposals="Premier format : ${ext1}\n\nSecond format : ${ext2}",
            solution={"g1": ["jpg", "jpeg"], "g2": ["png"], "g3": ["gif"]},
            solution_to_display="Par exemple **jpg**, **png** ou **gif**."),
    }.items():
        tube = TubeFactory(name=name, competence=competence)
        skill = SkillFactory(tube=tube, level=1, hint="Prenez le temps de relire la consigne.",
                             tutorials=[{"title": "Lire un tableau", "text": "Repérez la **ligne** et la "
                                                                             "**colonne** qui répondent."}])
        ChallengeFactory(id=f"{name}1-a", skill=skill, **fields)
    profile = TargetProfileFactory(name="Traiter des données",
                                   tubes=[(Tube.objects.get(name=name), 1) for name in (
                                       "lireTableau", "trierDonnees", "lireGraphique", "formuleTableur",
                                       "formatsImage")])
    campaign = campaign_create(organization=school, by=alice_admin, name="Données 5e", type="ASSESSMENT",
                               title="Traiter des données", target_profile=profile)
    student = UserFactory(email="nael.martin@example.net", first_name="Naël")
    LearnerFactory(organization=school, user=student, first_name="Naël", family_name="Martin")
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, student.email, "/mes-parcours")
    expect(page.get_by_text("Vous n'avez encore aucun parcours.")).to_be_visible()
    shot(page, "20-mes-parcours-empty")
    page.get_by_role("link", name="J'ai un code").click()
    page.get_by_label("Code de la campagne").fill(campaign.code)
    page.get_by_role("button", name="C'est parti").click()
    page.get_by_role("button", name="Je commence").click()
    page.get_by_role("button", name="Commencer mon parcours").click()

    for number in range(1, 6):
        question_heading(page, number).wait_for()
        challenge = served_challenge(page)
        if challenge.type == "QCU":
            expect(page.get_by_role("group", name="Choisissez une réponse")).to_be_visible()
            expect(page.get_by_role("radio")).to_have_count(3)
            page.get_by_role("button", name="Je valide").click()  # nothing chosen yet
            expect(page.get_by_role("alert")).to_have_text("Choisissez une réponse. Si vous ne savez pas, cliquez sur « Je passe ».")
            expect(page.get_by_role("cell", name="17")).to_be_visible()
            shot(page, "21-qcu-with-a-table-and-an-error")
            # With the keyboard: the arrows move between the options (wrong here: the correction will show why).
            page.get_by_label("Vendredi").focus()
            page.keyboard.press("ArrowUp")
            expect(page.get_by_label("Mardi")).to_be_checked()
            expect(page.get_by_label("Mardi")).to_be_focused()
            shot(page, "21b-qcu-chosen-with-the-keyboard")
        elif challenge.type == "QCM":
            expect(page.get_by_role("group", name="Cochez toutes les bonnes réponses")).to_be_visible()
            expect(page.get_by_text("Mode focus : restez sur cette page jusqu'à votre réponse.")).to_be_visible()
            shot(page, "22-qcm-focused")
            page.get_by_label("La date de naissance").check()
            page.get_by_label("L'âge en années").check()
        elif challenge.type == "QROC":
            expect(page.get_by_role("img", name="Diagramme en barres : 10 élèves à pied")).to_be_visible()
            shot(page, "23-qroc-with-an-illustration")
            page.get_by_label("nombre d'élèves").fill("4,0")
        elif challenge.type == "QROCM-ind":
            shot(page, "24-qrocm-ind")
            page.get_by_label("fonction").fill("somme")
            page.get_by_label("cellule").fill("a3")
        else:
            expect(page.get_by_role("textbox")).to_have_count(2)
            shot(page, "25-qrocm-dep")
            page.get_by_role("textbox").nth(0).fill("PNG")
            page.get_by_role("textbox").nth(1).fill("jpeg")
        page.get_by_role("button", name="Je valide").click()
        page.wait_for_load_state()

    # Five tubes of one skill: the fifth answer ends the test, and the checkpoint is its end.
    page.get_by_role("heading", name="Fin de votre parcours").wait_for()
    answers = page.locator(".checkpoint-answer")
    expect(answers).to_have_count(5)
    statuses = dict(Answer.objects.filter(assessment__participation__campaign=campaign).values_list(
        "challenge__type", "status"))
    assert statuses == {"QCU": "ko", "QCM": "ok", "QROC": "ok", "QROCM-ind": "ok", "QROCM-dep": "ok"}
    wrong = page.locator(".checkpoint-answer", has=page.locator(".result-ko"))
    expect(wrong).to_have_count(1)
    wrong.get_by_text("Réponses et tutos").click()
    expect(wrong.get_by_text("Votre réponse : Mardi")).to_be_visible()
    expect(wrong.get_by_text("17 °C, la plus grande valeur du tableau.")).to_be_visible()
    expect(wrong.get_by_text("Prenez le temps de relire la consigne.")).to_be_visible()
    expect(wrong.get_by_text("Tuto : Lire un tableau")).to_be_visible()
    shot(page, "26-end-with-a-wrong-answer-opened")


# --- « Mon profil »: a placement test on one competence of the real bank ----------------------------------------------

def answer_right_from_the_bank(page, challenge: Challenge) -> None:
    """What a student who knows would click or type, read from the challenge's solution."""
    if challenge.type in ("QCU", "QCM"):
        for number in str(challenge.solution).split(","):
            page.locator("label.option").nth(int(number) - 1).click()
    elif challenge.type == "QROC":
        first = next(line for line in str(challenge.solution).splitlines() if line.strip())
        page.locator("input[name^=field-]").fill(first)
    elif challenge.type == "QROCM-ind":
        for key, accepted in challenge.solution.items():
            page.locator(f"input[name='field-{key}']").fill(accepted[0] if isinstance(accepted, list) else accepted)
    else:  # QROCM-dep: one group per field, in order
        fields = page.locator("input[name^=field-]")
        for index, accepted in enumerate(list(challenge.solution.values())[:fields.count()]):
            fields.nth(index).fill(accepted[0] if isinstance(accepted, list) else accepted)
    page.get_by_role("button", name="Je valide").click()
    page.wait_for_load_state()


def test_a_placement_test_from_my_profile_gives_a_level_and_pix_and_no_retry_before_four_days(
        browser_page, content_bank):
    student = UserFactory(email="yanis.benali@example.net", first_name="Yanis")
    competence = Competence.objects.get(code="1.1")
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, student.email, "/mon-profil")

    page.get_by_role("heading", name="Mon profil").wait_for()
    expect(page.locator(".competence-item")).to_have_count(16)
    expect(page.get_by_text("Il vous en manque encore 5.")).to_be_visible()
    expect(page.get_by_role("heading", name="5. Environnement numérique")).to_be_visible()
    shot(page, "30-mon-profil-empty")
    page.get_by_role("button", name=f"Commencer : {competence.name}").click()

    number = 0
    while not page.get_by_role("heading", name="Fin du positionnement").is_visible():
        if page.get_by_role("heading", name="Point d'étape").is_visible():
            page.get_by_role("link", name="Continuer").click()
            continue
        number += 1
        question_heading(page, number).wait_for()
        expect(page.locator(".learner-kicker").first).to_have_text(f"1.1 {competence.name}")
        challenge = served_challenge(page)
        if challenge.timer:
            page.get_by_role("button", name="Commencer").click()
            page.get_by_role("timer").wait_for()
        answer_right_from_the_bank(page, challenge)
        assert number < 60, "a placement test ends"
    assessment = Assessment.objects.get(user=student, competence=competence)
    assert assessment.is_completed and assessment.answers_count == number
    assert set(Answer.objects.filter(assessment=assessment).values_list("status", flat=True)) == {"ok"}
    shot(page, "31-placement-end")

    page.get_by_role("link", name="Voir mon profil").click()
    page.get_by_role("heading", name="Mon profil").wait_for()
    score = profile_score_for_user(user_id=student.pk)
    mine = score.competences["1.1"]
    assert mine.level >= 1
    item = page.locator(".competence-item", has_text=f"1.1 {competence.name}")
    expect(item).to_contain_text(f"Niveau {mine.level}")
    expect(item).to_contain_text(f"{mine.pix} pix")
    expect(page.locator(".pix-score strong")).to_have_text(str(score.pix_score))
    expect(page.get_by_text("Il vous en manque encore 4.")).to_be_visible()
    # Just done: « Retenter » comes back 4 days later, and says when.
    expect(item.get_by_role("button")).to_have_count(0)
    retry = timezone.localtime(assessment.completed_at + datetime.timedelta(days=4))
    day = f"{retry.day}{'er' if retry.day == 1 else ''}"
    expect(item.get_by_text(f"À retenter à partir du {day} {date_format(retry, 'F')}")).to_be_visible()
    other = page.locator(".competence-item", has_text="1.2 ")
    expect(other.get_by_role("button", name=re.compile("^Commencer"))).to_be_visible()
    shot(page, "32-mon-profil-after-placement")


# --- « Collecte de profils » -----------------------------------------------------------------------------------------

def test_a_student_sends_their_profile_to_a_profiles_collection(browser_page, content_bank, school, alice_admin):
    campaign = CampaignFactory(organization=school, owner=alice_admin, title="Profils de rentrée",
                               type=Campaign.Type.PROFILES_COLLECTION)
    student = UserFactory(email="ines.roux@example.net", first_name="Inès")
    LearnerFactory(organization=school, user=student, first_name="Inès", family_name="Roux", division="4E1")
    # What earlier tests left: every skill of two tubes of 1.1 and of one tube of 4.1, up to level 3.
    for tube in list(Tube.objects.filter(competence__code="1.1").order_by("name")[:2]) + [
            Tube.objects.filter(competence__code="4.1").order_by("name").first()]:
        KnowledgeState.objects.create(user=student, tube=tube, floor=3)
    score = profile_score_for_user(user_id=student.pk)
    assert score.pix_score > 0
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, student.email, "/mes-parcours")

    page.get_by_role("link", name="J'ai un code").click()
    page.get_by_label("Code de la campagne").fill(campaign.code)
    page.get_by_role("button", name="C'est parti").click()
    page.get_by_role("button", name="Je commence").click()
    page.get_by_role("heading", name="Envoi de votre profil : « Profils de rentrée »").wait_for()
    expect(page.locator(".pix-score strong")).to_have_text(str(score.pix_score))
    expect(page.locator(".competence-compact li")).to_have_count(16)
    level = score.competences["1.1"].level
    expect(page.locator(".competence-compact li", has_text="1.1 ")).to_contain_text(f"Niveau {level}")
    shot(page, "40-profile-collection")
    page.get_by_role("button", name="J'envoie mon profil").click()

    expect(page.get_by_text("Votre profil est envoyé : votre enseignant le recevra. Bravo !")).to_be_visible()
    expect(page.get_by_text(re.compile(f"^Votre profil \\({score.pix_score} pix\\) a été envoyé à Lycée Pix le "))) \
        .to_be_visible()
    expect(page.get_by_role("button", name="J'envoie mon profil")).to_have_count(0)
    shot(page, "41-profile-collection-sent")
    participation = Participation.objects.get(campaign=campaign, user=student)
    assert participation.status == Participation.Status.SHARED
    assert participation.pix_score == score.pix_score
    assert participation.results["competences"]["1.1"] == {"pix": score.competences["1.1"].pix, "level": level}

    page.get_by_role("link", name="Mes parcours").first.click()
    card = page.locator(".parcours", has_text="Profils de rentrée")
    expect(card.get_by_text("Profil envoyé")).to_be_visible()
