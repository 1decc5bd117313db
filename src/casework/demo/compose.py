"""Writing single messages: a customer's opening, their replies, an agent's reply.

Composition is where the labels become text: a frustrated customer gets a
frustrated sentence or capitals, a legal threat is written out, a chat line is
short and lower case. Each function returns pieces, so personal data stays
traceable to exact character spans.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime

from casework.demo.context import TicketContext, format_date
from casework.demo.fragments import Piece, add_typos, casual, fill, render, shout
from casework.demo.labels import Labels
from casework.demo.people import SupportAgent
from casework.demo.templates import PACKS
from casework.demo.templates.en_agent import NOTES
from casework.demo.templates.pack import LanguagePack, pick

NETWORK_SUBJECTS = {
    "facebook": "Facebook message",
    "instagram": "Instagram direct message",
    "twitter": "Mention on X",
}
CHANNEL_SUBJECTS = {"chat": "Chat conversation", "phone": "Voicemail"}


@dataclass(frozen=True)
class Opening:
    subject: str
    pieces: list[Piece]
    labels: Labels  # with the topic the chosen wording actually expresses


def _sentences(parts: list[list[Piece]], sep: str = " ") -> list[Piece]:
    out: list[Piece] = []
    for n, part in enumerate(parts):
        if n:
            out.append(Piece(sep))
        out.extend(part)
    return out


def _choose_core(rng: random.Random, pack: LanguagePack, labels: Labels) -> tuple[str, str | None]:
    by_topic = pack.customer.core[labels.intent]
    topic = labels.topic if labels.topic in by_topic else rng.choice(sorted(by_topic))
    return rng.choice(by_topic[topic]), (None if topic == "*" else topic)


def customer_opening(
    rng: random.Random,
    labels: Labels,
    channel: str,
    network: str | None,
    ctx: TicketContext,
    typo_rate: float,
) -> Opening:
    """The message that opens the ticket, shaped by channel and mood."""
    pack = PACKS[labels.language]
    words = pack.customer
    template, topic = _choose_core(rng, pack, labels)
    labels = replace(labels, topic=topic)
    core = fill(template, ctx)
    if channel == "chat" and rng.random() < 0.5:
        core = casual(core)

    parts: list[list[Piece]] = []
    if labels.repeat_of and words.repeat:
        parts.append(fill(rng.choice(words.repeat), ctx))
    frustrated_cue = labels.frustrated and rng.random() < 0.6
    if frustrated_cue:
        parts.append(fill(rng.choice(words.frustration), ctx))
    parts.append(core)
    long_form = channel in ("email", "web")
    if long_form and rng.random() < 0.35 and words.details.get(labels.intent):
        parts.append(fill(rng.choice(words.details[labels.intent]), ctx))
    if long_form and rng.random() < 0.3 and words.contact:
        parts.append(fill(rng.choice(words.contact), ctx))
    if labels.mood == "negative" and words.negative and labels.intent != "complaint":
        parts.append(fill(rng.choice(words.negative), ctx))
    if labels.frustrated and (rng.random() < 0.55 or not frustrated_cue):
        parts.append(fill(rng.choice(words.churn), ctx))
    if labels.requests_human:
        parts.append(fill(rng.choice(words.human), ctx))
    if labels.legal_threat:
        parts.append(fill(rng.choice(words.legal), ctx))
    if labels.mood == "positive":
        parts.append(fill(rng.choice(words.positive), ctx))

    body = _sentences(parts)
    if labels.frustrated and rng.random() < 0.5:
        body = shout(body, rng)
    if channel == "email" and words.background and rng.random() < 0.3:
        story = rng.sample(words.background, rng.randint(1, 4))
        paragraph = _sentences([fill(s, ctx) for s in story])
        first = rng.random() < 0.6
        body = [*paragraph, Piece("\n\n"), *body] if first else [*body, Piece("\n\n"), *paragraph]
    if channel == "phone" and words.voicemail:
        before, after = rng.choice(words.voicemail).split("{core}")
        pieces = [*fill(before, ctx), *body, *fill(after, ctx)]
    elif channel == "social":
        pieces = ([Piece("@Nordhaven ")] if rng.random() < 0.5 else []) + body
    elif channel == "chat":
        pieces = [Piece(rng.choice(("hi ", "hello, ", "Hi! ")))] if rng.random() < 0.3 else []
        pieces += body
    else:
        pieces = _letter(rng, words.greetings, words.closings, body, ctx, formal=channel == "email")
    pieces = add_typos(pieces, rng, typo_rate)
    return Opening(_subject(rng, pack, labels.intent, channel, network, ctx), pieces, labels)


def _letter(
    rng: random.Random,
    greetings: list[str],
    closings: list[str],
    body: list[Piece],
    ctx: TicketContext,
    formal: bool,
) -> list[Piece]:
    pieces: list[Piece] = []
    if greetings and rng.random() < (0.85 if formal else 0.45):
        pieces += [*fill(rng.choice(greetings), ctx), Piece("\n\n")]
    pieces += body
    if closings and rng.random() < (0.9 if formal else 0.55):
        signer = ctx["name"] if rng.random() < 0.65 else ctx["first_name"]
        pieces += [Piece("\n\n" + rng.choice(closings) + "\n"), signer]
        if formal and rng.random() < 0.2:
            pieces += [Piece("\n"), ctx["phone"]]
    return pieces


def _subject(
    rng: random.Random,
    pack: LanguagePack,
    intent: str,
    channel: str,
    network: str | None,
    ctx: TicketContext,
) -> str:
    if channel == "social" and network:
        return NETWORK_SUBJECTS[network]
    if channel in CHANNEL_SUBJECTS:
        return CHANNEL_SUBJECTS[channel]
    text, _ = render(fill(pick(rng, pack.customer.subjects, intent), ctx))
    return text


def customer_reply(
    rng: random.Random,
    labels: Labels,
    kind: str,
    ctx: TicketContext,
    chat: bool,
    key: str = "*",
    quote: tuple[datetime, list[Piece]] | None = None,
) -> list[Piece]:
    """A later customer message: `provide` (answers `key`), `thanks`, `impatient`, `reopen`,
    `detail` (one more sentence about the problem).

    `quote` is the agent message an e-mail client quotes below the reply; its
    personal data keeps its tags, so quoted values are traced like any other.
    """
    words = PACKS[labels.language].customer
    if kind == "detail":
        pieces = fill(pick(rng, words.details, labels.intent), ctx)
    elif kind == "provide":
        pieces = fill(pick(rng, words.provide, key, "details"), ctx)
    elif kind == "reopen":
        pieces = fill(pick(rng, words.reopen, labels.intent), ctx)
    else:
        pieces = fill(rng.choice(words.thanks if kind == "thanks" else words.impatient), ctx)
    if kind in ("impatient", "reopen") and labels.frustrated and rng.random() < 0.5:
        pieces = shout(pieces, rng)
    if chat:
        return casual(pieces) if rng.random() < 0.5 else pieces
    if rng.random() < 0.4 and words.closings:
        pieces += [Piece("\n\n" + rng.choice(words.closings) + "\n"), ctx["first_name"]]
    if quote is not None:
        when, quoted = quote
        header = words.quote_header.replace("{date}", format_date(when, labels.language))
        pieces += [Piece(f"\n\n{header}\n> ")]
        pieces += [p if p.kind else Piece(p.text.replace("\n", "\n> ")) for p in quoted]
    return pieces


def agent_reply(
    rng: random.Random,
    labels: Labels,
    kind: str,
    ctx: TicketContext,
    agent: SupportAgent,
    chat: bool,
    greet: bool = True,
    apologise: bool = False,
    key: str = "*",
    escalated: bool = False,
) -> list[Piece]:
    """A public agent message.

    `kind` is `ask` (for `key`), `resolve`, `holding`, `checking`, `reopened` or `reminder`.
    """
    words = PACKS[labels.language].agent
    ctx.set_plain(agent_name=agent.name, agent_first=agent.first_name)
    resolve_keys = (f"{labels.intent}.{labels.topic}", labels.intent)
    if kind == "ask":
        body = pick(rng, words.ask_info, key)
    elif kind == "resolve":
        body = pick(rng, words.resolve, *resolve_keys)
    elif kind == "reopened":
        body = rng.choice(words.reopened) + " " + pick(rng, words.resolve, *resolve_keys)
    elif kind == "holding":
        body = rng.choice(words.holding)
    elif kind == "checking":
        body = rng.choice(words.checking)
    else:
        body = rng.choice(words.reminder)
    parts: list[list[Piece]] = []
    if escalated and words.escalated:
        parts.append(fill(rng.choice(words.escalated), ctx))
    if apologise:
        repeat = labels.repeat_of is not None and words.repeat_apologies
        parts.append(fill(rng.choice(words.repeat_apologies if repeat else words.apologies), ctx))
    parts.append(fill(body, ctx))
    pieces = _sentences(parts)
    if chat:
        if greet:
            pieces = [*fill(rng.choice(words.chat_greetings), ctx), Piece(" "), *pieces]
        return pieces
    head = [*fill(rng.choice(words.greetings), ctx), Piece("\n\n")] if greet else []
    return [*head, *pieces, Piece("\n\n"), *fill(rng.choice(words.closings), ctx)]


def internal_note(rng: random.Random, ctx: TicketContext, *keys: str, **plain: str) -> list[Piece]:
    """A note for colleagues, always in English, the team's working language."""
    ctx.set_plain(**plain)
    return fill(pick(rng, NOTES, *keys), ctx)
