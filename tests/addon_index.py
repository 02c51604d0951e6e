"""Reads the addon as text, without Odoo: models and fields, XML ids, views.

The static checks in test_static.py run on this index so a broken view, access
row or reference fails here, on any machine, before Odoo ever loads it.
"""

import ast
import csv
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
ADDON = REPO / "sales_management"
MODULE = ADDON.name
PYTHON_DIRS = ("models", "wizard", "report", "demo")


def load_plain_module(path, name=None):
    """Import a plain (Odoo-free) Python file of the addon by its path."""
    path = Path(path)
    spec = importlib.util.spec_from_file_location(name or f"_sm_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOST = load_plain_module(ADDON / "tests" / "host_refs.py", "_sm_host_refs")


@dataclass
class ModelInfo:
    fields: dict = field(default_factory=dict)  # name -> comodel or None
    inherits_mail: bool = False
    defined: bool = False  # True when the addon defines it (_name), not only extends it
    abstract: bool = False  # an AbstractModel: no table, no access rows


def _const(node):
    return node.value if isinstance(node, ast.Constant) else None


def _model_names(value):
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, ast.List | ast.Tuple):
        return [e.value for e in value.elts if isinstance(e, ast.Constant)]
    return []


def _field_call(node):
    """(type, comodel) when node is `fields.X(...)`, else None."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "fields"
    ):
        return None
    ftype = node.func.attr
    comodel = None
    if ftype in ("Many2one", "One2many", "Many2many"):
        if node.args and isinstance(_const(node.args[0]), str):
            comodel = node.args[0].value
        for kw in node.keywords:
            if kw.arg == "comodel_name":
                comodel = _const(kw.value)
    return ftype, comodel


def python_models():
    """{model name: ModelInfo} for every model the addon defines or extends."""
    models = {}
    for folder in PYTHON_DIRS:
        for path in sorted((ADDON / folder).glob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
                attrs = {}
                fields_ = {}
                for stmt in cls.body:
                    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                        target = stmt.targets[0]
                        if isinstance(target, ast.Name):
                            attrs[target.id] = stmt.value
                            call = _field_call(stmt.value)
                            if call:
                                fields_[target.id] = call[1]
                names = _model_names(attrs["_name"]) if "_name" in attrs else []
                inherits = _model_names(attrs["_inherit"]) if "_inherit" in attrs else []
                abstract = any(isinstance(base, ast.Attribute) and base.attr == "AbstractModel" for base in cls.bases)
                for name in names or inherits[:1]:
                    info = models.setdefault(name, ModelInfo())
                    info.fields.update(fields_)
                    # `_name = "res.partner"` with `_inherit = ["res.partner", "a.mixin"]` extends.
                    info.defined |= bool(names) and name not in inherits
                    info.abstract |= abstract
                    info.inherits_mail |= bool({"mail.thread", "mail.activity.mixin"} & set(inherits))
                    for parent in inherits:
                        if parent != name:
                            info.fields.update(models.get(parent, ModelInfo()).fields)
    return models


def manifest():
    return ast.literal_eval((ADDON / "__manifest__.py").read_text())


def data_files(kind=("data", "demo")):
    man = manifest()
    return [f for key in kind for f in man.get(key, [])]


def xml_trees():
    """[(relative path, parsed tree)] for every XML file the manifest loads."""
    return [(f, etree.parse(str(ADDON / f))) for f in data_files() if f.endswith(".xml")]


def csv_rows(path):
    with open(ADDON / path, newline="") as handle:
        return list(csv.DictReader(handle))


def defined_xmlids():
    ids = set()
    for _path, tree in xml_trees():
        for el in tree.iter("record", "menuitem", "template", "report"):
            if el.get("id"):
                ids.add(el.get("id") if "." in el.get("id") else f"{MODULE}.{el.get('id')}")
    for path in data_files():
        if path.endswith(".csv"):
            ids.update(f"{MODULE}.{row['id']}" for row in csv_rows(path) if "." not in row["id"])
    models = python_models()
    ids.update(f"{MODULE}.model_{name.replace('.', '_')}" for name, info in models.items() if info.defined)
    return ids


REF_EVAL = re.compile(r"""ref\(\s*['"]([\w.]+)['"]\s*\)""")
REF_PERCENT = re.compile(r"%\(([\w.]+)\)d")


def referenced_xmlids():
    """[(path, xml id)] for every reference made in the manifest's XML files."""
    refs = []
    for path, tree in xml_trees():
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("ref", "parent", "action", "inherit_id"):
                if el.get(attr) and not (attr == "action" and el.tag != "menuitem"):
                    refs.append((path, el.get(attr)))
            if el.get("groups"):
                refs += [(path, g.strip().lstrip("!")) for g in el.get("groups").split(",") if g.strip()]
            for value in el.attrib.values():
                refs += [(path, ref) for ref in REF_PERCENT.findall(value)]
            if el.get("eval"):
                refs += [(path, ref) for ref in REF_EVAL.findall(el.get("eval"))]
            if el.tag == "field" and el.get("name") == "groups_id" and el.text:
                refs += [(path, ref) for ref in REF_EVAL.findall(el.text)]
    return refs


def qualify(xmlid):
    return xmlid if "." in xmlid else f"{MODULE}.{xmlid}"


MODELS = python_models()
VIEW_ROOTS = {"form", "list", "kanban", "search", "pivot", "graph", "calendar", "activity"}


def model_fields(model):
    """Every field name a view may use on `model`, or None when the model is unknown."""
    known = set()
    info = MODELS.get(model)
    if info is None and model not in HOST.HOST_FIELDS:
        return None
    if info is not None:
        known |= set(info.fields)
        if info.inherits_mail:
            known |= HOST.MAIL_FIELDS
    known |= HOST.HOST_FIELDS.get(model, set())
    return known | HOST.MAGIC_FIELDS


def comodel_of(model, field_name):
    info = MODELS.get(model)
    return info.fields.get(field_name) if info else None


def check_view_fields(el, model, where, errors):
    """Walk a view arch; a <field> with its own sub-view switches to the comodel."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field" and child.get("name"):
            name = child.get("name")
            known = model_fields(model)
            if known is None:
                errors.append(f"{where}: model {model!r} is neither the addon's nor listed in host_refs.HOST_FIELDS")
                return
            if name not in known:
                errors.append(f"{where}: field {name!r} does not exist on {model}")
            sub_views = [c for c in child if isinstance(c.tag, str) and c.tag in VIEW_ROOTS]
            comodel = comodel_of(model, name)
            for sub in sub_views:
                if comodel:
                    check_view_fields(sub, comodel, where, errors)
            continue
        check_view_fields(child, model, where, errors)
