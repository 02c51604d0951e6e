"""Plain computations of the addon: no ORM, plain values in and out.

The pure layer (top-level tests/) loads these files by path and tests them
without Odoo; the models import them as ``from ..tools import <module>``.
"""
