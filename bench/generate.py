"""Generate a synthetic plan of N actions (about 1 KB of YAML each) that lints clean.

    python bench/generate.py 10000 /tmp/plan-10k [--layout files|folders]

``files``: one file per objective holding 100 actions (the common layout);
``folders``: a folder per objective with one file per action.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

PEOPLE = ["asabbatini", "mdupont", "lcollin", "nhenrard", "pmoreau", "sgilles"]
ADMINS = ["bwiaux", "pfrasca", "elambert", "rdumont", "kvanhove", "apetit"]
STATUSES = ["ongoing"] * 6 + ["done"] * 2 + ["not_started", "on_hold"]


def _people() -> str:
    lines = ["services:", "  - {id: svc, name: Service, organisation: ville}", "people:"]
    lines += [f"  - {{id: {p}, first_name: Prénom, last_name: {p.title()}, role: alderman, organisation: ville}}" for p in PEOPLE]
    lines += [f"  - {{id: {p}, first_name: Prénom, last_name: {p.title()}, role: head_of_service, service: svc, organisation: ville}}" for p in ADMINS]
    return "\n".join(lines) + "\n"


PLAN = """title: Plan de performance
organisations:
  - {id: ville, name: Ville de Test, type: municipality}
term: {start: 2024-12-02, end: 2030-12-01}
locale: fr-BE
levels: [Objectif prioritaire, Action]
rules: {F406: off}
"""


def action(i: int, rng: random.Random, indent: str) -> str:
    status = STATUSES[i % len(STATUSES)]
    start = f"{2027 if status == 'not_started' else 2025}-{1 + i % 12:02d}-01"
    end = f"{2027 + i % 3}-{1 + i % 12:02d}-28"
    lines = [
        f"id: A{i}",
        f'title: "Action {i} : améliorer la propreté et le cadre de vie du quartier {i % 37}"',
        "description: >-",
        "  Mettre en place un nettoyage de proximité avec la présence d'éco-cantonniers",
        "  dans les quartiers, en concertation avec les riverains et les comités.",
        f"political_owners: [{PEOPLE[i % len(PEOPLE)]}]",
        f"admin_owner: {ADMINS[i % len(ADMINS)]}",
        f"involved: [{ADMINS[(i + 1) % len(ADMINS)]}]",
        "partners: [Belle-Ville asbl, comité de quartier]",
        f"planned_start: {start}",
        f"planned_end: {end}",
        f"actual_start: {start}" if status != "not_started" else "actual_start: null",
        f"status: {status}",
    ]
    if status == "done":
        lines += ["progress: 100", f"actual_end: {start[:4]}-12-15"]
    elif status != "not_started":
        lines.append(f"progress: {rng.randint(5, 95)}")
    lines += [
        'achieved: "Cartographie des zones réalisée avec les partenaires ; premières tournées organisées."',
        'remaining: "Pesage des déchets par zone de ramassage et évaluation avec les riverains."',
        "health: good",
        "budget:",
        f"  - {{amount: {rng.randint(1, 90) * 1000}.50, year: 2025, source: fonds propres, service: ordinary, article: 875/124-02}}",
        f"  - {{amount: {rng.randint(1, 90) * 1000}, year: 2026, source: subside régional, service: extraordinary}}",
        f"stake: {1 + i % 5}",
        f"urgency: {1 + (i // 5) % 5}",
        f"roi: {1 + (i // 25) % 5}",
        "volet: external",
        "sdgs: [11, 12]",
        "tags: [propreté, quartiers]",
        "last_reviewed: 2026-10-01",
    ]
    first, *rest = lines
    return f"{indent}- {first}\n" + "".join(f"{indent}  {line}\n" for line in rest)


def generate(n: int, out: Path, layout: str = "files", per_objective: int = 100) -> None:
    if out.exists():
        shutil.rmtree(out)
    (out / "objectives").mkdir(parents=True)
    (out / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (out / "people.yaml").write_text(_people(), encoding="utf-8")
    rng = random.Random(n)
    for o in range((n + per_objective - 1) // per_objective):
        ids = range(o * per_objective, min(n, (o + 1) * per_objective))
        head = f"id: O{o}\ntitle: Objectif {o}\npolitical_owners: [{PEOPLE[o % len(PEOPLE)]}]\nadmin_owner: {ADMINS[o % len(ADMINS)]}\n"
        if layout == "files":
            body = head + "actions:\n" + "".join(action(i, rng, "  ") for i in ids)
            (out / "objectives" / f"{o:04d}.yaml").write_text(body, encoding="utf-8")
        else:
            folder = out / "objectives" / f"{o:04d}"
            folder.mkdir()
            (folder / "objective.yaml").write_text(head, encoding="utf-8")
            for i in ids:
                text = action(i, rng, "")
                (folder / f"A{i}.yaml").write_text(text[2:].replace("\n  ", "\n"), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--layout", choices=("files", "folders"), default="files")
    args = parser.parse_args()
    generate(args.n, args.out, args.layout)


if __name__ == "__main__":
    main()
