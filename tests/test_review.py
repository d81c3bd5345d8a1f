"""``feuille review``: the round before the college meeting, driven through stdin; stopped and resumed."""

from __future__ import annotations

from pathlib import Path

from tests._cli import feuille

EXAMPLE = Path(__file__).parent.parent / "plans" / "la-louviere"
O4 = "objectives/04-logement.yaml"
DAY = "2027-06-20"


def review(plan, *args, input=None):
    return feuille("review", *args, "--plan", plan, "--as-of", DAY, input=input)


def test_non_interactive_lists_what_needs_a_look(plan):
    r = review(plan, "--owner", "Henrard", "--non-interactive")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[:3] == [
        "2 actions à revoir pour Henrard au 20/06/2027 :",
        "  A4.1 « Lutter contre les logements inoccupés (recensement et taxe) » — échéance le 30/06/2027 (dans 10 jours) ; non revue depuis le 09/10/2026",
        "  A4.2 « Créer un logement d'urgence et de transit avec le CPAS » — non revue depuis le 05/11/2026",
    ]
    assert (plan / O4).read_text() == (EXAMPLE / O4).read_text()


def test_one_by_one_written_at_once_stopped_and_resumed(plan):
    first = "\n".join(["", "", "80", "", "", "", "", "", "", "o", "q"]) + "\n"  # update A4.1 (progress 80), then stop
    r = review(plan, "--owner", "nhenrard", input=first)
    assert r.returncode == 0, r.stderr
    assert "Revue de nhenrard : 1 action mise à jour, 1 restante." in r.stdout
    text = (plan / O4).read_text()
    assert "    progress: 80\n" in text and "    last_reviewed: 2027-06-20\n" in text
    # resumed: A4.1 is not asked again; A4.2 reviewed with nothing changed but the review date
    r = review(plan, "--owner", "nhenrard", input="\n" + "\n" * 9 + "o\n")
    assert r.returncode == 0, r.stderr
    assert "1 action déjà revue aujourd'hui" in r.stdout and "[1/1] A4.2" in r.stdout
    assert "A4.2 : dernière revue 05/11/2026 → 20/06/2027" in r.stdout
    assert "Rien à revoir" in review(plan, "--owner", "nhenrard", input="").stdout


def test_one_by_one_in_english(plan):
    r = review(plan, "--owner", "nhenrard", "--lang", "en", input="skip\n" + "\n" * 10 + "yes\n")  # skip A4.1, review A4.2 unchanged
    assert r.returncode == 0, r.stderr
    assert "\n[1/2] A4.1 'Lutter contre les logements inoccupés (recensement et taxe)' — due on 2027-06-30 (in 10 days); not reviewed since 2026-10-09\n" in r.stdout
    assert "\n[2/2] A4.2 'Créer un logement d'urgence et de transit avec le CPAS' — not reviewed since 2026-11-05\n" in r.stdout
    assert "Review of nhenrard: 1 action updated, 1 left." in r.stdout
    assert "  A4.2: last reviewed 2026-11-05 → 2027-06-20\n" in r.stdout
    r = review(plan, "--owner", "nhenrard", input="p\n\n" + "\n" * 9 + "o\n")  # the same round in French: A4.2 already done today
    assert "[1/1] A4.1 « Lutter contre les logements inoccupés (recensement et taxe) » — échéance le 30/06/2027 (dans 10 jours) ; non revue depuis le 09/10/2026\n" in r.stdout


def test_skip_and_interrupt_write_nothing(plan):
    r = review(plan, "--owner", "nhenrard", input="p\n\nen cours\n")  # skip A4.1, start A4.2, input ends
    assert r.returncode == 2
    assert r.stderr == "feuille : interrompu : rien n'a été écrit.\n"
    assert "mise à jour" not in r.stdout
    assert (plan / O4).read_text() == (EXAMPLE / O4).read_text()


def test_an_interrupted_review_ends_as_an_interrupted_update(plan):
    """Same exit code (2) and the same words on stderr; a review that wrote some actions says so."""
    update = feuille("update", "A4.1", "--plan", plan, "--as-of", DAY, "-i", input="")
    r = review(plan, "--owner", "nhenrard", input="")
    assert (update.returncode, update.stderr) == (r.returncode, r.stderr) == (2, "feuille : interrompu : rien n'a été écrit.\n")
    first = "\n".join(["", "", "80", "", "", "", "", "", "", "o"]) + "\n"  # update A4.1 (progress 80), then the input ends at A4.2
    r = review(plan, "--owner", "nhenrard", input=first)
    assert r.returncode == 2
    assert r.stderr == ("feuille : interrompu : l'action en cours n'a pas été écrite ; 1 action revue avant elle l'a été. Relancez la même "
                        "commande pour reprendre.\n")
    assert "    progress: 80\n" in (plan / O4).read_text()
    r = review(plan, "--owner", "nhenrard", "--lang", "en", input="")
    assert r.stderr == "feuille: interrupted: nothing was written.\n"


def test_non_interactive_leaves_out_what_was_reviewed_that_day(plan):
    """The list (for an e-mail) is what the review asks: an action reviewed that day is not in it, and the command it
    suggests has something to review."""
    first = "\n".join(["", "", "80", "", "", "", "", "", "", "o", "q"]) + "\n"  # review A4.1 (due in 10 days), then stop
    assert review(plan, "--owner", "nhenrard", input=first).returncode == 0
    r = review(plan, "--owner", "nhenrard", "--non-interactive")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "1 action à revoir pour nhenrard au 20/06/2027 :",
        "  A4.2 « Créer un logement d'urgence et de transit avec le CPAS » — non revue depuis le 05/11/2026",
        "1 action déjà revue le 20/06/2027 : A4.1.",
        "Pour la mettre à jour : feuille review --owner nhenrard",
    ]
    assert "[1/1] A4.2" in review(plan, "--owner", "nhenrard", input="q\n").stdout  # what the list said
    assert review(plan, "--owner", "nhenrard", input="\n" + "\n" * 9 + "o\n").returncode == 0  # A4.2 reviewed too
    r = review(plan, "--owner", "nhenrard", "--non-interactive")
    # A4.1 is still due in 10 days (reviewed that day: not asked); A4.2 needs no look any more
    assert r.stdout.splitlines() == ["Rien à revoir pour nhenrard au 20/06/2027.", "1 action déjà revue le 20/06/2027 : A4.1."]
    assert "Rien à revoir pour nhenrard au 20/06/2027." in review(plan, "--owner", "nhenrard", input="").stdout


def test_bad_input(plan):
    r = review(plan)
    assert r.returncode == 2 and "--owner" in r.stderr
    r = review(plan, "--owner", "Personne")
    assert r.returncode == 2 and "inconnue" in r.stderr
