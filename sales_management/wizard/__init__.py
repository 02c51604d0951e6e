from . import sales_credit_exception_wizard
