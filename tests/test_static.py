"""Static checks of the addon: what would break its install, caught without Odoo."""

import ast
import re
import sys

import pytest
from addon_index import (
    ADDON,
    HOST,
    MODELS,
    MODULE,
    PYTHON_DIRS,
    check_view_fields,
    csv_rows,
    data_files,
    defined_xmlids,
    manifest,
    model_fields,
    qualify,
    referenced_xmlids,
    xml_trees,
)
from lxml import etree

# -- manifest ---------------------------------------------------------------


def test_manifest_keys():
    man = manifest()
    assert man["name"] == "Sales Management"
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", man["version"])
    assert man["license"] == "LGPL-3"
    assert man["category"] == "Sales"
    assert {"sale_management", "account"} <= set(man["depends"])


@pytest.mark.parametrize("path", data_files())
def test_manifest_file_exists_and_parses(path):
    full = ADDON / path
    assert full.is_file(), f"{path} is listed in the manifest but missing"
    if path.endswith(".xml"):
        etree.parse(str(full))
    elif path.endswith(".csv"):
        assert csv_rows(path) is not None
    else:
        pytest.fail(f"{path}: unexpected data file type")


def test_menus_load_last():
    views = [f for f in manifest()["data"] if f.startswith(("views/", "wizard/", "report/"))]
    assert views[-1] == "views/sales_management_menus.xml"


def test_python_files_are_imported():
    for folder in PYTHON_DIRS:
        init = ADDON / folder / "__init__.py"
        files = {p.stem for p in (ADDON / folder).glob("*.py")} - {"__init__"}
        if not init.exists():
            assert not files, f"{folder}/ has modules but no __init__.py"
            continue
        imported = set(re.findall(r"^from \. import (\w+)", init.read_text(), re.M))
        assert files == imported, f"{folder}/__init__.py imports {imported}, folder has {files}"


def _third_party_imports():
    stdlib = set(sys.stdlib_module_names)
    found = set()
    for path in ADDON.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            found |= {n.split(".")[0] for n in names}
    return found - stdlib - {"odoo"}


def test_external_dependencies_declared():
    declared = set(manifest().get("external_dependencies", {}).get("python", []))
    missing = _third_party_imports() - declared
    assert not missing, f"imported but not in external_dependencies: {sorted(missing)}"


# -- views --------------------------------------------------------------------


def _view_records():
    for path, tree in xml_trees():
        for rec in tree.iter("record"):
            if rec.get("model") != "ir.ui.view":
                continue
            model = rec.find("field[@name='model']")
            arch = rec.find("field[@name='arch']")
            yield path, rec.get("id"), model.text if model is not None else None, arch


def test_views_name_existing_models_and_fields():
    errors = []
    views = list(_view_records())
    for path, view_id, model, arch in views:
        where = f"{path}:{view_id}"
        if model is None or arch is None:
            errors.append(f"{where}: a view needs <field name='model'> and an arch")
            continue
        check_view_fields(arch, model, where, errors)
    assert not errors, "\n".join(errors)


# -- records ------------------------------------------------------------------


def test_record_fields_exist():
    errors = []
    for path, tree in xml_trees():
        for rec in tree.iter("record"):
            known = model_fields(rec.get("model"))
            if known is None:
                errors.append(f"{path}:{rec.get('id')}: model {rec.get('model')!r} is unknown")
                continue
            for fld in rec.findall("field"):
                if fld.get("name") not in known:
                    errors.append(f"{path}:{rec.get('id')}: {rec.get('model')} has no field {fld.get('name')!r}")
    assert not errors, "\n".join(errors)


# -- access rights ----------------------------------------------------------------


def test_access_rows_name_addon_models_and_existing_groups():
    ids = defined_xmlids()
    errors = []
    rows = csv_rows("security/ir.model.access.csv")
    for row in rows:
        model_ref = row["model_id:id"]
        module, _, model_xmlid = model_ref.rpartition(".")
        model = next(
            (name for name in MODELS if f"model_{name.replace('.', '_')}" == model_xmlid),
            None,
        )
        if model is None and model_ref in HOST.HOST_XMLIDS:
            pass  # a host model the addon grants a right on, listed in host_refs
        elif model is None:
            errors.append(f"{row['id']}: {model_ref} is not a model the addon defines or extends")
        elif MODELS[model].defined and module not in ("", MODULE):
            errors.append(f"{row['id']}: {model_ref} should not carry a module prefix")
        group = row["group_id:id"]
        if group and qualify(group) not in ids | HOST.HOST_XMLIDS:
            errors.append(f"{row['id']}: group {group} is not defined")
        if not row["id"].startswith("access_"):
            errors.append(f"{row['id']}: access ids start with access_")
    defined = {name for name, info in MODELS.items() if info.defined and not info.abstract}
    covered = {r["model_id:id"].rpartition(".")[2] for r in rows}
    for name in sorted(defined):
        if f"model_{name.replace('.', '_')}" not in covered:
            errors.append(f"{name} has no access row")
    assert not errors, "\n".join(errors)


# -- XML ids ------------------------------------------------------------------


def test_xmlid_references_resolve():
    ids = defined_xmlids()
    errors = []
    for path, ref in referenced_xmlids():
        full = qualify(ref)
        module = full.split(".")[0]
        if module == MODULE:
            if full not in ids:
                errors.append(f"{path}: {ref} is not defined in the addon")
        elif module not in HOST.HOST_MODULES:
            errors.append(f"{path}: {ref} belongs to {module}, which the addon does not depend on")
        elif full not in HOST.HOST_XMLIDS:
            errors.append(f"{path}: host id {full} is not listed in host_refs.HOST_XMLIDS")
    assert not errors, "\n".join(errors)
