from . import sales_credit_exception_wizard
from . import sales_credit_report_wizard
