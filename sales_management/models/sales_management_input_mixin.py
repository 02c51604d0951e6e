import datetime
import math

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..tools import input_check

# Field types and how their values are checked.
TEXT_TYPES = {"char": False, "text": True, "html": True}  # type -> multi-line
NUMBER_TYPES = {"float": False, "monetary": False, "integer": True}  # type -> whole numbers only
DATE_PARSERS = {"date": fields.Date.to_date, "datetime": fields.Datetime.to_datetime}
# Field type -> kind of check (the name of its _get_<kind>_input_error method).
FIELD_KINDS = {
    **dict.fromkeys(TEXT_TYPES, "text"),
    **dict.fromkeys(NUMBER_TYPES, "number"),
    **dict.fromkeys(DATE_PARSERS, "date"),
    "boolean": "boolean",
    "many2one": "relation",
    "selection": "selection",
}
# The operators of a search on a boolean: the search bar sends = and !=, RPC anything.
BOOLEAN_SEARCH_OPERATORS = ("=", "!=", "in", "not in")
# Operators whose value the database compares with the column as it is typed.
COMPARISON_OPERATORS = ("=", "!=", "<>", "<", ">", "<=", ">=", "in", "not in")
# What a value compared with a number or a date column cannot be.
SEARCH_PROBLEMS = {input_check.NOT_NUMBER, input_check.NOT_FINITE, input_check.NOT_DATE}
# The groups of a user field that takes any internal user (no portal or public user).
INTERNAL_USER_GROUPS = ("base.group_user",)


