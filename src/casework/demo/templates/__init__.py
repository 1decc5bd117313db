"""Wording for the demo helpdesk, one language pack per language.

English has the most paraphrases (15+ per intent); German, French, Spanish,
Italian and Dutch have a few per intent, which is roughly how a European
shop's non-English mail looks: less of it, and less varied.
"""

from __future__ import annotations

from casework.demo.templates import de, en, es, fr, it, nl
from casework.demo.templates.pack import LanguagePack

PACKS: dict[str, LanguagePack] = {
    pack.code: pack for pack in (en.PACK, de.PACK, fr.PACK, es.PACK, it.PACK, nl.PACK)
}

__all__ = ["PACKS", "LanguagePack"]
