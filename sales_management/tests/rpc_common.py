import json

from odoo.tests import HttpCase


class JsonRpcMixin(HttpCase):
    """Calls as the web client makes them: a session opened by /web/session/authenticate
    with the user's password, then /web/dataset/call_kw."""

    def rpc_login(self, login, password=None):
        self.opener.cookies.clear()
        result, error = self._jsonrpc(
            "/web/session/authenticate",
            {"db": self.env.cr.dbname, "login": login, "password": password or login},
        )
        self.assertFalse(error, error)
        self.assertEqual(result["uid"], self.env["res.users"].search([("login", "=", login)]).id)

    def rpc(self, model, method, *args, **kwargs):
        """``(result, error)`` of one call; ``error`` is the JSON-RPC error's data or None."""
        params = {"model": model, "method": method, "args": list(args), "kwargs": kwargs}
        return self._jsonrpc(f"/web/dataset/call_kw/{model}/{method}", params)

    def assertRpcRefused(self, model, method, *args, exception="odoo.exceptions.AccessError", **kwargs):
        """The call fails with ``exception`` (a name, or a tuple of names); returns its message."""
        result, error = self.rpc(model, method, *args, **kwargs)
        self.assertTrue(error, f"{model}.{method} answered {result!r}")
        names = (exception,) if isinstance(exception, str) else exception
        self.assertIn(error["name"], names, error.get("message"))
        return error["message"]

    def assertRpcOk(self, model, method, *args, **kwargs):
        result, error = self.rpc(model, method, *args, **kwargs)
        self.assertFalse(error, error and error.get("message"))
        return result

    def _jsonrpc(self, route, params):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        response = self.url_open(route, data=json.dumps(payload), headers={"Content-Type": "application/json"})
        response.raise_for_status()
        body = response.json()
        return body.get("result"), (body.get("error") or {}).get("data")