class SalesManagementInputMixin(models.AbstractModel):
    """Every value written to the addon's fields is checked before the ORM and the
    database see it, so that bad input gives a clear message instead of a crash.

    Inherit it (``_inherit = [..., "sales.management.input.mixin"]``): create, write
    and onchange check the values of ``_get_input_checked_fields()`` — on the addon's
    own models every field, on host models the fields the addon adds. The helpers
    ``_get_input_ranges`` (bounds of number fields, checked before the database),
    ``_check_input_range``, ``_check_input_user``, ``_check_input_text`` and
    ``_search_boolean_field`` serve the models' own constraints and search methods.
    """

    _name = "sales.management.input.mixin"
    _description = "Sales Management Input Checks"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_input_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_input_values([vals])
        return super().write(vals)

    def onchange(self, values, field_names, fields_spec):
        # Only the changed fields: the others are the record's values as the client holds them.
        changed = {name: values[name] for name in field_names or () if name in values}
        self._check_input_values([changed], kinds=("text", "number", "boolean"))
        return super().onchange(values, field_names, fields_spec)

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        self._check_input_domain(domain)
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_state_transition(self, state, transitions, refusal):
        """The records' ``state`` may become ``state`` only from the states ``transitions``
        (``{target: source states}``) allows, whatever the write path.

        ``refusal(record, current, target, allowed)`` gives the message, with the
        states' labels in the user's language (``allowed``: the targets reachable now).
        """
        labels = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            if record.state != state and record.state not in transitions.get(state, ()):
                allowed = [target for target, sources in transitions.items() if record.state in sources]
                raise UserError(
                    refusal(
                        record,
                        labels[record.state],
                        labels.get(state, state),
                        ", ".join(labels[target] for target in allowed) or "-",
                    )
                )

    # ------------------------------------------------------------
    # Checks of written values
    # ------------------------------------------------------------

    @api.model
    def _get_input_checked_fields(self):
        """Names of the fields whose written values are checked. Extension point.

        Default: every field of the addon's own models, the addon's fields on host models.
        """
        own_model = self._original_module == "sales_management"
        return {
            name for name, field in self._fields.items() if own_model or "sales_management" in (field._modules or ())
        }

    @api.model
    @tools.ormcache()
    def _get_input_checked_field_set(self):
        """``_get_input_checked_fields()``, computed once per model and registry: the names
        depend on the model's fields only, and every create, write and search of the model
        (res.partner's at each posting and payment) reads them (issue 16)."""
        return frozenset(self._get_input_checked_fields())

    @api.model
    def _check_input_values(self, vals_list, kinds=None):
        """Raise a ValidationError naming the field and what it accepts for the first
        unusable value of ``vals_list`` (a list of create/write dicts)."""
        checked = self._get_input_checked_field_set()
        for vals in vals_list:
            for name, value in vals.items():
                field = self._fields.get(name)
                if field is None or name not in checked:
                    continue
                message = self._get_input_value_error(field, value, kinds)
                if not message and (kinds is None or "range" in kinds):
                    message = self._get_input_range_error(name, value)
                if message:
                    raise ValidationError(message)

    @api.model
    def _get_input_value_error(self, field, value, kinds=None):
        """The message refusing ``value`` for ``field``, or None when it is usable.

        ``kinds``: the kinds of fields checked (text, number, boolean, date, relation,
        selection); all when None.
        """
        kind = FIELD_KINDS.get(field.type)
        if not kind or (kinds is not None and kind not in kinds):
            return None
        label = field._description_string(self.env)
        return getattr(self, f"_get_{kind}_input_error")(field, label, value)

    @api.model
    def _get_control_character_message(self, label, value, multiline):
        position, char = input_check.find_control_character(value, multiline)
        values = {"field": label, "code": f"U+{ord(char):04X}", "position": position + 1}
        if multiline:
            return self.env._(
                "%(field)s contains the control character %(code)s at position %(position)s: "
                "only printable text, tabs and line breaks are allowed.",
                **values,
            )
        return self.env._(
            "%(field)s contains the control character %(code)s at position %(position)s: "
            "only printable text on one line is allowed.",
            **values,
        )

    @api.model
    def _get_text_input_error(self, field, label, value):
        multiline = TEXT_TYPES[field.type]
        problem = input_check.text_problem(value, multiline)
        if problem == input_check.NOT_TEXT:
            return self.env._("%(field)s expects text, not %(value)s.", field=label, value=input_check.describe(value))
        if problem == input_check.CONTROL_CHARACTER:
            return self._get_control_character_message(label, value, multiline)
        return None

    @api.model
    def _get_number_input_error(self, field, label, value):
        problem = input_check.number_problem(value, integer=NUMBER_TYPES[field.type])
        shown = input_check.describe(value)
        if problem == input_check.NOT_NUMBER:
            return self.env._("%(field)s expects a number, not %(value)s.", field=label, value=shown)
        if problem == input_check.NOT_FINITE:
            return self.env._("%(field)s expects a finite number, not %(value)s.", field=label, value=shown)
        if problem == input_check.NOT_WHOLE:
            return self.env._("%(field)s expects a whole number, not %(value)s.", field=label, value=shown)
        if problem == input_check.TOO_LARGE:
            return self._get_range_message(label, value, input_check.INT_MIN, input_check.INT_MAX)
        return None

    @api.model
    def _get_boolean_input_error(self, field, label, value):
        if input_check.boolean_problem(value):
            return self.env._(
                "%(field)s expects true or false, not %(value)s.", field=label, value=input_check.describe(value)
            )
        return None

    @api.model
    def _get_date_input_error(self, field, label, value):
        problem = input_check.date_problem(value, DATE_PARSERS[field.type])
        shown = input_check.describe(value)
        if problem == input_check.NOT_DATE and field.type == "date":
            return self.env._("%(field)s expects a date (YYYY-MM-DD), not %(value)s.", field=label, value=shown)
        if problem == input_check.NOT_DATE:
            return self.env._(
                "%(field)s expects a date and time (YYYY-MM-DD HH:MM:SS), not %(value)s.", field=label, value=shown
            )
        if problem == input_check.DATE_RANGE:
            return self._get_range_message(label, shown, input_check.MIN_DATE, input_check.MAX_DATE)
        return None

    @api.model
    def _get_relation_input_error(self, field, label, value):
        if not isinstance(value, models.BaseModel) and input_check.id_problem(value):
            return self.env._(
                "%(field)s expects the id of a record, not %(value)s.", field=label, value=input_check.describe(value)
            )
        return None

    @api.model
    def _get_selection_input_error(self, field, label, value):
        allowed = field._description_selection(self.env)
        if value and (not isinstance(value, str | int) or value not in dict(allowed)):
            return self.env._(
                "%(value)s is not a valid value for %(field)s; allowed values: %(allowed)s.",
                value=input_check.describe(value),
                field=label,
                allowed=", ".join(f"{key} ({name})" for key, name in allowed),
            )
        return None

    @api.model
    def _check_input_domain(self, domain):
        """Raise a UserError naming the field for a search comparing a number or date field
        of the model with a value the database cannot compare it with (text, NaN, a date
        that is none)."""
        checked = self._get_input_checked_field_set()
        for leaf in domain or ():
            if not isinstance(leaf, list | tuple) or len(leaf) != 3:
                continue
            path, operator, value = leaf
            field = self._fields.get(path) if isinstance(path, str) else None
            if (
                field is None
                or field.automatic
                or path not in checked
                or operator not in COMPARISON_OPERATORS
                or FIELD_KINDS.get(field.type) not in ("number", "date")
            ):
                continue
            items = value if operator in ("in", "not in") and isinstance(value, list | tuple | set) else [value]
            for item in items:
                if self._get_search_value_problem(field, item) in SEARCH_PROBLEMS:
                    raise UserError(self._get_input_value_error(field, item))

    @api.model
    def _get_search_value_problem(self, field, item):
        # Plain values only: subqueries and SQL given by code are the ORM's.
        if isinstance(item, bool) or item is None:
            return None
        if FIELD_KINDS[field.type] == "number":
            if isinstance(item, str) or (isinstance(item, float) and not math.isfinite(item)):
                return input_check.number_problem(item)
            return None
        if isinstance(item, str | int | float):
            return input_check.date_problem(item, DATE_PARSERS[field.type], datetime.date.min, datetime.date.max)
        return None

    # ------------------------------------------------------------
    # Helpers of the models' constraints
    # ------------------------------------------------------------

    def _get_range_message(self, label, value, minimum=None, maximum=None):
        if minimum is not None and maximum is not None:
            return self.env._(
                "%(field)s must be between %(min)s and %(max)s, not %(value)s.",
                field=label,
                min=minimum,
                max=maximum,
                value=value,
            )
        if minimum is not None:
            return self.env._(
                "%(field)s must be at least %(min)s, not %(value)s.", field=label, min=minimum, value=value
            )
        return self.env._("%(field)s must be at most %(max)s, not %(value)s.", field=label, max=maximum, value=value)

    @api.model
    def _get_input_ranges(self):
        """{field name: (minimum, maximum)} of the number fields with bounds (either may
        be None). Extension point: extensions add theirs to super()'s.

        Written values are checked against them before anything reaches the database
        (a CHECK constraint would refuse them first, with a database error); constraints
        check the records with ``_check_input_range``."""
        return {}

    @api.model
    def _get_input_range_error(self, name, value):
        bounds = self._get_input_ranges().get(name)
        if not bounds or isinstance(value, bool) or not isinstance(value, int | float):
            return None
        minimum, maximum = bounds
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            label = self._fields[name]._description_string(self.env)
            return self._get_range_message(label, value, minimum, maximum)
        return None

    def _check_input_range(self, field_names):
        """Raise a ValidationError when a field of a record of self is outside its
        bounds (``_get_input_ranges``): for @api.constrains methods."""
        for record in self:
            for name in field_names:
                message = self._get_input_range_error(name, record[name])
                if message:
                    raise ValidationError(message)

    @api.model
    def _filter_input_users(self, users, group_xmlids):
        """The internal users among ``users`` who have one of the groups ``group_xmlids``
        (groups that do not exist are ignored, so a list may name the groups of several
        versions of the ladder)."""
        xmlids = [xmlid for xmlid in group_xmlids if self.env.ref(xmlid, raise_if_not_found=False)]
        return (
            users.sudo()
            .filtered(lambda user: not user.share and any(user.has_group(xmlid) for xmlid in xmlids))
            .with_env(users.env)
        )

    def _check_input_user(self, field_name, group_xmlids):
        """Raise a ValidationError when the user of ``field_name`` is a portal or public
        user or has none of the groups ``group_xmlids``."""
        users = self.mapped(field_name)
        allowed = self._filter_input_users(users, group_xmlids)
        for record in self:
            user = record[field_name]
            if user and user not in allowed:
                xmlids = [xmlid for xmlid in group_xmlids if self.env.ref(xmlid, raise_if_not_found=False)]
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot be the %(field)s of %(record)s: choose an internal user with "
                        "one of these rights: %(groups)s.",
                        user=user.sudo().display_name,
                        field=self._fields[field_name]._description_string(self.env),
                        record=record.display_name or self._description,
                        groups=", ".join(self.env.ref(xmlid).sudo().full_name for xmlid in xmlids),
                    )
                )

    @api.model
    def _check_input_text(self, label, value, multiline=True):
        """Raise a ValidationError when a text given to a method (not a field) holds a
        control character; ``label`` names it in the message."""
        problem = input_check.text_problem(value, multiline)
        if problem == input_check.NOT_TEXT:
            raise ValidationError(
                self.env._("%(field)s expects text, not %(value)s.", field=label, value=input_check.describe(value))
            )
        if problem == input_check.CONTROL_CHARACTER:
            raise ValidationError(self._get_control_character_message(label, value, multiline))

    # ------------------------------------------------------------
    # Helpers of search methods
    # ------------------------------------------------------------

    @api.model
    def _search_boolean_field(self, field_name, operator, value, true_domain):
        """Domain of a search on a non-stored boolean whose true records match ``true_domain``.

        Accepts what the search bar and RPC send for a boolean: = and != with true, false
        or None (None is false), in and not in with a list of those. Any other operator
        or value is refused with a UserError naming the field.
        """
        label = self._fields[field_name]._description_string(self.env)

        def refuse():
            return UserError(
                self.env._(
                    "%(field)s can only be searched with = or != and true or false (or in / not in and a "
                    "list of them), not %(operator)s %(value)s.",
                    field=label,
                    operator=input_check.describe(operator),
                    value=input_check.describe(value),
                )
            )

        def truth(item):
            if item is None or input_check.boolean_problem(item) is None:
                return bool(item)
            raise refuse()

        if operator not in BOOLEAN_SEARCH_OPERATORS:
            raise refuse()
        if operator in ("=", "!="):
            if isinstance(value, list | tuple | set):
                raise refuse()
            wanted = {truth(value)} if operator == "=" else {not truth(value)}
        else:
            items = value if isinstance(value, list | tuple | set) else [value]
            given = {truth(item) for item in items}
            wanted = given if operator == "in" else {True, False} - given
        if wanted == {True, False}:
            return list(expression.TRUE_DOMAIN)
        if not wanted:
            return list(expression.FALSE_DOMAIN)
        if wanted == {True}:
            return list(true_domain)
        return ["!", *expression.normalize_domain(list(true_domain))]
