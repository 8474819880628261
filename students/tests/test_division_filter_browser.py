"""The class filter of a large lycée in a browser: 78 classes by level, « toute la 2nde », the chosen ones on top."""

import pytest
from playwright.sync_api import expect

from students.tests.test_browser import log_in, shot
from students.tests.test_selectors import make_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LYCEE = [f"2NDE{n}" for n in range(1, 27)] + [f"1G{n}" for n in range(1, 27)] + [f"TSTMG{n}" for n in range(1, 27)]


def test_a_head_chooses_toute_la_2nde_and_one_class_of_1re_among_78(browser_page, school, alice_admin):
    for number, division in enumerate(LYCEE):
        make_learner(school, f"ÉLÈVE{number:02d}", "Camille", division=division)
    page = browser_page
    log_in(page, alice_admin.email)
    page.goto(f"/organisations/{school.pk}/eleves")

    classes = page.get_by_role("group", name="Classes")
    chosen = classes.locator("[data-division-chosen]")
    expect(chosen).to_have_text("Toutes les classes (aucune choisie)")
    levels = classes.locator("details")
    expect(levels).to_have_count(3)
    expect(levels.locator("summary")).to_have_text(["2nde 26 classes", "1re 26 classes", "Tle 26 classes"])
    expect(page.get_by_label("1G3", exact=True)).to_be_hidden()  # 78 chips folded by level, none cut mid-row

    classes.locator("summary", has_text="1re").click()
    page.get_by_label("1G3", exact=True).check()
    expect(chosen).to_have_text("Classe choisie : 1G3")
    classes.locator("summary", has_text="2nde").click()
    page.get_by_label("Toute la 2nde").check()
    expect(page.get_by_label("2NDE26", exact=True)).to_be_checked()
    expect(chosen).to_have_text("Classes choisies : toute la 2nde, 1G3")
    page.get_by_role("button", name="Filtrer").click()

    expect(page.locator(".learner-count")).to_contain_text("27 élèves sur 78")
    expect(chosen).to_have_text("Classes choisies : toute la 2nde, 1G3")
    expect(page.get_by_label("Toute la 2nde")).to_be_checked()
    expect(page.get_by_label("1G3", exact=True)).to_be_visible()  # the level holding a chosen class stays open
    expect(page.get_by_label("TSTMG1", exact=True)).to_be_hidden()
    cut = page.evaluate("[...document.querySelectorAll('.division-filter .choices')]"
                        ".some(box => box.scrollHeight > box.clientHeight + 1)")
    assert not cut
    shot(page, "division-filter-lycee")

    page.get_by_label("2NDE5", exact=True).uncheck()
    expect(page.get_by_label("Toute la 2nde")).not_to_be_checked()
    expect(chosen).to_contain_text("2NDE4, 2NDE6")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(".learner-count")).to_contain_text("26 élèves sur 78")
