"""Shared machinery of the bad-input tests: each bad value is tried through a path a
user has (real JSON-RPC, a form, an import), must end in a clean Odoo error naming
what is wrong, and must leave the records as they were.

Every try is tallied by class of input; each test class logs its tally when it ends
(``bad input | <capability> | <class>: N tried, N clean``)."""

import json
import logging
from collections import defaultdict
from contextlib import contextmanager

from odoo.exceptions import UserError
from odoo.tests import HttpCase
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)

# What a clean refusal is over JSON-RPC: an Odoo exception meant for the user,
# not a Python or database error.
CLEAN_RPC_ERRORS = (
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
)

# Control characters and broken text, as a careless paste or a hostile client sends them.
NUL = "before\x00after"
ESCAPE = "red \x1b[31m text"
BELL = "ring\x07"
SURROGATE = "broken \ud800 text"
# Kept as typed: Chinese, emoji with joiners, tabs and line breaks, and a long text.
UNICODE_TEXT = "王经理拜访记录：客户满意 👍🎉 👨\u200d👩\u200d👧\n第二行\tTab"
LONG_TEXT = "长" * 60_000 + "🚚" * 20_000


class BadInputCase(HttpCase):
    """Tries bad values; mixed with the capability's fixtures (VisitCase, ComplaintCase…)."""

    capability = "?"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tally = defaultdict(lambda: [0, 0])

    @classmethod
    def tearDownClass(cls):
        for klass, (tried, clean) in sorted(cls.tally.items()):
            _logger.info("bad input | %s | %s: %s tried, %s clean", cls.capability, klass, tried, clean)
        super().tearDownClass()

    # -- JSON-RPC --------------------------------------------------------------
    def _rpc(self, model, method, args, kwargs=None):
        """Call ``model.method`` over /web/dataset/call_kw as the authenticated user.

        Returns (result, error): error is the JSON-RPC error's data ({name, message})
        or None. The body is encoded as a browser or script would, NaN and Infinity
        included (JSON as Python writes it).
        """
        payload = {
            "id": 0,
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        body = response.json()
        self.env.invalidate_all()
        if "error" in body:
            return None, body["error"]["data"]
        return body.get("result"), None  # a method returning None sends no result

    def assertRpcRefused(self, klass, model, method, args, fragment, kwargs=None, unchanged=None):
        """The call is refused with a clean error whose message holds ``fragment``, and
        ``unchanged()`` (a snapshot of what must not move) reads the same after it."""
        self.tally[klass][0] += 1
        before = unchanged() if unchanged else None
        # Clean refusals are logged as warnings by odoo.http; crashes as errors: the
        # error's name below tells them apart.
        with mute_logger("odoo.http"):
            result, error = self._rpc(model, method, args, kwargs)
        self.assertIsNotNone(error, f"{model}.{method}{args!r} was accepted: {result!r}")
        self.assertIn(error["name"], CLEAN_RPC_ERRORS, f"{model}.{method}{args!r} crashed: {error['message']}")
        self.assertIn(fragment, error["message"], f"{model}.{method}{args!r}")
        if unchanged:
            self.assertEqual(unchanged(), before, f"{model}.{method}{args!r} wrote something")
        self.tally[klass][1] += 1
        return error

    def assertRpcAccepted(self, klass, model, method, args, kwargs=None):
        """A value that must be kept (unicode, long text, supported search operators)."""
        self.tally[klass][0] += 1
        result, error = self._rpc(model, method, args, kwargs)
        self.assertIsNone(error, f"{model}.{method}{args!r} was refused: {error}")
        self.tally[klass][1] += 1
        return result

    # -- ORM paths: forms, imports -------------------------------------------------
    @contextmanager
    def assertRefused(self, klass, fragment, unchanged=None):
        """Context manager: the block raises a clean error (UserError and its kinds:
        ValidationError, AccessError, MissingError) holding ``fragment``, and
        ``unchanged()`` reads the same afterwards (assertRaises rolls back to a savepoint)."""
        self.tally[klass][0] += 1
        before = unchanged() if unchanged else None
        with self.assertRaises(UserError) as caught:
            yield caught
        self.assertIn(fragment, str(caught.exception))
        if unchanged:
            self.assertEqual(unchanged(), before, "something was written")
        self.tally[klass][1] += 1

    def assertLoadRefused(self, klass, model, field_names, rows, fragment, unchanged):
        """An import (``load``, what the import screen calls) reports the value as an
        error message, imports nothing and writes nothing."""
        self.tally[klass][0] += 1
        before = unchanged()
        result = model.load(field_names, rows)
        self.env.invalidate_all()
        self.assertFalse(result["ids"], f"import of {rows!r} was accepted")
        messages = " | ".join(message["message"] for message in result["messages"])
        self.assertIn(fragment, messages)
        self.assertEqual(unchanged(), before, "the import wrote something")
        self.tally[klass][1] += 1

    # -- Snapshots -------------------------------------------------------------
    def _reader(self, records, field_names):
        """A callable reading ``field_names`` of ``records`` from the database."""

        def read():
            self.env.invalidate_all()
            return records.sudo().with_context(active_test=False).read(field_names)

        return read

    def _counter(self, model, domain=()):
        def count():
            self.env.invalidate_all()
            return self.env[model].sudo().with_context(active_test=False).search_count(list(domain))

        return count

    def _search_ids(self, model, domain):
        result = self.assertRpcAccepted("search operators answered", model, "search", [domain])
        return set(result)

    # -- Searches on non-stored booleans ------------------------------------------
    # What the search bar and RPC send for a boolean, with the records each must give.
    BOOLEAN_SEARCHES = (
        ("=", True, True),
        ("=", False, False),
        ("=", None, False),
        ("!=", True, False),
        ("!=", False, True),
        ("<>", True, False),
        ("in", [True], True),
        ("in", [False], False),
        ("in", [True, False], None),
        ("not in", [True], False),
        ("not in", [], None),
    )
    # Operators and values no boolean takes: refused with a UserError, never a crash.
    BOOLEAN_REFUSED = (("ilike", "x"), ("<", 1), (">=", True), ("=", "yes"), ("in", "abc"), ("child_of", 1))

    def _check_boolean_search(self, klass, model, field, scope):
        """Every operator the search bar and RPC send for the non-stored boolean ``field``
        of ``model`` gives the right records of ``scope`` (which holds both kinds), and the
        others a clean refusal. Run as the authenticated user."""
        domain = [("id", "in", scope.ids)]
        true_ids = {record.id for record in scope if record[field]}
        false_ids = set(scope.ids) - true_ids
        self.assertTrue(true_ids and false_ids, f"the scope must hold both kinds of {field}")
        expected_ids = {True: true_ids, False: false_ids, None: true_ids | false_ids}
        for operator, value, expected in self.BOOLEAN_SEARCHES:
            with self.subTest(field=field, operator=operator, value=value):
                found = self.assertRpcAccepted(klass, model, "search", [[*domain, (field, operator, value)]])
                self.assertEqual(set(found), expected_ids[expected])
        for operator, value in self.BOOLEAN_REFUSED:
            with self.subTest(field=field, operator=operator, value=value):
                self.assertRpcRefused(
                    klass, model, "search_count", [[(field, operator, value)]], "can only be searched"
                )
