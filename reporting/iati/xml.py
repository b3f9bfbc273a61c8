"""The small pieces every part of the IATI file is written with."""

from __future__ import annotations

from lxml import etree

LANGUAGE = "en"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attributes.items()})


def narrative(parent: etree._Element, text: str, lang: str = "") -> etree._Element:
    element = sub(parent, "narrative")
    if lang and lang != LANGUAGE:
        element.set(XML_LANG, lang)
    element.text = text
    return element


def text_element(parent: etree._Element, tag: str, text: str, **attributes: str) -> None:
    narrative(sub(parent, tag, **attributes), text)
