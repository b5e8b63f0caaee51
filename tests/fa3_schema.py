"""The FA(3) schema (tests/data/ksef, the Ministry's files unchanged), compiled offline: its imports of the
crd.gov.pl base schemas are answered from the local copies."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent / "data" / "ksef"
BASE_URL = "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/01/05/eD/DefinicjeTypy/"


class LocalBaseSchemas(etree.Resolver):
    """The crd.gov.pl base schemas from bazowe/; anything else stays unresolved (and no_network refuses it)."""

    def resolve(self, url, pubid, context):
        if url.startswith(BASE_URL):
            return self.resolve_filename(str(HERE / "bazowe" / url.removeprefix(BASE_URL)), context)
        return None


@functools.lru_cache(maxsize=1)
def fa3_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(LocalBaseSchemas())
    return etree.XMLSchema(etree.parse(str(HERE / "schemat_FA(3)_v1-0E.xsd"), parser))


def fa3_errors(content: bytes) -> list[str]:
    """The schema's complaints about an invoice file; none when it is a valid FA(3) invoice."""
    schema = fa3_schema()
    document = etree.fromstring(content, etree.XMLParser(no_network=True, resolve_entities=False))
    return [] if schema.validate(document) else [str(error) for error in schema.error_log]
