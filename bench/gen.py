"""Generate a large, valid, realistic-looking session for benchmarks.

At ``scale=1``: 20 stages, 5 personas, 10 departments, 2,000 pains, 500 processes with 1,000
feeds, 1,000 solutions and 4,000 cause links (``caused_by`` entries). ``scale`` multiplies
every count, stages included, so the local shape (processes per stage, feeds per process,
causes per pain) stays the same and work that is linear in the data should scale by ``scale``.

Shape:

- processes are spread evenly over the stages; feeds mostly go to a process in the same stage
  or one or two stages downstream (handoffs flow with the journey), about 8% loop back;
- a pain's causes are mostly processes of its own stage or earlier ones, rarely a later one;
- texts are 6-15 words, with some non-ASCII words and the odd quoted word.

The session is built through the model (``Session.model_validate`` on plain dicts) and
checked with ``reference_problems``. The same ``seed`` always gives the same session.

CLI: ``python bench/gen.py [--scale S] [--seed N] -o FILE`` (``-o -`` writes to stdout).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from typing import Any

from cjmtui.core.model import EVIDENCE, PHASES, STATUSES, Session, reference_problems
from cjmtui.core.store import dumps_session

BASE = {
    "stages": 20,
    "personas": 5,
    "departments": 10,
    "pains": 2_000,
    "processes": 500,
    "feeds": 1_000,
    "solutions": 1_000,
    "causes": 4_000,
}

WORDS = (
    "customer",
    "order",
    "invoice",
    "delivery",
    "contract",
    "account",
    "portal",
    "password",
    "email",
    "call",
    "agent",
    "hotline",
    "form",
    "field",
    "address",
    "payment",
    "refund",
    "status",
    "update",
    "confirmation",
    "request",
    "ticket",
    "queue",
    "approval",
    "manager",
    "team",
    "handoff",
    "system",
    "data",
    "record",
    "export",
    "report",
    "price",
    "quote",
    "offer",
    "discount",
    "product",
    "catalogue",
    "warehouse",
    "stock",
    "shipment",
    "tracking",
    "label",
    "signature",
    "document",
    "upload",
    "checklist",
    "training",
    "onboarding",
    "login",
    "reminder",
    "deadline",
    "week",
    "days",
    "twice",
    "again",
    "manually",
    "late",
    "missing",
    "wrong",
    "unclear",
    "slow",
    "duplicate",
    "incomplete",
    "outdated",
    "different",
    "nobody",
    "always",
    "never",
    "often",
    "after",
    "before",
    "during",
    "because",
    "without",
    "between",
    "each",
    "first",
    "second",
    "every",
    "new",
    "old",
    "internal",
    "external",
    "sales",
    "support",
    "billing",
    "legal",
    "finance",
    "logistics",
    "IT",
    "marketing",
    "partner",
    "supplier",
    "is",
    "are",
    "gets",
    "needs",
    "waits",
    "asks",
    "sends",
    "checks",
    "re-enters",
    "copies",
    "loses",
    "forgets",
    "escalates",
    "approves",
    "rejects",
    "changes",
    "cannot",
    "does not",
    "has to",
    "for",
    "the",
    "a",
    "to",
    "in",
    "on",
    "from",
    "with",
    "and",
    "or",
    "of",
)
# Roughly one word in twelve: accents, umlauts, typographic punctuation, a few CJK and emoji.
NON_ASCII = (
    "Größe",
    "Kündigung",
    "Rückruf",
    "Änderung",
    "café",
    "naïve",
    "façade",
    "résumé",
    "déjà-vu",
    "São Paulo",
    "Zürich",
    "Malmö",
    "Ångström",
    "€",
    "£",
    "–",
    "…",
    "“urgent”",
    "½",
    "日本",
    "顧客",
    "ÆØÅ",
    "straße",
    "coöperation",
    "Ελλάδα",
    "Москва",
    "✓",
    "→",
    "🙂",
)
STAGE_NAMES = (
    "Discover",
    "Research options",
    "Compare offers",
    "Request quote",
    "Negotiate",
    "Sign contract",
    "Pay deposit",
    "Set up account",
    "Configure",
    "Receive delivery",
    "Install",
    "First use",
    "Get help",
    "Report problem",
    "Resolve issue",
    "Receive invoice",
    "Pay invoice",
    "Renew",
    "Upgrade",
    "Recommend",
)
DEPARTMENTS = (
    "Sales",
    "Customer Service",
    "Billing",
    "Logistics",
    "IT",
    "Legal",
    "Marketing",
    "Finance",
    "Product",
    "Partner Management",
)
PERSONAS = ("Anna", "Bülent", "Chloé", "Dmitri", "Eva", "Farouk", "Greta", "Hiroshi", "Inés", "Jonas")
SYSTEMS = (
    "SAP",
    "Salesforce",
    "Zendesk",
    "Excel",
    "Jira",
    "Outlook",
    "SharePoint",
    "Genesys",
    "Kunden-Portal (Größen)",
    "Shopware",
    "DATEV",
)
CHANNELS = ("web", "email", "phone", "chat", "app", "letter", "store", "partner")


def _counts(scale: float) -> dict[str, int]:
    if scale <= 0:
        raise ValueError("scale must be positive")
    return {k: max(1, round(v * scale)) for k, v in BASE.items()}


def _text(rng: random.Random, lo: int = 6, hi: int = 15) -> str:
    n = rng.randint(lo, hi)
    words = [rng.choice(NON_ASCII) if rng.random() < 0.08 else rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.03:  # the odd quoted word: exercises the writer's escaping
        i = rng.randrange(n)
        words[i] = f'"{words[i]}"'
    first = words[0]
    words[0] = first[:1].upper() + first[1:]
    return " ".join(words)


def _short(rng: random.Random, lo: int = 1, hi: int = 4) -> str:
    return _text(rng, lo, hi)


def _lines(rng: random.Random, lo: int, hi: int, words: tuple[int, int] = (3, 8)) -> list[str]:
    return [_text(rng, *words) for _ in range(rng.randint(lo, hi))]


def _pick_stage(rng: random.Random, base: int, n_stages: int, offsets: tuple[tuple[int, float], ...]) -> int:
    """A stage index ``base + offset``, the offset drawn from ``offsets``; redrawn if outside."""
    for _ in range(8):
        r = rng.random()
        acc = 0.0
        off = offsets[-1][0]
        for o, p in offsets:
            acc += p
            if r < acc:
                off = o
                break
        s = base + off
        if 0 <= s < n_stages:
            return s
    return base


# Feed target stage relative to the source: mostly downstream, a few loops back.
FEED_OFFSETS = ((0, 0.37), (1, 0.35), (2, 0.20), (-1, 0.04), (-2, 0.02), (-4, 0.02))
# Cause stage relative to the pain: mostly the same or earlier stages.
CAUSE_OFFSETS = ((0, 0.45), (-1, 0.25), (-2, 0.14), (-3, 0.07), (-5, 0.05), (1, 0.04))


def generate_data(scale: float = 1.0, seed: int = 1) -> dict[str, Any]:
    """The session as plain data (what ``Session.model_validate`` takes)."""
    rng = random.Random(seed)
    n = _counts(scale)
    w_st = len(str(n["stages"]))

    departments = []
    for i in range(n["departments"]):
        base = DEPARTMENTS[i % len(DEPARTMENTS)]
        name = base if i < len(DEPARTMENTS) else f"{base} {i // len(DEPARTMENTS) + 1}"
        departments.append({"id": f"dept-{i + 1}", "name": name, "role": _text(rng, 6, 12)})
    dept_ids = [d["id"] for d in departments]

    personas = []
    for i in range(n["personas"]):
        base = PERSONAS[i % len(PERSONAS)]
        name = base if i < len(PERSONAS) else f"{base} {i // len(PERSONAS) + 1}"
        personas.append(
            {
                "id": f"persona-{i + 1}",
                "name": name,
                "description": _text(rng, 12, 40),
                "goals": _lines(rng, 1, 3),
                "needs": _lines(rng, 1, 3),
                "frustrations": _lines(rng, 0, 3),
            }
        )
    persona_ids = [p["id"] for p in personas]

    stages = []
    for i in range(n["stages"]):
        base = STAGE_NAMES[i % len(STAGE_NAMES)]
        name = base if i < len(STAGE_NAMES) else f"{base} {i // len(STAGE_NAMES) + 1}"
        stage: dict[str, Any] = {
            "id": f"stage-{i + 1:0{w_st}d}",
            "name": name,
            "phase": PHASES[min(len(PHASES) - 1, i * len(PHASES) // n["stages"])],
            "customer_goal": _text(rng, 6, 12),
            "touchpoints": [_short(rng) for _ in range(rng.randint(1, 4))],
            "channels": rng.sample(CHANNELS, rng.randint(1, 3)),
            "owners": rng.sample(dept_ids, min(len(dept_ids), rng.randint(1, 2))),
            "emotion": {p: rng.randint(-2, 2) for p in persona_ids if rng.random() < 0.6},
        }
        stages.append(stage)
    stage_ids = [s["id"] for s in stages]

    # Processes: evenly over the stages, in stage order.
    w_pr = len(str(n["processes"]))
    processes = []
    by_stage: list[list[int]] = [[] for _ in stages]
    for i in range(n["processes"]):
        s = i * n["stages"] // n["processes"]
        by_stage[s].append(i)
        proc: dict[str, Any] = {
            "id": f"proc-{i + 1:0{w_pr}d}",
            "stage": stage_ids[s],
            "name": _text(rng, 3, 8),
            "systems": rng.sample(SYSTEMS, rng.randint(0, 3)),
            "feeds": [],
        }
        if rng.random() < 0.9:
            proc["owner"] = rng.choice(dept_ids)
        processes.append(proc)
    proc_stage = [i * n["stages"] // n["processes"] for i in range(n["processes"])]

    # Feeds: exactly n["feeds"] distinct edges, none to itself.
    feed_sets: list[set[int]] = [set() for _ in processes]
    made = attempts = 0
    while made < n["feeds"] and attempts < n["feeds"] * 50:
        attempts += 1
        src = rng.randrange(len(processes))
        s = _pick_stage(rng, proc_stage[src], n["stages"], FEED_OFFSETS)
        if not by_stage[s]:
            continue
        dst = rng.choice(by_stage[s])
        if dst == src or dst in feed_sets[src] or len(feed_sets[src]) >= 200:
            continue
        feed_sets[src].add(dst)
        processes[src]["feeds"].append(processes[dst]["id"])
        made += 1

    # Pains: evenly over the stages, in stage order.
    w_pa = len(str(n["pains"]))
    pains = []
    pain_stage = []
    for i in range(n["pains"]):
        s = i * n["stages"] // n["pains"]
        pain_stage.append(s)
        r = rng.random()
        pains.append(
            {
                "id": f"pain-{i + 1:0{w_pa}d}",
                "stage": stage_ids[s],
                "kind": "gain" if rng.random() < 0.08 else "pain",
                "text": _text(rng),
                "severity": rng.randint(1, 5),
                "frequency": rng.randint(1, 5),
                "evidence": EVIDENCE[rng.randrange(len(EVIDENCE))],
                "personas": rng.sample(persona_ids, 0 if r < 0.4 else 1 if r < 0.8 else min(2, len(persona_ids))),
                "caused_by": [],
            }
        )

    # Causes: exactly n["causes"] distinct (pain, process) links.
    cause_sets: list[set[int]] = [set() for _ in pains]
    made = attempts = 0
    while made < n["causes"] and attempts < n["causes"] * 50:
        attempts += 1
        pi = rng.randrange(len(pains))
        s = _pick_stage(rng, pain_stage[pi], n["stages"], CAUSE_OFFSETS)
        if not by_stage[s]:
            continue
        proc_i = rng.choice(by_stage[s])
        if proc_i in cause_sets[pi] or len(cause_sets[pi]) >= 200:
            continue
        cause_sets[pi].add(proc_i)
        pains[pi]["caused_by"].append(processes[proc_i]["id"])
        made += 1

    w_so = len(str(n["solutions"]))
    solutions = []
    for i in range(n["solutions"]):
        r = rng.random()
        k = 1 if r < 0.6 else 2 if r < 0.9 else 3
        targets = rng.sample(range(len(processes)), min(k, len(processes)))
        sol: dict[str, Any] = {
            "id": f"sol-{i + 1:0{w_so}d}",
            "text": _text(rng),
            "targets": [processes[t]["id"] for t in targets],
            "effort": rng.randint(1, 5),
            "confidence": round(rng.randint(1, 20) * 0.05, 2),
            "status": STATUSES[rng.randrange(len(STATUSES))],
            "votes": rng.choice((0, 0, 0, 1, 2, 3, 5, 8)),
        }
        if rng.random() < 0.7:
            sol["owner"] = rng.choice(dept_ids)
        solutions.append(sol)

    return {
        "schema_version": 1,
        "session": {
            "title": f"Benchmark session — scale {scale:g}, seed {seed}",
            "journey": "service",
            "state": "current",
            "facilitator": "Zoë Müller",
            "date": dt.date(2025, 3, 14),
        },
        "scoring": {"hop_decay": 0.5, "stage_bonus": 0.5, "quick_win_max_effort": 2, "max_hops": 4},
        "departments": departments,
        "personas": personas,
        "stages": stages,
        "pains": pains,
        "processes": processes,
        "solutions": solutions,
    }


def generate(scale: float = 1.0, seed: int = 1) -> Session:
    """A valid session of the given scale, the same for the same ``seed``."""
    session = Session.model_validate(generate_data(scale, seed))
    problems = reference_problems(session)
    if problems:  # pragma: no cover - a generator bug
        raise AssertionError(f"generated session has {len(problems)} reference problems: {problems[:5]}")
    return session


def describe(session: Session) -> str:
    feeds = sum(len(p.feeds) for p in session.processes)
    causes = sum(len(p.caused_by) for p in session.pains)
    return (
        f"{len(session.stages)} stages, {len(session.personas)} personas, "
        f"{len(session.departments)} departments, {len(session.pains)} pains, "
        f"{len(session.processes)} processes ({feeds} feeds), {len(session.solutions)} solutions, "
        f"{causes} cause links"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies every count (default 1)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", required=True, help="session file to write, or - for stdout")
    args = ap.parse_args(argv)
    session = generate(args.scale, args.seed)
    text = dumps_session(session)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        print(f"{args.output}: {describe(session)}; {len(text.encode('utf-8')):,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
