from . import base_partner_merge_automatic_wizard
from . import sales_complaint_credit_note
from . import sales_complaint_statistics
from . import sales_credit_exception_wizard
from . import sales_credit_report_wizard
from . import sales_credit_statement_wizard
from . import sales_visit_prospect_lost
